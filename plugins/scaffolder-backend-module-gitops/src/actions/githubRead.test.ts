import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { setupServer } from 'msw/node';
import { http } from 'msw';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import {
  FakeGithubRepository,
  createFakeGithubRepository,
} from '@epicshelter/plugin-gitops-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  generateEnvironment,
  safeParseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { createEnvironmentCreateAction } from './createEnvironment';
import { allowEveryone } from '../__testUtils__/authorizers';
import { createEnvironmentAddResourceAction } from './addResource';
import { createGitOpsValidateAction } from './validate';
import { RepositoryAccess } from '../repository';
import { platformFixture } from '../__testUtils__/platformFixture';
import { git, seedRepository } from '../__testUtils__/localRepo';
import { validateGithubResponse } from '../__testUtils__/githubOpenApi';

const server = setupServer();
registerMswTestHooks(server);

const EXISTING = {
  name: 'team-a-dev',
  owner: 'group:default/team-a',
  target: 'local',
  provider: 'local',
  workloads: ['web'],
  resources: {
    databases: [{ name: 'main', engine: 'postgres', version: '16' }],
  },
};

const commit = (dir: string, message: string) => {
  git(dir, 'add', '-A');
  git(
    dir,
    '-c',
    'user.name=x',
    '-c',
    'user.email=x@example.com',
    'commit',
    '-qm',
    message,
  );
};

const outputOf = (ctx: { output: unknown }, name: string) =>
  (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];

/**
 * The read path of the environment and validate actions for a GitHub GitOps
 * repository: the GitOps repository service of gitops-node reading the
 * branch head's commit, trees and blobs from an msw GitHub that serves a
 * seeded git repository (answers checked against @octokit/openapi).
 */
// Real git repositories and full validation: slow on a loaded 2-core CI.
jest.setTimeout(30_000);

