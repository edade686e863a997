import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { gitopsRepositoryServiceRef } from '@epicshelter/plugin-gitops-node';
import { GitOpsEntityProvider } from './provider/GitOpsEntityProvider';
import { GitOpsEnvironmentErrorProcessor } from './processor/GitOpsEnvironmentErrorProcessor';

/**
 * Catalog module that reads the environments of the Epicshelter GitOps
 * repository (`gitops.repository`) into the catalog.
 * @public
 */
export const catalogModuleGitOps = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'epicshelter-gitops',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        gitopsRepository: gitopsRepositoryServiceRef,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        config,
        logger,
        scheduler,
        gitopsRepository,
        events,
      }) {
        catalog.addProcessor(new GitOpsEnvironmentErrorProcessor());
        const provider = GitOpsEntityProvider.fromConfig(config, {
          logger,
          scheduler,
          gitopsRepository,
          events,
        });
        if (provider) {
          catalog.addEntityProvider(provider);
        }
      },
    });
  },
});
