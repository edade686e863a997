import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  CROSSPLANE_PLUGIN_ID,
  crossplanePermissions,
} from '@epicshelter/plugin-crossplane-common';
import { createRouter } from './router';
import { ClusterRegistry } from './services/ClusterRegistry';
import { CrossplaneService, watchEnabled } from './services/CrossplaneService';
import { LivePublisher } from './live/LivePublisher';
import { DesiredStateReader } from './services/DesiredStateReader';
import { gitopsRepositoryServiceRef } from '@epicshelter/plugin-gitops-node';

/**
 * The crossplane backend plugin (plugin id `epicshelter-crossplane`, routes
 * under `/api/epicshelter-crossplane`): Crossplane trees, desired vs live and
 * events per catalog entity, read from the clusters of the `kubernetes`
 * config and the GitOps repository. It watches the clusters' Crossplane
 * objects (`crossplane.watch.enabled`) and announces each change on the
 * events service and as a signal.
 * @public
 */
export const crossplanePlugin = createBackendPlugin({
  pluginId: CROSSPLANE_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        gitopsRepository: gitopsRepositoryServiceRef,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        cache,
        scheduler,
        lifecycle,
        gitopsRepository,
        catalog,
        events,
        signals,
      }) {
        permissionsRegistry.addPermissions(crossplanePermissions);
        const clusters = ClusterRegistry.fromConfig(config, { logger });
        if (clusters.all().length === 0) {
          logger.info(
            'crossplane: no cluster in kubernetes.clusterLocatorMethods; showing the desired state from Git only',
          );
        }
        const live = watchEnabled(config)
          ? new LivePublisher({
              logger,
              events,
              signals,
              announceIntervalMs:
                (config.getOptionalNumber('crossplane.watch.announceSeconds') ??
                  30) * 1000,
            })
          : undefined;
        const service = CrossplaneService.fromConfig(config, {
          listener: live,
          logger,
          cache,
          clusters,
          desired: DesiredStateReader.fromConfig(config, {
            repository: () => gitopsRepository.configured(),
          }),
        });
        lifecycle.addShutdownHook(() => {
          service.stop();
          live?.stop();
        });
        if (clusters.all().length > 0) {
          // Keeps every cluster's XRD list in the shared cache so that
          // tree builds (the first one included) do not list XRDs, and
          // the watched index of XRs and claims following the XRDs.
          await scheduler.scheduleTask({
            id: 'crossplane:refresh-xrds',
            scope: 'local',
            frequency: { seconds: service.discoveryRefreshSeconds },
            timeout: { minutes: 2 },
            fn: () => service.refreshDiscovery(),
          });
        }
        httpRouter.use(
          await createRouter({ httpAuth, permissions, catalog, service }),
        );
      },
    });
  },
});
