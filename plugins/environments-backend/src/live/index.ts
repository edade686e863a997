import type {
  CacheService,
  HttpRouterService,
  LifecycleService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { EnvironmentIncidentNotifier } from '../notifications/EnvironmentIncidentNotifier';
import {
  ARGOCD_NOTIFICATIONS_PATH,
  ARGOCD_WEBHOOK_SECRET_KEY,
  createArgoCdNotificationsRouter,
} from './argocdNotificationsRouter';
import { reactToLiveChanges } from './reactToLiveChanges';

/**
 * Live changes of environments: the Argo CD and Crossplane change events,
 * and, when `…notifications.argocdWebhook.secret` is set, the Argo CD
 * Notifications webhook (`POST /api/environments/argocd-notifications`).
 */
export async function setUpLiveChanges(deps: {
  config: RootConfigService;
  events: EventsService;
  cache: CacheService;
  logger: LoggerService;
  httpRouter: HttpRouterService;
  lifecycle: LifecycleService;
  notifier?: EnvironmentIncidentNotifier;
}) {
  const reactor = await reactToLiveChanges(deps);
  deps.lifecycle.addShutdownHook(() => reactor.stop());
  const secret = deps.config.getOptionalString(ARGOCD_WEBHOOK_SECRET_KEY);
  if (secret) {
    deps.httpRouter.use(
      createArgoCdNotificationsRouter({
        secret,
        changed: (environment, source) => reactor.changed(environment, source),
        logger: deps.logger,
      }),
    );
    deps.httpRouter.addAuthPolicy({
      path: ARGOCD_NOTIFICATIONS_PATH,
      allow: 'unauthenticated',
    });
  }
  return reactor;
}
