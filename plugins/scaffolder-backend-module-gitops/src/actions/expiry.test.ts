import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createEnvironmentCreateAction } from './createEnvironment';
import { createEnvironmentExtendAction } from './extend';
import { createGitOpsPublishAction } from './publish';
import { allowEveryone } from '../__testUtils__/authorizers';
import { platformFixture } from '../__testUtils__/platformFixture';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from '../__testUtils__/localRepo';
import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';

const SPEC = {
  name: 'preview-42',
  owner: 'group:default/team-a',
  target: 'local',
  provider: 'local',
};

// Real git repositories: slow on a loaded 2-core CI.
jest.setTimeout(30_000);

describe('ephemeral environments: create with a time to live, extend', () => {
  const root = createMockDirectory();
  let repo: string;
  let now: Date;
  const clock = () => now;

  const setup = (ttl: object = { max: '7d' }) => {
    const config = new ConfigReader({
      gitops: { repository: repo, defaultBranch: 'main' },
      epicshelter: { environments: { ttl } },
    });
    return { config, integrations: ScmIntegrations.fromConfig(config) };
  };

  beforeEach(() => {
    root.clear();
    repo = path.join(root.path, 'gitops');
    seedRepository(repo, platformFixture());
    now = new Date('2026-12-06T10:00:00.000Z');
  });

  let wsCount = 0;
  const workspace = () => {
    const dir = path.join(root.path, `ws-${wsCount++}`);
    fs.mkdirSync(dir);
    return dir;
  };

  const envFile = () =>
    yaml.parse(
      git(repo, 'show', 'main:environments/preview-42/environment.yaml'),
    );

  const output = (ctx: { output: unknown }, name: string) =>
    (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];

  async function run(
    action: 'create' | 'extend',
    input: JsonObject,
    options: { ttl?: object; authorizer?: EnvironmentAuthorizer } = {},
  ) {
    const access = setup(options.ttl);
    const ws = workspace();
    const ctx = createMockActionContext({ workspacePath: ws, input });
    const create =
      action === 'create'
        ? createEnvironmentCreateAction
        : createEnvironmentExtendAction;
    await create({
      ...access,
      authorizer: options.authorizer ?? allowEveryone,
      clock,
    }).handler(ctx as any);
    await createGitOpsPublishAction(access).handler(
      createMockActionContext({
        workspacePath: ws,
        input: {
          environment: 'preview-42',
          sourcePath: 'gitops',
          title: output(ctx, 'title'),
        },
      }) as any,
    );
    return ctx;
  }

  it('stores the ttl and its expiry in the environment spec', async () => {
    const ctx = await run('create', { spec: SPEC, ttl: '4h' });
    expect(envFile().spec.expiry).toEqual({
      ttl: '4h',
      expiresAt: '2026-12-06T14:00:00.000Z',
    });
    expect(output(ctx, 'summary')).toContain(
      '- Expires 2026-12-06T14:00:00.000Z (time to live 4 hours)',
    );
  });

  it('applies the configured default, and none without one', async () => {
    await run('create', { spec: SPEC }, { ttl: { max: '7d', default: '1d' } });
    expect(envFile().spec.expiry.expiresAt).toBe('2026-12-07T10:00:00.000Z');
    git(repo, 'rm', '-rq', 'environments/preview-42');
    git(
      repo,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@e',
      'commit',
      '-qm',
      'rm',
    );
    await run('create', { spec: SPEC, ttl: '' });
    expect(envFile().spec).not.toHaveProperty('expiry');
  });

  it.each([
    [
      '8d',
      "Invalid environment: time to live 8d is longer than the platform's maximum of 7d (7 days); choose 7d or less. Nothing was written.",
    ],
    [
      'a week',
      'Invalid environment: time to live "a week" is not a whole number followed by m (minutes), h (hours), d (days) or w (weeks), e.g. 4h, 1d or 7d. Nothing was written.',
    ],
  ])('refuses ttl %j clearly and writes nothing', async (ttl, message) => {
    const before = repositorySnapshot(repo);
    const ws = workspace();
    const access = setup();
    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
        clock,
      }).handler(
        createMockActionContext({
          workspacePath: ws,
          input: { spec: SPEC, ttl },
        }) as any,
      ),
    ).rejects.toThrow(message);
    expect(fs.readdirSync(ws)).toEqual([]);
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses a spec that sets its own expiry', async () => {
    const access = setup();
    await expect(
      createEnvironmentCreateAction({
        ...access,
        authorizer: allowEveryone,
      }).handler(
        createMockActionContext({
          workspacePath: workspace(),
          input: {
            spec: {
              ...SPEC,
              expiry: { ttl: '1d', expiresAt: '2099-01-01T00:00:00Z' },
            },
          },
        }) as any,
      ),
    ).rejects.toThrow(/spec\.expiry is computed by the platform/);
  });

  it('extends from the current expiry, in one change to environment.yaml', async () => {
    await run('create', { spec: SPEC, ttl: '1d' });
    const head = git(repo, 'rev-parse', 'main');
    now = new Date('2026-12-07T09:00:00.000Z');
    const ctx = await run('extend', {
      environment: 'resource:default/preview-42',
      by: '2d',
    });
    expect(envFile().spec.expiry).toEqual({
      ttl: '2d',
      expiresAt: '2026-12-09T10:00:00.000Z',
    });
    expect(output(ctx, 'files')).toEqual([
      'environments/preview-42/environment.yaml',
    ]);
    expect(git(repo, 'diff', '--name-only', head, 'main')).toBe(
      'environments/preview-42/environment.yaml',
    );
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe(
      'Environment preview-42: extend by 2d',
    );
  });

  it('extends from now once the expiry has passed', async () => {
    await run('create', { spec: SPEC, ttl: '4h' });
    now = new Date('2026-12-06T20:00:00.000Z');
    await run('extend', { environment: 'preview-42', by: '4h' });
    expect(envFile().spec.expiry.expiresAt).toBe('2026-12-07T00:00:00.000Z');
  });

  it.each([
    [
      { by: '7d' },
      "Cannot extend environment 'preview-42': extending by 7d would move the expiry to 2026-12-14T10:00:00.000Z, more than the platform's maximum of 7d from now (latest 2026-12-13T10:00:00.000Z); extend by less. Nothing was changed.",
    ],
    [{ by: 'forever' }, /time to live "forever" is not a whole number/],
    [
      { environment: 'nowhere', by: '1d' },
      /Environment nowhere does not exist/,
    ],
  ])('refuses %j and changes nothing', async (input, message) => {
    await run('create', { spec: SPEC, ttl: '1d' });
    const before = repositorySnapshot(repo);
    const ws = workspace();
    await expect(
      createEnvironmentExtendAction({
        ...setup(),
        authorizer: allowEveryone,
        clock,
      }).handler(
        createMockActionContext({
          workspacePath: ws,
          input: { environment: 'preview-42', ...input },
        }) as any,
      ),
    ).rejects.toThrow(message);
    expect(fs.readdirSync(ws)).toEqual([]);
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses an environment without a time to live', async () => {
    await run('create', { spec: SPEC });
    await expect(
      run('extend', { environment: 'preview-42', by: '1d' }),
    ).rejects.toThrow(
      "Cannot extend environment 'preview-42': the environment has no time to live, so it does not expire and cannot be extended. Nothing was changed.",
    );
  });

  it('asks the authorizer first, with the change it names', async () => {
    await run('create', { spec: SPEC, ttl: '1d' });
    const before = repositorySnapshot(repo);
    const refuse: EnvironmentAuthorizer = {
      ...allowEveryone,
      async authorizeEnvironmentChange({ environment, change }) {
        throw new Error(`no: ${change} to ${environment}`);
      },
    };
    await expect(
      run(
        'extend',
        { environment: 'preview-42', by: '1d' },
        { authorizer: refuse },
      ),
    ).rejects.toThrow('no: add 1d of time to live to preview-42');
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('runs its examples', async () => {
    await run('create', { spec: SPEC, ttl: '1d' });
    const action = createEnvironmentExtendAction({
      ...setup(),
      authorizer: allowEveryone,
      clock,
    });
    for (const example of action.examples ?? []) {
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe(action.id);
      const ctx = createMockActionContext({
        workspacePath: workspace(),
        input: step.input,
      });
      await action.handler(ctx as any);
      expect(output(ctx, 'expiresAt')).toBe('2026-12-08T10:00:00.000Z');
    }
  });
});
