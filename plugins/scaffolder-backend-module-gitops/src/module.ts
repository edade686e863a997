import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGitOpsPublishAction } from './actions/publish';

/**
 * Scaffolder module with the Epicshelter GitOps actions:
 * `epicshelter:environment:create`, `epicshelter:environment:add-resource`,
 * `epicshelter:gitops:validate` and `epicshelter:gitops:publish`.
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'epicshelter-gitops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
          createGitOpsPublishAction({ integrations, config }),
        );
      },
    });
  },
});
