import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { EventsService } from '@backstage/plugin-events-node';
import { createGitOpsPublishAction } from './publish';
import { GITOPS_CHANGED_TOPIC } from '../events';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const BLUEPRINT = [
  { path: 'README.md', content: '# GitOps repository\n' },
  { path: 'environments/.keep', content: '' },
];

function makeAction(
  repository: string,
  extra: Record<string, unknown> = {},
  events?: EventsService,
) {
  const config = new ConfigReader({
    gitops: {
      repository,
      defaultBranch: 'main',
      branchPrefix: 'gitops/',
      ...extra,
    },
  });
  return createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    loadBlueprint: async () => BLUEPRINT,
    events,
  });
}

function workspace(env: string, files = 2) {
  const dir = createMockDirectory();
  const content: Record<string, string> = {};
  for (let i = 0; i < files; i++) {
    content[`out/environments/${env}/f${i}.yaml`] = `name: ${env}-${i}\n`;
  }
  dir.setContent(content);
  return dir.path;
}

function ctx(ws: string, input: Record<string, unknown>) {
  return createMockActionContext({
    workspacePath: ws,
    input: { sourcePath: 'out', ...input } as any,
  });
}

function snapshot(repo: string) {
  return {
    status: git(repo, 'status', '--porcelain'),
    refs: git(repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
    log: git(repo, 'log', '--all', '--oneline'),
  };
}

// Real git repositories and full validation: slow on a loaded 2-core CI.
jest.setTimeout(30_000);

describe('epicshelter:gitops:publish on a local repository', () => {
  const root = createMockDirectory();
  let repo: string;
  beforeEach(() => {
    root.clear();
    repo = path.join(root.path, 'gitops');
  });

  it('creates the repository from the blueprint on first use and commits on the default branch', async () => {
    const c = ctx(workspace('dev'), { environment: 'dev' });
    await makeAction(repo).handler(c);
    const log = git(repo, 'log', '--format=%s', 'main').split('\n');
    expect(log).toEqual([
      'Environment dev: GitOps change',
      'Bootstrap GitOps repository from the Epicshelter blueprint',
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(
      fs.readFileSync(path.join(repo, 'environments/dev/f0.yaml'), 'utf8'),
    ).toBe('name: dev-0\n');
    expect(git(repo, 'show', 'main:environments/dev/f1.yaml')).toBe(
      'name: dev-1',
    );
    const sha = git(repo, 'rev-parse', 'main');
    expect(c.output).toHaveBeenCalledWith('commitSha', sha);
    expect(git(repo, 'log', '-1', '--format=%B', 'main')).toContain(
      'Epicshelter-Change: gitops/dev',
    );
    execFileSync('git', ['fsck', '--strict'], { cwd: repo });
  });

  it('commits on a branch without touching the working tree, and is idempotent', async () => {
    const ws = workspace('dev');
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    const c = ctx(ws, { environment: 'dev', mode: 'branch' });
    await makeAction(repo).handler(c);
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(fs.existsSync(path.join(repo, 'environments/dev'))).toBe(false);
    expect(git(repo, 'rev-list', '--count', 'main..gitops/dev')).toBe('1');
    const head = git(repo, 'rev-parse', 'gitops/dev');
    await makeAction(repo).handler(
      ctx(ws, { environment: 'dev', mode: 'branch' }),
    );
    expect(git(repo, 'rev-parse', 'gitops/dev')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('rebases its branch when the base moved and refuses a branch with foreign commits', async () => {
    const ws = workspace('dev');
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    await makeAction(repo).handler(
      ctx(ws, { environment: 'dev', mode: 'branch' }),
    );
    await makeAction(repo).handler(
      ctx(workspace('other'), { environment: 'other' }),
    );
    await makeAction(repo).handler(
      ctx(ws, { environment: 'dev', mode: 'branch' }),
    );
    expect(git(repo, 'rev-parse', 'gitops/dev~1')).toBe(
      git(repo, 'rev-parse', 'main'),
    );
    git(repo, 'checkout', '-q', 'gitops/dev');
    fs.writeFileSync(path.join(repo, 'manual.yaml'), 'a: 1\n');
    git(repo, 'add', 'manual.yaml');
    git(
      repo,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'manual',
    );
    git(repo, 'checkout', '-q', 'main');
    const before = snapshot(repo);
    await expect(
      makeAction(repo).handler(ctx(ws, { environment: 'dev', mode: 'branch' })),
    ).rejects.toThrow(/holds commits that this action did not make/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('serialises concurrent publishes: two environments, two commits, no lost file', async () => {
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    const envs = ['alpha', 'beta', 'gamma', 'delta'];
    await Promise.all(
      envs.map(env =>
        makeAction(repo).handler(ctx(workspace(env, 3), { environment: env })),
      ),
    );
    expect(git(repo, 'rev-list', '--count', 'main')).toBe(
      String(2 + envs.length),
    );
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    for (const env of envs) {
      for (let i = 0; i < 3; i++)
        expect(files).toContain(`environments/${env}/f${i}.yaml`);
    }
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses a dirty repository and leaves it unchanged', async () => {
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    fs.writeFileSync(path.join(repo, 'README.md'), 'edited by hand\n');
    const before = snapshot(repo);
    await expect(
      makeAction(repo).handler(ctx(workspace('dev'), { environment: 'dev' })),
    ).rejects.toThrow(
      /has uncommitted changes \(README.md\); commit or discard them first/,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a repository locked by another git process', async () => {
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    fs.writeFileSync(path.join(repo, '.git', 'index.lock'), '');
    const before = snapshot(repo);
    await expect(
      makeAction(repo).handler(ctx(workspace('dev'), { environment: 'dev' })),
    ).rejects.toThrow(/is locked: .*index\.lock exists/);
    fs.rmSync(path.join(repo, '.git', 'index.lock'));
    expect(snapshot(repo)).toEqual(before);
  });

  it('refuses a repository that is neither gitops.repository nor allowed, and leaves it unchanged', async () => {
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    const other = path.join(root.path, 'other-clone');
    fs.mkdirSync(other);
    git(other, 'init', '-q', '-b', 'main');
    git(
      other,
      '-c',
      'user.name=o',
      '-c',
      'user.email=o@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'other',
    );
    const before = snapshot(other);
    for (const repository of [
      other,
      `file://${other}`,
      `${other}/../other-clone`,
    ]) {
      await expect(
        makeAction(repo).handler(
          ctx(workspace('dev'), { environment: 'dev', repository }),
        ),
      ).rejects.toThrow(
        'The task names a GitOps repository this portal may not use. Leave "repository" empty to use the portal\'s GitOps repository (gitops.repository), or ask a platform admin to add it to gitops.allowedRepositories.',
      );
    }
    expect(snapshot(other)).toEqual(before);
    // the configured repository named explicitly is fine
    await makeAction(repo).handler(
      ctx(workspace('dev'), { environment: 'dev', repository: repo }),
    );
    expect(git(repo, 'log', '-1', '--format=%s')).toBe(
      'Environment dev: GitOps change',
    );
  });

  it('names a missing path and a path that is not a repository (by their last segment, not the server path)', async () => {
    const missing = path.join(root.path, 'nope');
    const plain = path.join(root.path, 'plain');
    const allowed = { allowedRepositories: [missing, plain] };
    await expect(
      makeAction(repo, allowed).handler(
        ctx(workspace('dev'), { environment: 'dev', repository: missing }),
      ),
    ).rejects.toThrow('GitOps repository path nope does not exist');
    expect(fs.existsSync(missing)).toBe(false);
    fs.mkdirSync(plain);
    await expect(
      makeAction(repo, allowed).handler(
        ctx(workspace('dev'), { environment: 'dev', repository: plain }),
      ),
    ).rejects.toThrow('GitOps repository path plain is not a git repository');
    expect(fs.readdirSync(plain)).toEqual([]);
    await expect(
      makeAction(path.join(root.path, 'no', 'parent')).handler(
        ctx(workspace('dev'), { environment: 'dev' }),
      ),
    ).rejects.toThrow(/its parent directory .* does not exist/);
  });

  it('leaves the repository unchanged on bad input and in a dry run', async () => {
    await makeAction(repo).handler(
      ctx(workspace('base'), { environment: 'base' }),
    );
    const before = snapshot(repo);
    await expect(
      makeAction(repo).handler(
        ctx(workspace('dev'), { environment: '../dev' }),
      ),
    ).rejects.toThrow(/must be a DNS-1123 label/);
    await expect(
      makeAction(repo).handler(
        ctx(workspace('dev'), { environment: 'dev', mode: 'pull-request' }),
      ),
    ).rejects.toThrow(/local repository/);
    const dry = {
      ...ctx(workspace('dev'), { environment: 'dev' }),
      isDryRun: true,
    };
    await makeAction(repo).handler(dry);
    expect(dry.output).toHaveBeenCalledWith('files', [
      'environments/dev/f0.yaml',
      'environments/dev/f1.yaml',
    ]);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('epicshelter:gitops:publish announces the change', () => {
  const root = createMockDirectory();
  let repo: string;
  beforeEach(() => {
    root.clear();
    repo = path.join(root.path, 'gitops');
  });

  it('publishes epicshelter.gitops.changed with repository, branch, commit and environment', async () => {
    const events = mockServices.events.mock();
    const c = ctx(workspace('dev'), { environment: 'dev' });
    await makeAction(repo, {}, events).handler(c);
    const head = git(repo, 'rev-parse', 'main');
    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(events.publish).toHaveBeenCalledWith({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        repository: repo,
        repositoryType: 'local',
        branch: 'main',
        commitSha: head,
        environment: 'dev',
      },
    });
    expect(GITOPS_CHANGED_TOPIC).toBe('epicshelter.gitops.changed');
  });

  it('announces nothing on a dry run', async () => {
    const events = mockServices.events.mock();
    // createMockActionContext does not take isDryRun
    const c = {
      ...ctx(workspace('dev'), { environment: 'dev' }),
      isDryRun: true,
    };
    await makeAction(repo, {}, events).handler(c);
    expect(events.publish).not.toHaveBeenCalled();
  });

  it('still succeeds when the events service fails, with a warning', async () => {
    const events = mockServices.events.mock({
      publish: async () => {
        throw new Error('bus down');
      },
    });
    const c = ctx(workspace('dev'), { environment: 'dev' });
    const warn = jest.spyOn(c.logger, 'warn');
    await makeAction(repo, {}, events).handler(c);
    expect(c.output).toHaveBeenCalledWith(
      'commitSha',
      git(repo, 'rev-parse', 'main'),
    );
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not publish epicshelter.gitops.changed'),
    );
  });
});
