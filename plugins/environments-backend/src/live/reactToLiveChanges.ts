import type {
  CacheService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import type { EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds } from '@backstage/types';
import type { EnvironmentIncidentNotifier } from '../notifications/EnvironmentIncidentNotifier';
import {
  INCIDENT_CONFIG_KEY,
  logIncidentRun,
} from '../notifications/scheduleIncidentNotifications';
import { SnapshotCache } from '../services/snapshotCache';
import {
  EnvironmentChangeReactor,
  ReactorTimers,
} from './EnvironmentChangeReactor';
import { LIVE_CHANGE_TOPICS, environmentOfChange } from './environmentOfChange';

/** Subscriber id of the environments backend on the live-change topics. */
export const LIVE_CHANGE_SUBSCRIBER_ID = 'environments-live-changes';

/** Where the delay between a live change and its incident check is configured. */
const DELAY_KEY = `${INCIDENT_CONFIG_KEY}.liveCheckDelay`;

/**
 * Subscribes the environments backend to the Argo CD and Crossplane change
 * events (argocd-backend's and crossplane-backend's watches publish them on
 * the events service): each change forgets the cached snapshots of the
 * environment it belongs to and checks that environment's incidents after
 * `epicshelter.environments.notifications.liveCheckDelay` (default 2s), so
 * an owner hears of a Degraded application within seconds; the scheduled
 * check of every environment stays as the safety net. Returns the reactor,
 * which the Argo CD notifications webhook feeds too.
 */
export async function reactToLiveChanges(deps: {
  config: RootConfigService;
  events: EventsService;
  cache: CacheService;
  logger: LoggerService;
  /** Undefined when incident notifications are off: caches are still forgotten. */
  notifier?: EnvironmentIncidentNotifier;
  timers?: ReactorTimers;
}): Promise<EnvironmentChangeReactor> {
  const { logger, notifier } = deps;
  const snapshots = new SnapshotCache({ cache: deps.cache, logger });
  const delayMs = deps.config.has(DELAY_KEY)
    ? durationToMilliseconds(
        readDurationFromConfig(deps.config, { key: DELAY_KEY }),
      )
    : 2_000;
  const reactor = new EnvironmentChangeReactor({
    invalidate: ref => snapshots.invalidate(ref),
    check:
      notifier &&
      (async environments => {
        const result = await notifier.run({ environments });
        logIncidentRun(logger, result);
        return result;
      }),
    delayMs,
    logger,
    timers: deps.timers,
  });
  await deps.events.subscribe({
    id: LIVE_CHANGE_SUBSCRIBER_ID,
    topics: LIVE_CHANGE_TOPICS,
    onEvent: async event => {
      const environment = environmentOfChange(event);
      if (environment) await reactor.changed(environment, event.topic);
    },
  });
  return reactor;
}
