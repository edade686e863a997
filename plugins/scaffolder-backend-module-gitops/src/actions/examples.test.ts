import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createGitOpsPublishAction } from './publish';
import { createEnvironmentCreateAction } from './createEnvironment';
import { allowEveryone } from '../__testUtils__/authorizers';
import { createEnvironmentAddResourceAction } from './addResource';
import { createGitOpsValidateAction } from './validate';
import { createBlueprintFetchAction } from './fetchBlueprint';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { fastGithubTuning } from '../__testUtils__/tuning';
import { platformFixture } from '../__testUtils__/platformFixture';
import { seedRepository, git } from '../__testUtils__/localRepo';
import { loadDefaultBlueprint } from '../blueprint';

const server = setupServer();
registerMswTestHooks(server);

/**
 * Runs every example of every action through its handler against a local
 * repository seeded with a platform (and an environment `team-a-dev`), and a
 * fake GitHub for examples that name a GitHub repository.
 */
// Real git repositories and full validation: slow on a loaded 2-core CI.
jest.setTimeout(30_000);

describe('action examples', () => {
  const root = createMockDirectory();
  let repo: string;
  let actions: TemplateAction<any, any, any>[];

  // The blueprint's clusters/ too: a cloud environment's cluster root
  // builds on clusters/cloud/base.
  let blueprint: Record<string, string>;
  beforeAll(async () => {
    blueprint = Object.fromEntries(
      (await loadDefaultBlueprint())
        .filter(f => f.path.startsWith('clusters/'))
        .map(f => [f.path, f.content]),
    );
  });

  beforeEach(async () => {
    root.clear();
    repo = path.join(root.path, 'gitops');
    seedRepository(repo, { ...blueprint, ...platformFixture() });
    const gh = new FakeGithub();
    server.use(...gh.handlers());
    const config = new ConfigReader({
      integrations: {
        github: [{ host: 'github.com', token: 'ghp_test_token' }],
      },
      gitops: {
        repository: repo,
        defaultBranch: 'main',
        // the GitHub example publishes to the fake GitHub repository
        allowedRepositories: ['https://github.com/epicshelter/gitops'],
      },
    });
    const integrations = ScmIntegrations.fromConfig(config);
    const access = { config, integrations };
    actions = [
      createEnvironmentCreateAction({ ...access, authorizer: allowEveryone }),
      createEnvironmentAddResourceAction({
        ...access,
        authorizer: allowEveryone,
      }),
      createGitOpsValidateAction(access),
      createGitOpsPublishAction({
        config,
        integrations,
        githubTuning: fastGithubTuning(),
      }),
      createBlueprintFetchAction({
        loadBlueprint: () => loadDefaultBlueprint(),
      }),
    ];
    // an existing environment for add-resource, and a change for validate/publish
    const ws = path.join(root.path, 'seed-ws');
    await actions[0].handler(
      createMockActionContext({
        workspacePath: ws,
        input: {
          spec: {
            name: 'team-a-dev',
            owner: 'group:default/team-a',
            target: 'local',
            provider: 'local',
          },
        },
      }),
    );
    await actions[3].handler(
      createMockActionContext({
        workspacePath: ws,
        input: { environment: 'team-a-dev', sourcePath: 'gitops' },
      }),
    );
  });

  const all = [
    createEnvironmentCreateAction,
    createEnvironmentAddResourceAction,
    createGitOpsValidateAction,
  ].flatMap(f => {
    const a = f({
      config: new ConfigReader({}),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
      authorizer: allowEveryone,
    });
    return (a.examples ?? []).map((e, i) => [a.id, i, e.description] as const);
  });
  const publishExamples = (
    createGitOpsPublishAction({
      config: new ConfigReader({}),
      integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
    }).examples ?? []
  ).map((e, i) => ['epicshelter:gitops:publish', i, e.description] as const);
  const blueprintExamples = (
    createBlueprintFetchAction({ loadBlueprint: async () => [] }).examples ?? []
  ).map((e, i) => ['epicshelter:blueprint:fetch', i, e.description] as const);

  it.each([...all, ...publishExamples, ...blueprintExamples])(
    '%s example %i: %s',
    async (id, index) => {
      const action = actions.find(a => a.id === id)!;
      const example = action.examples![index];
      const step = yaml.parse(example.example).steps[0];
      expect(step.action).toBe(id);
      const ws = path.join(root.path, `ws-${index}`);
      // a rendered change in the workspace, for the steps that consume one
      fs.mkdirSync(path.join(ws, 'gitops/environments/extra-env'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(ws, 'gitops/environments/extra-env/README.md'),
        '# notes\n',
      );
      const ctx = createMockActionContext({
        workspacePath: ws,
        input: step.input,
      });
      await action.handler(ctx);
      expect((ctx.output as jest.Mock).mock.calls.length).toBeGreaterThan(0);
      expect(git(repo, 'status', '--porcelain')).toBe('');
    },
  );
});
