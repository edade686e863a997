import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { setupServer } from 'msw/node';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { allowEveryone } from '../__testUtils__/authorizers';
import { useLocalGitopsRepository } from '../__testUtils__/actionTestbed';
import {
  platformFixture,
  webEnvironment,
} from '../__testUtils__/platformFixture';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { fastGithubTuning } from '../__testUtils__/tuning';
import { git, handEdit, repositorySnapshot } from '../__testUtils__/localRepo';
import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';
import { createEnvironmentDecommissionAction } from './decommission';
import type { LiveProtectionCheck } from './decommissionProtection';
import { examples } from './decommission.examples';
import { createGitOpsPublishAction } from './publish';

const server = setupServer();
registerMswTestHooks(server);

const env = (name: string) =>
  webEnvironment(name, `group:default/${name}-team`, {
    resources: {
      databases: [{ name: 'orders-db', engine: 'postgres', version: '16' }],
      buckets: [{ name: 'assets' }],
    },
  });

jest.setTimeout(60_000);

/** The environments backend sees the protection on the live objects. */
const protectionLive: LiveProtectionCheck = {
  check: async () => ({ live: true, message: 'protected' }),
};

describe('epicshelter:environment:decommission', () => {
  const gitops = useLocalGitopsRepository(() => ({
    ...platformFixture(),
    ...env('team-a-dev'),
    ...env('qa'),
  }));

  const decommission = (
    input: Record<string, unknown>,
    options: {
      authorizer?: EnvironmentAuthorizer;
      isDryRun?: boolean;
      auditor?: ReturnType<typeof mockServices.auditor.mock>;
      protection?: LiveProtectionCheck;
    } = {},
  ) =>
    gitops.run(
      createEnvironmentDecommissionAction({
        ...gitops.access,
        authorizer: options.authorizer ?? allowEveryone,
        auditor: options.auditor,
        protection: options.protection ?? protectionLive,
      }),
      input,
      options,
    );

  const publish = (ws: string, out: Record<string, any>) =>
    gitops.publish(ws, {
      environment: out.name,
      sourcePath: 'gitops',
      title: out.title,
      description: out.body,
      commitMessage: out.commitMessage,
    });

  it('plans what goes and publish removes the environment in one commit, with the trailers', async () => {
    const { ws, out } = await decommission({
      environment: 'resource:default/team-a-dev',
      confirmation: 'team-a-dev',
    });
    const envFiles = Object.keys(gitops.files)
      .filter(p => p.startsWith('environments/team-a-dev/'))
      .sort();
    expect(out.deleted).toEqual(envFiles);
    expect(out.files).toEqual([]);
    expect(out.dataLoss).toEqual(['bucket assets', 'database orders-db']);
    expect(out.plan).toContain(
      '| Database | team-a-dev-orders-db | local | Delete | **deleted, data lost** |',
    );
    expect(out.plan).toContain(
      '**Argo CD applications pruned:** `team-a-dev-infrastructure`, `team-a-dev-workloads`.',
    );
    expect(out.title).toBe('Environment team-a-dev: decommission');
    expect(out.baseCommit).toBe(git(gitops.repo, 'rev-parse', 'main'));

    await publish(ws, out);
    expect(git(gitops.repo, 'rev-list', '--count', 'main')).toBe('2');
    expect(
      git(gitops.repo, 'show', '--name-status', '--format=', 'main')
        .split('\n')
        .sort(),
    ).toEqual(envFiles.map(p => `D\t${p}`));
    expect(
      fs.existsSync(path.join(gitops.repo, 'environments/team-a-dev')),
    ).toBe(false);
    expect(fs.existsSync(path.join(gitops.repo, 'environments/qa'))).toBe(true);
    expect(git(gitops.repo, 'status', '--porcelain')).toBe('');
    const message = git(gitops.repo, 'log', '-1', '--format=%B', 'main');
    expect(message).toContain('Environment team-a-dev: decommission');
    expect(message).toMatch(
      /^Decommission-Owner: group:default\/team-a-dev-team$/m,
    );
    expect(out.body).toMatch(
      /^Decommission-Owner: group:default\/team-a-dev-team$/m,
    );
    expect(message).toMatch(/^Scaffolder-Task: /m);
  });

  it('with an orphan, decommissions in two changes: first the protection marks, then the removal with a paused record', async () => {
    const input = {
      environment: 'team-a-dev',
      confirmation: 'team-a-dev',
      orphan: ['orders-db'],
    };
    const first = await decommission(input);
    expect(first.out.step).toBe('protect');
    expect(first.out.deleted).toEqual([]);
    expect(first.out.dataLoss).toEqual(['bucket assets']);
    expect(first.out.title).toBe(
      'Environment team-a-dev: protect what is kept, before decommissioning',
    );
    expect(first.out.body).toContain('Delete=false,Prune=false');
    expect(first.out.files).toEqual([
      expect.stringMatching(/^environments\/team-a-dev\/infrastructure\//),
      'environments/team-a-dev/infrastructure/namespace.yaml',
    ]);
    await publish(first.ws, first.out);
    expect(git(gitops.repo, 'rev-list', '--count', 'main')).toBe('2');
    expect(
      fs.existsSync(path.join(gitops.repo, 'environments/team-a-dev')),
    ).toBe(true);
    const marked = yaml.parse(
      fs.readFileSync(path.join(gitops.repo, first.out.files[0]), 'utf8'),
    );
    expect(marked.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
      'crossplane.io/paused': 'true',
    });

    // run again once the protection is merged: now it is the removal
    const second = await decommission(input);
    expect(second.out.step).toBe('remove');
    expect(second.out.files).toEqual([
      'orphaned/team-a-dev/database-orders-db-team-a-dev-orders-db.yaml',
    ]);
    await publish(second.ws, second.out);
    const kept = yaml.parse(
      fs.readFileSync(path.join(gitops.repo, second.out.files[0]), 'utf8'),
    );
    expect(kept.metadata.annotations['crossplane.io/paused']).toBe('true');
    expect(git(gitops.repo, 'rev-list', '--count', 'main')).toBe('3');
    expect(
      fs.existsSync(path.join(gitops.repo, 'environments/team-a-dev')),
    ).toBe(false);
    // both commits record the owner at decommission time
    expect(git(gitops.repo, 'log', '-2', '--format=%B', 'main')).toMatch(
      /Decommission-Owner: group:default\/team-a-dev-team[\s\S]*Decommission-Owner: group:default\/team-a-dev-team/,
    );
  });

  it('refuses the removal while the protection is not live yet, asking as the requester; nothing is recorded or written', async () => {
    const input = {
      environment: 'team-a-dev',
      confirmation: 'team-a-dev',
      orphan: ['orders-db'],
    };
    const first = await decommission(input);
    await publish(first.ws, first.out);
    const before = repositorySnapshot(gitops.repo);
    const asked: unknown[] = [];
    const notYet: LiveProtectionCheck = {
      check: async o => {
        asked.push([o.environment, o.credentials.principal]);
        return {
          live: false,
          message:
            'Waiting for Argo CD to sync team-a-dev-infrastructure with the protection',
        };
      },
    };
    await expect(decommission(input, { protection: notYet })).rejects.toThrow(
      "The resources environment 'team-a-dev' keeps do not carry their protection on the live objects yet (Waiting for Argo CD to sync team-a-dev-infrastructure with the protection); nothing was changed. Decommission it again once its decommission page shows 'Kept resources protected' done.",
    );
    expect(asked).toEqual([
      ['team-a-dev', expect.objectContaining({ type: 'user' })],
    ]);
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
    // the preview still shows the plan
    const preview = await decommission(
      { environment: 'team-a-dev', previewOnly: true },
      { protection: notYet },
    );
    expect(preview.out.step).toBe('remove');
  });

  it('publishing the same protect step twice makes one commit', async () => {
    const input = {
      environment: 'qa',
      confirmation: 'qa',
      orphan: ['assets'],
    };
    const a = await decommission(input);
    const b = await decommission(input);
    expect(b.out.step).toBe('protect');
    await publish(a.ws, a.out);
    const head = git(gitops.repo, 'rev-parse', 'main');
    await publish(b.ws, b.out);
    expect(git(gitops.repo, 'rev-parse', 'main')).toBe(head);
  });

  it('refuses a wrong confirmation with a clear error and writes nothing', async () => {
    const before = repositorySnapshot(gitops.repo);
    await expect(
      decommission({ environment: 'team-a-dev', confirmation: 'team-a' }),
    ).rejects.toThrow(
      "To decommission environment 'team-a-dev', type its name 'team-a-dev' as confirmation (got 'team-a'); nothing was changed.",
    );
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
  });

  it('refuses an unknown environment', async () => {
    await expect(
      decommission({ environment: 'prod', confirmation: 'prod' }),
    ).rejects.toThrow(
      /Environment prod does not exist in the GitOps repository .*known environments: qa, team-a-dev/,
    );
  });

  it('asks the authorizer first and audits the refusal; nothing is read or written', async () => {
    const asked: unknown[] = [];
    const refuse: EnvironmentAuthorizer = {
      ...allowEveryone,
      async authorizeEnvironmentChange(o) {
        asked.push({
          environment: o.environment,
          change: o.change,
          action: o.action,
        });
        throw new NotAllowedError('not yours');
      },
    };
    const auditor = mockServices.auditor.mock();
    const fail = jest.fn();
    auditor.createEvent.mockResolvedValue({ success: jest.fn(), fail });
    const before = repositorySnapshot(gitops.repo);
    await expect(
      decommission(
        { environment: 'team-a-dev', confirmation: 'team-a-dev' },
        { authorizer: refuse, auditor },
      ),
    ).rejects.toThrow('not yours');
    expect(asked).toEqual([
      {
        environment: 'team-a-dev',
        change: 'make a decommission change',
        action: 'decommission',
      },
    ]);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'environment-decommission',
        severityLevel: 'medium',
        meta: expect.objectContaining({ environment: 'team-a-dev' }),
      }),
    );
    expect(fail).toHaveBeenCalledWith({ error: expect.any(NotAllowedError) });
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
  });

  it('dry run returns the plan and writes nothing', async () => {
    const before = repositorySnapshot(gitops.repo);
    const { out } = await decommission(
      { environment: 'qa', confirmation: 'qa' },
      { isDryRun: true },
    );
    expect(out.plan).toContain('**Data lost:**');
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
  });

  it('preview only: the plan without confirmation, nothing recorded for publish', async () => {
    const { ws, out } = await decommission({
      environment: 'qa',
      previewOnly: true,
    });
    expect(out.plan).toContain('`qa-workloads`');
    expect(fs.existsSync(path.join(ws, '.epicshelter'))).toBe(false);
  });

  it('a change to the environment since the plan wins; nothing is written', async () => {
    const { ws, out } = await decommission({
      environment: 'qa',
      confirmation: 'qa',
    });
    handEdit(
      gitops.repo,
      'environments/qa/environment.yaml',
      text => `${text}# edited\n`,
    );
    const before = repositorySnapshot(gitops.repo);
    await expect(publish(ws, out)).rejects.toThrow(
      /Environment 'qa' was changed meanwhile/,
    );
    expect(repositorySnapshot(gitops.repo)).toEqual(before);
  });

  it('publishes to GitHub as one pull request with one commit that deletes the folder', async () => {
    const gh = new FakeGithub(gitops.files);
    server.use(...gh.handlers());
    const { ws, out } = await decommission({
      environment: 'qa',
      confirmation: 'qa',
    });
    const config = new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_test_token' }],
      },
      gitops: {
        allowedRepositories: ['https://github.com/epicshelter/gitops'],
      },
    });
    const ctx = createMockActionContext({
      workspacePath: ws,
      input: {
        environment: 'qa',
        repository: 'https://github.com/epicshelter/gitops',
        sourcePath: 'gitops',
        title: out.title,
        description: out.body,
        // the plan read the local twin of this repository
        baseCommit: gh.refs.get('main'),
      } as any,
    });
    await createGitOpsPublishAction({
      config,
      integrations: ScmIntegrations.fromConfig(config),
      githubTuning: fastGithubTuning(),
    }).handler(ctx);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0].body).toContain('### Deleted files');
    const branch = gh.pulls[0].head;
    const head = gh.commits.get(gh.refs.get(branch)!)!;
    expect(head.parents).toEqual([gh.refs.get('main')]);
    const after = gh.filesOf(branch);
    expect(
      Object.keys(after).filter(p => p.startsWith('environments/qa/')),
    ).toEqual([]);
    expect(Object.keys(after).sort()).toEqual(
      Object.keys(gitops.files)
        .filter(p => !p.startsWith('environments/qa/'))
        .sort(),
    );
  });

  it.each(examples.map((e, i) => [i, e.description] as const))(
    'runs example %i (%s)',
    async i => {
      const step = yaml.parse(examples[i].example).steps[0];
      const { out } = await decommission(step.input);
      expect(out.name).toBe('team-a-dev');
    },
  );
});
