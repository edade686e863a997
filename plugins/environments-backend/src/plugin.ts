import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { scheduleEnvironmentExpiry } from './expiry/scheduleExpiry';
import { scheduleIncidentNotifications } from './notifications/scheduleIncidentNotifications';
import { setUpLiveChanges } from './live';
import { createRouter } from './router';
import { registerEnvironmentActions } from './actions';
import { createCommitRouter } from './commitRouter';
import { gitopsRepositoryServiceRef } from '@epicshelter/plugin-gitops-node';
import { EnvironmentService } from './services/EnvironmentService';
import { PortalClient } from './services/portal';
import { gitOpsRepositoryReader } from './services/repository';
import { DecommissionTracker } from './services/DecommissionTracker';
import { localRepositories } from './services/localRepositories';
import { EnvironmentWorkloadsReader } from './services/workloads';
import { readArgoCdInstancesByTarget } from '@epicshelter/plugin-environments-common';

/**
 * The environments backend plugin (routes under `/api/environments`).
 * @public
 */
export const environmentsPlugin = createBackendPlugin({
  pluginId: 'environments',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        gitopsRepository: gitopsRepositoryServiceRef,
        scheduler: coreServices.scheduler,
        database: coreServices.database,
        notifications: notificationService,
        events: eventsServiceRef,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
      },
      async init({
        config,
        cache,
        logger,
        httpRouter,
        httpAuth,
        auth,
        discovery,
        catalog,
        actionsRegistry,
        gitopsRepository,
        scheduler,
        database,
        notifications,
        events,
        lifecycle,
        permissions,
        userInfo,
      }) {
        const configured = gitopsRepository.configured();
        const repository = configured && gitOpsRepositoryReader(configured);
        if (!repository) {
          logger.warn(
            'No gitops config: revisions and lifecycle commits are reported as unknown',
          );
        }
        const service = new EnvironmentService({
          catalog,
          repository,
          portal: new PortalClient({ discovery, auth }),
          logger,
          argoCdInstances: readArgoCdInstancesByTarget(config),
          cache,
        });
        const decommission = new DecommissionTracker({
          catalog,
          repository: configured,
          portal: new PortalClient({ discovery, auth }),
          logger,
          cache,
          auth,
          permissions,
          userInfo,
        });
        httpRouter.use(
          await createRouter({
            httpAuth,
            service,
            decommission,
            localRepositories: localRepositories(config),
            workloads: new EnvironmentWorkloadsReader({
              catalog,
              repository: configured || undefined,
            }),
          }),
        );
        // list-environments and get-environment-status for agents (MCP).
        registerEnvironmentActions(actionsRegistry, { catalog, service });
        // Ephemeral environments: warn owners, decommission at expiry.
        await scheduleEnvironmentExpiry({
          config,
          scheduler,
          database,
          catalog,
          auth,
          discovery,
          notifications,
          logger,
        });
        // Owners hear of Degraded applications, failed syncs, stuck Crossplane resources.
        const notifier = await scheduleIncidentNotifications({
          config,
          scheduler,
          database,
          catalog,
          auth,
          service,
          notifications,
          logger,
        });
        // ... and within seconds: Argo CD and Crossplane change events (and
        // Argo CD Notifications webhooks) forget cached snapshots and check
        // the changed environment at once.
        await setUpLiveChanges({
          config,
          events,
          cache,
          logger,
          httpRouter,
          lifecycle,
          notifier,
        });
        httpRouter.use(
          await createCommitRouter({
            httpAuth,
            repository: configured || undefined,
          }),
        );
      },
    });
  },
});
