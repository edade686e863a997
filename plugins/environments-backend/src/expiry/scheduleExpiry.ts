import type {
  AuthService,
  DatabaseService,
  DiscoveryService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  TTL_CONFIG_KEY,
  TTL_FORMAT_HINT,
  parseTtl,
  readTtlPolicy,
} from '@epicshelter/plugin-environments-common';
import { EnvironmentExpiryScheduler } from './EnvironmentExpiryScheduler';
import { DatabaseExpiryEventStore } from './ExpiryEventStore';
import { ScaffolderDecommissioner } from './ScaffolderDecommissioner';

/** Id of the scheduled expiry check (one runner across replicas). @public */
export const EXPIRY_TASK_ID = 'environments:expiry';

/**
 * Schedules the expiry check of ephemeral environments with the Backstage
 * scheduler (global scope: one runner across replicas), every
 * `epicshelter.environments.ttl.checkEvery` (default 5m). At expiry it
 * starts the decommission template (`…ttl.decommissionTemplate`) unless
 * `…ttl.onExpiry` is `notify`.
 * @public
 */
export async function scheduleEnvironmentExpiry(deps: {
  config: RootConfigService;
  scheduler: SchedulerService;
  database: DatabaseService;
  catalog: CatalogService;
  auth: AuthService;
  discovery: DiscoveryService;
  notifications: NotificationService;
  logger: LoggerService;
  clock?: () => Date;
}): Promise<EnvironmentExpiryScheduler> {
  const { config, logger } = deps;
  const key = (k: string) => `${TTL_CONFIG_KEY}.${k}`;
  const checkEvery = config.getOptionalString(key('checkEvery')) ?? '5m';
  const every = parseTtl(checkEvery);
  if (every === undefined) {
    throw new Error(
      `${key('checkEvery')}: ${JSON.stringify(
        checkEvery,
      )} is not ${TTL_FORMAT_HINT}`,
    );
  }
  const onExpiry = config.getOptionalString(key('onExpiry')) ?? 'decommission';
  if (onExpiry !== 'decommission' && onExpiry !== 'notify') {
    throw new Error(
      `${key('onExpiry')}: ${JSON.stringify(
        onExpiry,
      )} must be "decommission" or "notify"`,
    );
  }
  const expiry = new EnvironmentExpiryScheduler({
    catalog: deps.catalog,
    auth: deps.auth,
    notifications: deps.notifications,
    store: await DatabaseExpiryEventStore.create(deps.database),
    policy: readTtlPolicy(config),
    logger,
    clock: deps.clock ?? (() => new Date()),
    decommissioner:
      onExpiry === 'decommission'
        ? new ScaffolderDecommissioner({
            discovery: deps.discovery,
            auth: deps.auth,
            templateRef: config.getOptionalString(key('decommissionTemplate')),
          })
        : undefined,
  });
  await deps.scheduler.scheduleTask({
    id: EXPIRY_TASK_ID,
    scope: 'global',
    frequency: { milliseconds: every },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      const { handled, failed } = await expiry.run();
      if (handled.length > 0 || failed.length > 0) {
        logger.info(
          `Environment expiry: handled ${handled.length} event(s)${
            handled.length ? ` (${handled.join('; ')})` : ''
          }, ${failed.length} failed`,
        );
      }
    },
  });
  return expiry;
}
