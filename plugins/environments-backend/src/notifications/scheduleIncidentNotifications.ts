import type {
  AuthService,
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  TTL_FORMAT_HINT,
  parseTtl,
} from '@epicshelter/plugin-environments-common';
import type { EnvironmentService } from '../services/EnvironmentService';
import {
  EnvironmentIncidentNotifier,
  IncidentRunResult,
} from './EnvironmentIncidentNotifier';
import { DatabaseIncidentStore } from './IncidentStore';
import { MatrixStatusSource } from './statusSource';

/** Id of the scheduled incident check (one runner across replicas). @public */
export const INCIDENT_TASK_ID = 'environments:incident-notifications';

/** Where the incident notifications are configured. @public */
export const INCIDENT_CONFIG_KEY = 'epicshelter.environments.notifications';

function readDuration(
  config: RootConfigService,
  key: string,
  fallback: string,
): number {
  const path = `${INCIDENT_CONFIG_KEY}.${key}`;
  const value = config.getOptionalString(path) ?? fallback;
  const ms = parseTtl(value);
  if (ms === undefined) {
    throw new Error(
      `${path}: ${JSON.stringify(value)} is not ${TTL_FORMAT_HINT}`,
    );
  }
  return ms;
}

/**
 * Schedules the incident check with the Backstage scheduler (global scope:
 * one runner across replicas) every
 * `epicshelter.environments.notifications.checkEvery` (default 1m): owners
 * are notified when an environment's Argo CD application is Degraded or its
 * sync failed, or a Crossplane resource stays not Ready for
 * `…notifications.crossplaneGracePeriod` (default 10m), and when it
 * recovers. `…notifications.enabled: false` schedules nothing.
 * @public
 */
export async function scheduleIncidentNotifications(deps: {
  config: RootConfigService;
  scheduler: SchedulerService;
  database: DatabaseService;
  catalog: CatalogService;
  auth: AuthService;
  service: Pick<EnvironmentService, 'matrix' | 'status'>;
  notifications: NotificationService;
  logger: LoggerService;
  clock?: () => Date;
}): Promise<EnvironmentIncidentNotifier | undefined> {
  const { config, logger } = deps;
  if (config.getOptionalBoolean(`${INCIDENT_CONFIG_KEY}.enabled`) === false) {
    return undefined;
  }
  const every = readDuration(config, 'checkEvery', '1m');
  const notifier = new EnvironmentIncidentNotifier({
    source: new MatrixStatusSource({
      service: deps.service,
      catalog: deps.catalog,
      auth: deps.auth,
    }),
    store: await DatabaseIncidentStore.create(deps.database),
    notifications: deps.notifications,
    logger,
    clock: deps.clock ?? (() => new Date()),
    resourceGraceMs: readDuration(config, 'crossplaneGracePeriod', '10m'),
  });
  await deps.scheduler.scheduleTask({
    id: INCIDENT_TASK_ID,
    scope: 'global',
    frequency: { milliseconds: every },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 45 },
    fn: async () => logIncidentRun(logger, await notifier.run()),
  });
  return notifier;
}

/** Logs what a run of the incident check sent, when it sent anything. */
export function logIncidentRun(
  logger: LoggerService,
  { sent, failed }: IncidentRunResult,
) {
  if (sent.length > 0 || failed.length > 0) {
    logger.info(
      `Environment incidents: sent ${sent.length} notification(s)${
        sent.length ? ` (${sent.join('; ')})` : ''
      }, ${failed.length} failed`,
    );
  }
}
