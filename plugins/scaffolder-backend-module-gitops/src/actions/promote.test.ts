import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { NotAllowedError } from '@backstage/errors';
import { allowEveryone } from '../__testUtils__/authorizers';
import { useLocalGitopsRepository } from '../__testUtils__/actionTestbed';
import {
  platformFixture,
  webEnvironment,
} from '../__testUtils__/platformFixture';
import { git, handEdit, repositorySnapshot } from '../__testUtils__/localRepo';
import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';
import { createEnvironmentPromoteAction } from './promote';
import { examples } from './promote.examples';

const env = (name: string, imageTag: string) =>
  webEnvironment(name, `group:default/${name}-team`, {
    workloadOverrides: { web: { imageTag, replicas: 1 } },
  });

jest.setTimeout(30_000);

describe('epicshelter:environment:promote', () => {
  const gitops = useLocalGitopsRepository(() => ({
    ...platformFixture(),
    ...env('staging', '1.4.0'),
    ...env('prod', '1.3.0'),
  }));

  const promote = (
    input: Record<string, unknown>,
    options: { authorizer?: EnvironmentAuthorizer; isDryRun?: boolean } = {},
  ) =>
    gitops.run(
      createEnvironmentPromoteAction({
        ...gitops.access,
        authorizer: options.authorizer ?? allowEveryone,
      }),
      input,
      options,
    );

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
    expect(out.baseCommit).toBe(git(gitops.repo, 'rev-parse', 'main'));
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

    await gitops.publish(ws, {
      environment: 'prod',
      sourcePath: 'gitops',
      title: out.title,
      description: out.body,
    });
    expect(
      git(gitops.repo, 'show', '--name-only', '--format=', 'main').split('\n'),
    ).toEqual(out.files);
  });

  it('refuses the change when prod changed meanwhile (publish compares the base commit)', async () => {
    const { ws, out } = await promote({ from: 'staging', to: 'prod' });
    handEdit(
      gitops.repo,
      'environments/prod/workloads/patches/web.yaml',
      () => '# edited\n',
    );
    const before = repositorySnapshot(gitops.repo);
    await expect(
      gitops.publish(ws, {
        environment: 'prod',
        sourcePath: 'gitops',
        title: out.title,
      }),
    ).rejects.toThrow(/changed/i);
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
  });

  it('supports dry run: the diff is output and the repository is unchanged', async () => {
    const before = repositorySnapshot(gitops.repo);
    const { out } = await promote(
      { from: 'staging', to: 'prod', copyConfig: true },
      { isDryRun: true },
    );
    expect(out.diff).toContain(
      '+          image: ghcr.io/epicshelter/web:1.4.0',
    );
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
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
      const before = repositorySnapshot(gitops.repo);
      await expect(promote(input)).rejects.toThrow(error);
      expect(repositorySnapshot(gitops.repo)).toEqual(before);
    },
  );

  it('refuses a tag that is already there', async () => {
    await expect(promote({ from: 'prod', to: 'prod-copy' })).rejects.toThrow(
      /does not exist/,
    );
    const { ws } = await promote({ from: 'staging', to: 'prod' });
    await gitops.publish(ws, { environment: 'prod', sourcePath: 'gitops' });
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
