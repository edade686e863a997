import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setupServer } from 'msw/node';
import { http } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { computeLifecycle } from '@epicshelter/plugin-environments-common';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { createFakeGithubRepository } from '@epicshelter/plugin-gitops-node/testUtils';
import {
  githubPullRequest,
  validateGithubResponse,
} from '@epicshelter/gitops-test-utils';
import { gitOpsRepositoryReader } from './repository';

const readerFor = (config: ConfigReader) =>
  gitOpsRepositoryReader(
    DefaultGitOpsRepositoryService.fromConfig(config).configured()!,
  );
const localReader = (dir: string, defaultBranch: string) =>
  readerFor(new ConfigReader({ gitops: { repository: dir, defaultBranch } }));

const server = setupServer();

/** A git repository in a temporary folder, with git run in it. */
function tempRepository(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const run = (env: Record<string, string>, args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } },
    ).trim();
  const git = (...args: string[]) => run({}, args);
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    /** Writes a file into the working tree (not committed). */
    write(file: string, content = 'x\n') {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    },
    /** Commits everything written, at `date` when given; returns the SHA. */
    commit(message: string, date?: string) {
      git('add', '-A');
      run(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}, [
        'commit',
        '-q',
        '--allow-empty',
        '-m',
        message,
      ]);
      return git('rev-parse', 'HEAD');
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

describe('gitOpsRepositoryReader on GitHub', () => {
  registerMswTestHooks(server);
  let repo: ReturnType<typeof tempRepository>;
  beforeEach(() => {
    repo = tempRepository('env-github-');
  });
  afterEach(() => repo.remove());

  /** The fake GitHub host serving `repo` as acme/gitops; records the authorization it saw. */
  function fakeGithub(
    options: Partial<Parameters<typeof createFakeGithubRepository>[0]> = {},
  ) {
    const fake = createFakeGithubRepository({
      dir: repo.dir,
      token: 'ghp_secret',
      validate: validateGithubResponse,
      ...options,
    });
    const seen = new Set<string>();
    server.use(
      http.all(`${fake.apiBaseUrl}/repos/acme/gitops/*`, ({ request }) => {
        seen.add(request.headers.get('authorization')!);
        return fake.handle(request);
      }),
    );
    return { fake, seen };
  }
  const reader = () =>
    readerFor(
      new ConfigReader({
        integrations: { github: [{ host: 'github.com', token: 'ghp_secret' }] },
        gitops: { repository: 'https://github.com/acme/gitops' },
      }),
    );

  it('reads head, compare counts, the first commit (last page) and an open pull request', async () => {
    const spec = 'environments/dev/environment.yaml';
    repo.write(spec, 'name: dev\n');
    const added = repo.commit(
      'Add environment dev\n\nbody',
      '2026-01-01T00:00:00Z',
    );
    const revision = repo.commit('later');
    for (const ttl of ['1d', '2d', '3d', '4d']) {
      repo.write(spec, `name: dev\nttl: ${ttl}\n`);
      repo.commit(`ttl ${ttl}`);
    }
    const head = repo.git('rev-parse', 'HEAD');
    const { fake, seen } = fakeGithub({
      // two commits a page: the first commit of the file is on the last page
      maxPerPage: 2,
      pullRequests: [
        githubPullRequest({
          number: 12,
          head: 'epicshelter/dev',
          state: 'open',
          createdAt: '2026-01-01T09:00:00Z',
        }),
      ],
    });
    const r = reader();
    expect(await r.head()).toEqual({
      sha: head,
      url: `https://github.com/acme/gitops/commit/${head}`,
    });
    expect(await r.compare(head, revision)).toEqual({
      aheadBy: 0,
      behindBy: 4,
    });
    expect(await r.firstCommit(spec)).toEqual({
      sha: added,
      at: '2026-01-01T00:00:00.000Z',
      message: 'Add environment dev',
      url: `https://github.com/acme/gitops/commit/${added}`,
    });
    expect(
      fake.requests.filter(q => q.startsWith('GET /commits?')).pop(),
    ).toMatch(/[?&]page=3$/);
    const change = await r.findChange('epicshelter/dev');
    expect(change).toEqual({
      kind: 'pull-request',
      number: 12,
      url: 'https://github.com/acme/gitops/pull/12',
      state: 'open',
      draft: false,
      createdAt: '2026-01-01T09:00:00Z',
    });
    expect([...seen]).toEqual(['Bearer ghp_secret']);
    expect(fake.invalid).toEqual([]);

    // PR open, nothing on main yet: the lifecycle is blocked at merge.
    const lifecycle = computeLifecycle({
      environment: 'dev',
      changeBranch: 'epicshelter/dev',
      defaultBranch: 'main',
      change,
      expectedApplications: ['dev-workloads', 'dev-infrastructure'],
      applications: [],
      resources: [],
    });
    expect(lifecycle).toMatchObject({
      blockedAt: 'merged',
      reason:
        'Pull request #12 is open: waiting for review and merge into main',
    });
  });

  it('lists the apps with a base folder from two tree requests at the branch head', async () => {
    for (const file of [
      'README.md',
      'apps/storefront/base/kustomization.yaml',
      'apps/orders-api/base/deployment.yaml',
      'apps/notes/README.md',
      'apps/legacy/overlays/base/kustomization.yaml',
      'environments/dev/environment.yaml',
    ]) {
      repo.write(file);
    }
    repo.commit('apps');
    const { fake } = fakeGithub();
    expect(await reader().listApps()).toEqual(['orders-api', 'storefront']);
    const head = repo.git('rev-parse', 'HEAD');
    expect(fake.requests.filter(q => q.includes('/git/trees/'))).toEqual([
      `GET /git/trees/${head}`,
      `GET /git/trees/${repo.git('rev-parse', 'HEAD:apps')}?recursive=1`,
    ]);
    expect(fake.invalid).toEqual([]);
  });

  it('turns a 404 into a NotFoundError naming the repository', async () => {
    repo.commit('one');
    fakeGithub();
    await expect(reader().compare('a', 'b')).rejects.toThrow(
      'GitHub acme/gitops: /compare/a...b not found',
    );
  });
});

