import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  GitOpsPublishOptions,
  gitopsPublishersExtensionPoint,
} from '@epicshelter/plugin-gitops-node';
import { scaffolderModuleGitops } from './module';

/** A scaffolder plugin that only collects the actions modules add. */
function actionCollector(actions: TemplateAction<any, any, any>[]) {
  return createBackendPlugin({
    pluginId: 'scaffolder',
    register(env) {
      env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
        addActions: (...added) => actions.push(...added),
      });
      env.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('gitopsPublishersExtensionPoint', () => {
  it('lets an adopter module publish to its own Git host', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    const calls: GitOpsPublishOptions[] = [];
    // what an adopter writes: one module, one publisher
    const bitbucketPublisher = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'acme-bitbucket-publisher',
      register(env) {
        env.registerInit({
          deps: { publishers: gitopsPublishersExtensionPoint },
          async init({ publishers }) {
            publishers.addPublishers({
              type: 'bitbucket-server',
              supports: location =>
                location.type === 'remote' &&
                location.integration === 'bitbucketServer',
              async publish(options) {
                calls.push(options);
                return {
                  repositoryType: 'bitbucket-server',
                  repository: 'https://bitbucket.acme.example/platform/gitops',
                  branch: options.request.branch,
                  commitSha: 'c0ffee',
                  webUrl:
                    'https://bitbucket.acme.example/projects/PLATFORM/repos/gitops/pull-requests/3',
                  pullRequestNumber: 3,
                };
              },
            });
          },
        });
      },
    });
    await startTestBackend({
      features: [
        actionCollector(actions),
        scaffolderModuleGitops,
        bitbucketPublisher,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              bitbucketServer: [{ host: 'bitbucket.acme.example' }],
            },
            gitops: {
              repository: 'https://bitbucket.acme.example/platform/gitops',
            },
          },
        }),
      ],
    });
    const publish = actions.find(a => a.id === 'epicshelter:gitops:publish')!;
    const dir = createMockDirectory();
    dir.setContent({ 'environments/dev/environment.yaml': 'name: dev\n' });
    const ctx = createMockActionContext({
      workspacePath: dir.path,
      input: { environment: 'dev' },
    });
    await publish.handler(ctx);
    expect(calls).toHaveLength(1);
    expect(calls[0].location).toMatchObject({
      type: 'remote',
      integration: 'bitbucketServer',
      host: 'bitbucket.acme.example',
      owner: 'platform',
      repo: 'gitops',
    });
    expect(calls[0].request.files).toEqual([
      { path: 'environments/dev/environment.yaml', content: 'name: dev\n' },
    ]);
    expect(ctx.output).toHaveBeenCalledWith(
      'repositoryType',
      'bitbucket-server',
    );
    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 3);
  });

  it('names the publishers there are when none handles the repository', async () => {
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      features: [
        actionCollector(actions),
        scaffolderModuleGitops,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              bitbucketServer: [{ host: 'bitbucket.acme.example' }],
            },
            gitops: {
              repository: 'https://bitbucket.acme.example/platform/gitops',
            },
          },
        }),
      ],
    });
    const publish = actions.find(a => a.id === 'epicshelter:gitops:publish')!;
    const dir = createMockDirectory();
    dir.setContent({ 'environments/dev/environment.yaml': 'name: dev\n' });
    await expect(
      publish.handler(
        createMockActionContext({
          workspacePath: dir.path,
          input: { environment: 'dev' },
        }),
      ),
    ).rejects.toThrow(
      'No GitOps publisher handles bitbucketServer (bitbucket.acme.example) repositories such as https://bitbucket.acme.example/platform/gitops; publishers available: local, github, gitlab.',
    );
  });
});
