import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { validateRepository } from '@epicshelter/plugin-gitops-common';
import { createEnvironmentCreateAction } from './createEnvironment';
import { allowEveryone } from '../__testUtils__/authorizers';
import { createEnvironmentAddResourceAction } from './addResource';
import { createGitOpsValidateAction } from './validate';
import { createGitOpsPublishAction } from './publish';
import { platformFixture } from '../__testUtils__/platformFixture';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from '../__testUtils__/localRepo';
import { RepositoryAccess } from '../repository';

const SPEC = {
  name: 'team-a-dev',
  owner: 'group:default/team-a',
  target: 'local',
  provider: 'local',
  workloads: ['web'],
  resources: {
    databases: [{ name: 'main', engine: 'postgres', version: '16' }],
  },
};

// Real git repositories and full validation: slow on a loaded 2-core CI.
jest.setTimeout(30_000);

describe('environment actions against a local GitOps repository', () => {
  const root = createMockDirectory();
  let repo: string;
  let access: RepositoryAccess;

  beforeEach(() => {
    root.clear();
    repo = path.join(root.path, 'gitops');
    seedRepository(repo, platformFixture());
    const config = new ConfigReader({
      gitops: { repository: repo, defaultBranch: 'main' },
    });
    access = { config, integrations: ScmIntegrations.fromConfig(config) };
  });

  const workspace = () => {
    const dir = path.join(
      root.path,
      `ws-${Math.random().toString(36).slice(2)}`,
    );
    fs.mkdirSync(dir);
    return dir;
  };

  async function createEnv(spec: unknown, ws = workspace()) {
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: { spec } as any,
    });
    await createEnvironmentCreateAction({
      ...access,
      authorizer: allowEveryone,
    }).handler(ctx);
    return ctx;
  }

  async function publish(ws: string, environment: string) {
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: { environment, sourcePath: 'gitops' } as any,
    });
    await createGitOpsPublishAction({
      config: access.config,
      integrations: access.integrations,
    }).handler(ctx);
    return ctx;
  }

  it('renders a valid environment into the workspace and names its entity', async () => {
    const ws = workspace();
    const ctx = await createEnv(SPEC, ws);
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'resource:default/team-a-dev',
    );
    const files = (ctx.output as jest.Mock).mock.calls.find(
      c => c[0] === 'files',
    )![1] as string[];
    expect(files).toContain('environments/team-a-dev/environment.yaml');
    expect(files.every(f => f.startsWith('environments/team-a-dev/'))).toBe(
      true,
    );
    for (const f of files)
      expect(fs.existsSync(path.join(ws, 'gitops', f))).toBe(true);
    const summary = (ctx.output as jest.Mock).mock.calls.find(
      c => c[0] === 'summary',
    )![1];
    expect(summary).toContain('Database `main`: postgres 16');

    // validate → publish → the repository validates after the commit
    const v = createMockActionContext({ workspacePath: ws, input: {} as any });
    await createGitOpsValidateAction(access).handler(v);
    await publish(ws, 'team-a-dev');
    const tree: Record<string, string> = {};
    for (const f of git(repo, 'ls-tree', '-r', '--name-only', 'main').split(
      '\n',
    )) {
      tree[f] = fs.readFileSync(path.join(repo, f), 'utf8');
    }
    expect(validateRepository(tree).issues).toEqual([]);
  });

  it.each([
    [
      { ...SPEC, name: 'Team-A' },
      /spec\.name: must be a DNS-1123 label: contains uppercase "T"/,
    ],
    [
      { ...SPEC, name: 'a'.repeat(41) },
      /spec\.name: must be at most 40 characters/,
    ],
    [{ ...SPEC, name: '../etc' }, /spec\.name: must be a DNS-1123 label/],
    [{ ...SPEC, name: '' }, /spec\.name: must not be empty/],
    [{ ...SPEC, name: 'tеam' }, /non-ASCII character "е" \(U\+0435\)/],
    [
      { ...SPEC, name: 'a:b' },
      /spec\.name: must be a DNS-1123 label: contains ":"/,
    ],
    [{ ...SPEC, name: 'a#b' }, /contains "#"/],
    [{ ...SPEC, name: 'a\nb' }, /control character U\+000A/],
    [{ ...SPEC, name: 'a"b' }, /contains "\\""/],
    [
      { ...SPEC, provider: 'digitalocean' },
      /spec\.provider: must be one of local, aws, gcp, azure/,
    ],
    [
      { ...SPEC, target: 'cloud', provider: 'aws', region: 'mars-1' },
      /spec\.region: "mars-1" is not a aws region/,
    ],
    [
      { ...SPEC, target: 'cloud', provider: 'local' },
      /spec\.provider: "local" provider is only valid for the local target/,
    ],
    [
      {
        ...SPEC,
        resources: {
          databases: [{ name: 'main', engine: 'postgres', version: '9.6' }],
        },
      },
      /spec\.resources\.databases\[0\]\.version: postgres version "9.6" is not offered/,
    ],
    [
      {
        ...SPEC,
        resources: { databases: [{ name: 'main', engine: 'oracle' }] },
      },
      /spec\.resources\.databases\[0\]\.engine/,
    ],
    [
      { ...SPEC, workloads: ['billing'] },
      /spec\.workloads\[0\]: app "billing" has no base/,
    ],
  ])(
    'rejects bad input %#, naming the field, and the repository stays unchanged',
    async (spec, message) => {
      const before = repositorySnapshot(repo);
      const ws = workspace();
      await expect(createEnv(spec, ws)).rejects.toThrow(message);
      expect(fs.readdirSync(ws)).toEqual([]);
      expect(repositorySnapshot(repo)).toEqual(before);
    },
  );

  it('rejects an environment that already exists', async () => {
    const ws = workspace();
    await createEnv(SPEC, ws);
    await publish(ws, 'team-a-dev');
    const before = repositorySnapshot(repo);
    await expect(createEnv(SPEC)).rejects.toThrow(
      /spec\.name: environment "team-a-dev" already exists/,
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('rejects a resource the repository platform API does not offer', async () => {
    git(repo, 'rm', '-q', 'platform/apis/cache/definition.yaml');
    git(
      repo,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'drop caches',
    );
    await expect(
      createEnv({ ...SPEC, resources: { caches: [{ name: 'c' }] } }),
    ).rejects.toThrow(
      /spec\.resources\.caches: the repository's platform API has no XRD offering Cache/,
    );
  });

  it('validate fails with the validator messages for a broken change', async () => {
    const ws = workspace();
    fs.mkdirSync(path.join(ws, 'gitops/environments/x/infrastructure'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(ws, 'gitops/environments/x/infrastructure/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n',
    );
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: {} as any,
    });
    await expect(
      createGitOpsValidateAction(access).handler(ctx),
    ).rejects.toThrow(
      /would be invalid after this change[\s\S]*environments\/x\/infrastructure\/kustomization\.yaml.*missing\.yaml/,
    );
  });

  it('add-resource writes only the new claim, the kustomization and the environment document', async () => {
    const ws = workspace();
    await createEnv(SPEC, ws);
    await publish(ws, 'team-a-dev');
    const ws2 = workspace();
    const ctx = createMockActionContext({
      workspacePath: ws2,
      input: {
        environment: 'resource:default/team-a-dev',
        type: 'cache',
        resource: { name: 'sessions', size: 'medium' },
      } as any,
    });
    await createEnvironmentAddResourceAction({
      ...access,
      authorizer: allowEveryone,
    }).handler(ctx);
    const files = (ctx.output as jest.Mock).mock.calls.find(
      c => c[0] === 'files',
    )![1] as string[];
    expect(files).toEqual(
      expect.arrayContaining([
        'environments/team-a-dev/environment.yaml',
        'environments/team-a-dev/infrastructure/kustomization.yaml',
      ]),
    );
    const added = files.filter(f => !fs.existsSync(path.join(repo, f)));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(
      /^environments\/team-a-dev\/infrastructure\/.*sessions/,
    );
    // only these; nothing else in the environment is rewritten
    expect(
      files
        .filter(
          f => f.includes('/workloads/') && !f.endsWith('kustomization.yaml'),
        )
        .every(
          f =>
            fs.readFileSync(path.join(ws2, 'gitops', f), 'utf8') !==
            fs.readFileSync(path.join(repo, f), 'utf8'),
        ),
    ).toBe(true);
    const v = createMockActionContext({ workspacePath: ws2, input: {} as any });
    await createGitOpsValidateAction(access).handler(v);
    await publish(ws2, 'team-a-dev');
    const doc = yaml.parse(
      fs.readFileSync(
        path.join(repo, 'environments/team-a-dev/environment.yaml'),
        'utf8',
      ),
    );
    expect(doc.spec.resources.caches).toEqual([
      expect.objectContaining({
        name: 'sessions',
        engine: 'redis',
        size: 'medium',
      }),
    ]);
  });

  it('add-resource keeps kustomization entries added by hand and refuses duplicates', async () => {
    const ws = workspace();
    await createEnv(SPEC, ws);
    await publish(ws, 'team-a-dev');
    const k = path.join(
      repo,
      'environments/team-a-dev/infrastructure/kustomization.yaml',
    );
    fs.writeFileSync(
      path.join(repo, 'environments/team-a-dev/infrastructure/extra.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: team-a-dev\n',
    );
    fs.writeFileSync(k, `${fs.readFileSync(k, 'utf8')}  - extra.yaml\n`);
    git(repo, 'add', '-A');
    git(
      repo,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-qm',
      'hand edit',
    );
    const ws2 = workspace();
    const ctx = createMockActionContext({
      workspacePath: ws2,
      input: {
        environment: 'team-a-dev',
        type: 'bucket',
        resource: { name: 'files' },
      } as any,
    });
    await createEnvironmentAddResourceAction({
      ...access,
      authorizer: allowEveryone,
    }).handler(ctx);
    const merged = yaml.parse(
      fs.readFileSync(
        path.join(
          ws2,
          'gitops/environments/team-a-dev/infrastructure/kustomization.yaml',
        ),
        'utf8',
      ),
    );
    expect(merged.resources).toContain('extra.yaml');
    expect(merged.resources.some((r: string) => r.includes('files'))).toBe(
      true,
    );

    const dup = createMockActionContext({
      workspacePath: workspace(),
      input: {
        environment: 'team-a-dev',
        type: 'database',
        resource: { name: 'main', engine: 'mysql' },
      } as any,
    });
    await expect(
      createEnvironmentAddResourceAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(dup),
    ).rejects.toThrow(
      /spec\.resources\.databases\[1\]\.name: "main" is already used/,
    );
    const missing = createMockActionContext({
      workspacePath: workspace(),
      input: {
        environment: 'nope',
        type: 'bucket',
        resource: { name: 'b' },
      } as any,
    });
    await expect(
      createEnvironmentAddResourceAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(missing),
    ).rejects.toThrow(/Environment nope does not exist/);
  });
});
