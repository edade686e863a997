import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { allowEveryone } from '../__testUtils__/authorizers';
import { platformFixture } from '../__testUtils__/platformFixture';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from '../__testUtils__/localRepo';
import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';
import { RepositoryAccess } from '../repository';
import { createEnvironmentPromoteAction } from './promote';
import { examples } from './promote.examples';
import { createGitOpsPublishAction } from './publish';

const env = (name: string, imageTag: string) =>
  generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner: `group:default/${name}-team`,
      target: 'local',
      provider: 'local',
      workloads: ['web'],
      workloadOverrides: { web: { imageTag, replicas: 1 } },
    }),
  );

jest.setTimeout(30_000);

describe('epicshelter:environment:promote', () => {
  const root = createMockDirectory();
  let repo: string;
  let access: RepositoryAccess;

  beforeEach(() => {
    root.clear();
    repo = path.join(root.path, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...env('staging', '1.4.0'),
      ...env('prod', '1.3.0'),
    });
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
  const outputs = (ctx: { output: unknown }) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  async function promote(
    input: Record<string, unknown>,
    options: { authorizer?: EnvironmentAuthorizer; isDryRun?: boolean } = {},
  ) {
    const ws = workspace();
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: input as any,
      isDryRun: options.isDryRun,
    });
    await createEnvironmentPromoteAction({
      ...access,
      authorizer: options.authorizer ?? allowEveryone,
    }).handler(ctx);
    return { ws, ctx, out: outputs(ctx) };
  }

  it('writes only the target overlay, outputs the rendered diff and a body containing it, and publish commits exactly that', async () => {
    const { ws, out } = await promote({
      from: 'resource:default/staging',
      to: 'prod',
      workloads: ['web'],
    });
    expect(out.files).toEqual([
      'environments/prod/environment.yaml',
      'environments/prod/workloads/kustomization.yaml',
    ]);
    expect(out.title).toBe('Environment prod: promote web from staging');
    expect(
      out.diff.split('\n').filter((l: string) => /^[-+][^-+]/.test(l)),
    ).toEqual([
      '-          image: ghcr.io/epicshelter/web:1.3.0',
      '+          image: ghcr.io/epicshelter/web:1.4.0',
    ]);
    expect(out.body).toContain('- `web`: 1.3.0 → 1.4.0');
    expect(out.body).toContain(out.diffMarkdown);
    expect(out.baseCommit).toBe(git(repo, 'rev-parse', 'main'));
    const written = yaml.parse(
      fs.readFileSync(
        path.join(ws, 'gitops/environments/prod/environment.yaml'),
        'utf8',
      ),
    );
    expect(written.spec.workloadOverrides.web).toEqual({
      replicas: 1,
      imageTag: '1.4.0',
    });

    const publish = createMockActionContext({
      workspacePath: ws,
      input: {
        environment: 'prod',
        sourcePath: 'gitops',
        title: out.title,
        description: out.body,
      } as any,
    });
    await createGitOpsPublishAction({
      config: access.config,
      integrations: access.integrations,
    }).handler(publish);
    expect(
      git(repo, 'show', '--name-only', '--format=', 'main').split('\n'),
    ).toEqual(out.files);
  });

  it('refuses the change when prod changed meanwhile (publish compares the base commit)', async () => {
    const { ws, out } = await promote({ from: 'staging', to: 'prod' });
    fs.writeFileSync(
      path.join(repo, 'environments/prod/workloads/patches/web.yaml'),
      '# edited\n',
    );
    git(repo, 'commit', '-qam', 'hand edit', '--author', 'x <x@example.com>');
    const before = repositorySnapshot(repo);
    const publish = createMockActionContext({
      workspacePath: ws,
      input: {
        environment: 'prod',
        sourcePath: 'gitops',
        title: out.title,
      } as any,
    });
    await expect(
      createGitOpsPublishAction({
        config: access.config,
        integrations: access.integrations,
      }).handler(publish),
    ).rejects.toThrow(/changed/i);
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('supports dry run: the diff is output and the repository is unchanged', async () => {
    const before = repositorySnapshot(repo);
    const { out } = await promote(
      { from: 'staging', to: 'prod', copyConfig: true },
      { isDryRun: true },
    );
    expect(out.diff).toContain(
      '+          image: ghcr.io/epicshelter/web:1.4.0',
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it.each([
    [{ from: 'prod', to: 'prod' }, /same environment/],
    [{ from: 'staging', to: 'qa' }, /The target environment qa does not exist/],
    [
      { from: 'staging', to: 'prod', workloads: ['api'] },
      /prod does not deploy workload api/,
    ],
  ])(
    'refuses %j with a clear error and writes nothing',
    async (input, error) => {
      const before = repositorySnapshot(repo);
      await expect(promote(input)).rejects.toThrow(error);
      expect(repositorySnapshot(repo)).toEqual(before);
    },
  );

  it('refuses a tag that is already there', async () => {
    await expect(promote({ from: 'prod', to: 'prod-copy' })).rejects.toThrow(
      /does not exist/,
    );
    const { ws } = await promote({ from: 'staging', to: 'prod' });
    await createGitOpsPublishAction({
      config: access.config,
      integrations: access.integrations,
    }).handler(
      createMockActionContext({
        workspacePath: ws,
        input: { environment: 'prod', sourcePath: 'gitops' } as any,
      }),
    );
    await expect(
      promote({ from: 'staging', to: 'prod', workloads: ['web'] }),
    ).rejects.toThrow(
      'prod already runs web at tag 1.4.0, as staging does; there is nothing to promote.',
    );
  });

  it('asks the authorizer about the target, before reading anything', async () => {
    const asked: unknown[] = [];
    const refuse: EnvironmentAuthorizer = {
      ...allowEveryone,
      async authorizeEnvironmentChange(o) {
        asked.push({ environment: o.environment, change: o.change });
        throw new NotAllowedError('no');
      },
    };
    const { ws } = await promote(
      { from: 'staging', to: 'prod' },
      { authorizer: refuse },
    ).catch(() => ({ ws: undefined }));
    expect(ws).toBeUndefined();
    expect(asked).toEqual([
      { environment: 'prod', change: "promote workloads from 'staging'" },
    ]);
  });

  it.each(examples.map((e, i) => [i, e.description] as const))(
    'runs example %i (%s)',
    async i => {
      const step = yaml.parse(examples[i].example).steps[0];
      // the examples name staging → prod; this repository's workload is web
      const { out } = await promote({ ...step.input, workloads: undefined });
      expect(out.name).toBe('prod');
    },
  );
});
