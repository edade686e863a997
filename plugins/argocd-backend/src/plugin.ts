import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  ARGOCD_PLUGIN_ID,
  argocdPermissions,
} from '@epicshelter/plugin-argocd-common';
import {
  ArgoCdApplicationLocator,
  annotationApplicationLocator,
  argocdLocatorExtensionPoint,
} from '@epicshelter/plugin-argocd-node';
import { readArgoCdConfig } from './config';
import { createRouter } from './router';
import { registerApplicationActions } from './actions/applicationActions';
import { ApplicationAccess } from './services/applicationAccess';
import { ArgoCdService } from './services/ArgoCdService';
import { LiveUpdates } from './services/watch/LiveUpdates';

/**
 * The Argo CD backend plugin (plugin id `epicshelter-argocd`, routes under
 * `/api/epicshelter-argocd`); reads the `argocd` config keys.
 * @public
 */
export const argocdPlugin = createBackendPlugin({
  pluginId: ARGOCD_PLUGIN_ID,
  register(env) {
    let customLocator: ArgoCdApplicationLocator | undefined;
    env.registerExtensionPoint(argocdLocatorExtensionPoint, {
      setApplicationLocator(locator) {
        if (customLocator) {
          throw new Error(
            'An Argo CD application locator is already set; install only one module that sets it',
          );
        }
        customLocator = locator;
      },
    });
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        signals: signalsServiceRef,
      },
      async init({
        logger,
        config,
        cache,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
        actionsRegistry,
        lifecycle,
        events,
        signals,
      }) {
        permissionsRegistry.addPermissions(argocdPermissions);
        const watchSettings = readArgoCdConfig(config).watch;
        const live = new LiveUpdates({
          events,
          signals,
          logger,
          debounceMs: watchSettings.signalDebounceMs,
          heartbeatMs: watchSettings.signalHeartbeatMs,
        });
        const argocd = ArgoCdService.fromConfig(config, {
          logger,
          cache,
          onChanges: (instance, changes) => live.changed(instance, changes),
        });
        // One watch per instance, from the backend's start to its shutdown.
        lifecycle.addStartupHook(() => live.start(argocd.startWatching()));
        lifecycle.addShutdownHook(async () => {
          live.stop();
          await argocd.stopWatching();
        });
        const locator = customLocator ?? annotationApplicationLocator;
        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            auditor,
            catalog,
            argocd,
            locator,
          }),
        );
        // sync-application and refresh-application for agents (MCP).
        registerApplicationActions(actionsRegistry, {
          access: new ApplicationAccess({
            permissions,
            catalog,
            argocd,
            locator,
          }),
          argocd,
          auditor,
        });
      },
    });
  },
});