describe('environment actions reading a GitHub GitOps repository', () => {
  const root = createMockDirectory();
  let origin: string;
  let gh: FakeGithubRepository;
  let access: RepositoryAccess;

  beforeEach(() => {
    root.clear();
    origin = path.join(root.path, 'origin');
    const parsed = safeParseEnvironmentSpec(EXISTING);
    if (!parsed.success) throw new Error('fixture spec is invalid');
    const files = { ...platformFixture(), ...generateEnvironment(parsed.spec) };
    // a hand edit that exists only in the GitHub repository
    const k = 'environments/team-a-dev/infrastructure/kustomization.yaml';
    files[k] = `${files[k]}  - extra.yaml\n`;
    files['environments/team-a-dev/infrastructure/extra.yaml'] =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: team-a-dev\n';
    seedRepository(origin, files);

    gh = serve('ghp_test_token');
    const config = new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_test_token' }],
      },
      gitops: {
        repository: 'https://github.com/epicshelter/gitops',
        defaultBranch: 'main',
      },
    });
    access = { config, integrations: ScmIntegrations.fromConfig(config) };
  });

  /** Serves `origin` as github.com/epicshelter/gitops, accepting `token`. */
  function serve(token: string) {
    const fake = createFakeGithubRepository({
      dir: origin,
      owner: 'epicshelter',
      token,
      validate: validateGithubResponse,
    });
    server.use(
      http.all(`${fake.apiBaseUrl}/repos/epicshelter/gitops/*`, ({ request }) =>
        fake.handle(request),
      ),
    );
    return fake;
  }

  const workspace = () => {
    const dir = path.join(
      root.path,
      `ws-${Math.random().toString(36).slice(2)}`,
    );
    fs.mkdirSync(dir);
    return dir;
  };

  function expectOnlyReads(ref: string) {
    expect(gh.requests[0]).toBe(`GET /commits/${ref}`);
    expect(
      gh.requests.filter(
        r => !/^GET \/(commits\/|git\/trees\/|git\/blobs\/)/.test(r),
      ),
    ).toEqual([]);
    expect(gh.invalid).toEqual([]);
  }

  it('create: an environment that exists on GitHub is a conflict, nothing is rendered', async () => {
    const ws = workspace();
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: { spec: EXISTING },
    });
    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(ctx),
    ).rejects.toThrow(/spec\.name: environment "team-a-dev" already exists/);
    expect(fs.readdirSync(ws)).toEqual([]);
    expectOnlyReads('main');
  });

  it('create: a new environment is checked against the GitHub content and rendered', async () => {
    const ws = workspace();
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: { spec: { ...EXISTING, name: 'team-b-dev' } },
    });
    await createEnvironmentCreateAction({
      ...access,
      authorizer: allowEveryone,
    }).handler(ctx);
    expect(outputOf(ctx, 'entityRef')).toBe('resource:default/team-b-dev');
    expect(
      fs.existsSync(
        path.join(ws, 'gitops/environments/team-b-dev/environment.yaml'),
      ),
    ).toBe(true);
    expectOnlyReads('main');

    // a workload without a base in the GitHub repository is refused
    const bad = createMockActionContext({
      workspacePath: workspace(),
      input: { spec: { ...EXISTING, name: 'team-c', workloads: ['billing'] } },
    });
    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(bad),
    ).rejects.toThrow(/spec\.workloads\[0\]: app "billing" has no base/);
  });

  it('create: reads the targetBranch, and names a branch GitHub does not know', async () => {
    git(origin, 'checkout', '-q', '-b', 'staging');
    const parsed = safeParseEnvironmentSpec({
      ...EXISTING,
      name: 'team-b-dev',
    });
    if (!parsed.success) throw new Error('fixture spec is invalid');
    for (const [p, c] of Object.entries(generateEnvironment(parsed.spec))) {
      fs.mkdirSync(path.dirname(path.join(origin, p)), { recursive: true });
      fs.writeFileSync(path.join(origin, p), c);
    }
    commit(origin, 'team-b-dev on staging');
    git(origin, 'checkout', '-q', 'main');

    const input = {
      spec: { ...EXISTING, name: 'team-b-dev' },
      targetBranch: 'staging',
    };
    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(
        createMockActionContext({ workspacePath: workspace(), input }),
      ),
    ).rejects.toThrow(/environment "team-b-dev" already exists/);
    expectOnlyReads('staging');

    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(
        createMockActionContext({
          workspacePath: workspace(),
          input: { ...input, targetBranch: 'nope' },
        }),
      ),
    ).rejects.toThrow(
      /Cannot read GitOps repository https:\/\/github\.com\/.* at branch "nope": .*integrations\.github \(host github\.com\).*GitHub epicshelter\/gitops: .*nope not found/,
    );
  });

  it('add-resource: reads the environment spec from GitHub and writes only what changes', async () => {
    const ws = workspace();
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: {
        environment: 'resource:default/team-a-dev',
        type: 'cache' as const,
        resource: { name: 'sessions', size: 'medium' },
      },
    });
    await createEnvironmentAddResourceAction({
      ...access,
      authorizer: allowEveryone,
    }).handler(ctx);
    expectOnlyReads('main');

    const files = outputOf(ctx, 'files') as string[];
    expect(files).toEqual(
      expect.arrayContaining([
        'environments/team-a-dev/environment.yaml',
        'environments/team-a-dev/infrastructure/kustomization.yaml',
      ]),
    );
    const added = files.filter(f => !fs.existsSync(path.join(origin, f)));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^environments\/team-a-dev\/infrastructure\//);
    const read = (f: string) =>
      fs.readFileSync(path.join(ws, 'gitops', f), 'utf8');
    // the database from the GitHub copy of the spec is kept next to the cache
    const doc = yaml.parse(read('environments/team-a-dev/environment.yaml'));
    expect(doc.spec.resources.databases).toEqual([
      expect.objectContaining({ name: 'main', engine: 'postgres' }),
    ]);
    expect(doc.spec.resources.caches).toEqual([
      expect.objectContaining({ name: 'sessions', size: 'medium' }),
    ]);
    // the entry added by hand on GitHub survives the kustomization merge
    const kustomization = yaml.parse(
      read('environments/team-a-dev/infrastructure/kustomization.yaml'),
    );
    expect(kustomization.resources).toContain('extra.yaml');
    expect(kustomization.resources).toContain(path.basename(added[0]));

    const missing = createMockActionContext({
      workspacePath: workspace(),
      input: {
        environment: 'team-z',
        type: 'bucket' as const,
        resource: { name: 'b' },
      },
    });
    await expect(
      createEnvironmentAddResourceAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(missing),
    ).rejects.toThrow(
      /Environment team-z does not exist in the GitOps repository/,
    );
  });

  it('validate: runs the validator on the GitHub tree with the change applied', async () => {
    const originFiles = git(origin, 'ls-files').split('\n');

    // the change references extra.yaml, which only the GitHub tree holds
    const ws = workspace();
    const k = 'environments/team-a-dev/infrastructure/kustomization.yaml';
    const current = fs.readFileSync(path.join(origin, k), 'utf8');
    const withNotes = `${current}  - notes.yaml\n`;
    fs.mkdirSync(path.dirname(path.join(ws, 'gitops', k)), {
      recursive: true,
    });
    fs.writeFileSync(path.join(ws, 'gitops', k), withNotes);
    fs.writeFileSync(
      path.join(ws, 'gitops/environments/team-a-dev/infrastructure/notes.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  namespace: team-a-dev\n',
    );
    const ok = createMockActionContext({ workspacePath: ws, input: {} });
    await createGitOpsValidateAction(access).handler(ok);
    expectOnlyReads('main');
    expect(outputOf(ok, 'fileCount')).toBe(originFiles.length + 1);
    expect(outputOf(ok, 'changedFiles')).toEqual([
      'environments/team-a-dev/infrastructure/kustomization.yaml',
      'environments/team-a-dev/infrastructure/notes.yaml',
    ]);

    // the same change without the new file: the merged tree is invalid
    const ws2 = workspace();
    fs.mkdirSync(path.dirname(path.join(ws2, 'gitops', k)), {
      recursive: true,
    });
    fs.writeFileSync(path.join(ws2, 'gitops', k), withNotes);
    await expect(
      createGitOpsValidateAction(access).handler(
        createMockActionContext({ workspacePath: ws2, input: {} }),
      ),
    ).rejects.toThrow(
      /would be invalid after this change[\s\S]*infrastructure\/kustomization\.yaml.*notes\.yaml/,
    );
  });

  it("fails with GitHub's 401 when the integration token is refused", async () => {
    serve('ghp_another_token');
    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(
        createMockActionContext({
          workspacePath: workspace(),
          input: { spec: { ...EXISTING, name: 'team-b-dev' } },
        }),
      ),
    ).rejects.toThrow(/integrations\.github \(host github\.com\).*401/);
  });
});