describe('gitOpsRepositoryReader on a local repository', () => {
  let repo: ReturnType<typeof tempRepository>;
  beforeEach(() => {
    repo = tempRepository('env-repository-');
  });
  afterEach(() => repo.remove());

  it('counts commits and says briefly why a revision cannot be compared', async () => {
    repo.commit('one');
    repo.commit('two');
    const reader = localReader(repo.dir, 'main');
    const { sha } = await reader.head();
    expect(await reader.compare(sha, repo.git('rev-parse', 'HEAD~1'))).toEqual({
      aheadBy: 0,
      behindBy: 1,
    });
    const invented = 'ab'.repeat(20);
    await expect(reader.compare(sha, invented)).rejects.toThrow(
      `Commit ${invented} is not in the GitOps repository ${path.basename(
        repo.dir,
      )}: Argo CD deploys from another repository, or from history this copy does not have`,
    );
    await expect(localReader(repo.dir, 'release').head()).rejects.toThrow(
      `refs/heads/release does not exist in the GitOps repository ${path.basename(
        repo.dir,
      )}`,
    );
  });

  it('lists the folders of apps/ that have a base, as committed on the branch', async () => {
    const reader = localReader(repo.dir, 'main');
    repo.commit('empty');
    expect(await reader.listApps()).toEqual([]);
    repo.write('apps/storefront/base/kustomization.yaml');
    repo.write('apps/orders-api/base/deployment.yaml');
    repo.write('apps/notes/README.md');
    repo.commit('apps');
    repo.write('apps/uncommitted/base/kustomization.yaml');
    expect(await reader.listApps()).toEqual(['orders-api', 'storefront']);
  });
});
