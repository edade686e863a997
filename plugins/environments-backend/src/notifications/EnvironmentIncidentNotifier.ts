import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import {
  INCIDENT_KINDS,
  IncidentEvent,
  IncidentKind,
  nextIncident,
  observeIncidents,
} from './incidents';
import type { IncidentStore, StoredIncident } from './IncidentStore';
import type {
  EnvironmentStatusSource,
  OwnedEnvironmentStatus,
} from './statusSource';

/** Notification topic of every incident notification. @public */
export const INCIDENT_NOTIFICATION_TOPIC = 'environment-incident';

/** What one run of the incident check sent, notification by notification. @public */
export interface IncidentRunResult {
  /** Notifications sent, as `<env>: <kind> opened|recovered`. */
  sent: string[];
  /** Notifications whose sending failed (retried by the next run), with why. */
  failed: string[];
  /**
   * Problems seen but not yet notified (a Crossplane resource within its
   * grace time): when each environment's is due, if it lasts.
   */
  due: Array<{ environment: string; at: Date }>;
}

const TITLES: Record<IncidentKind, (env: string) => string> = {
  'application-degraded': env =>
    `Environment ${env}: an Argo CD application is Degraded`,
  'sync-failed': env => `Environment ${env}: an Argo CD sync failed`,
  'resource-not-ready': env =>
    `Environment ${env}: a Crossplane resource is not Ready`,
};

const RECOVERED: Record<IncidentKind, string> = {
  'application-degraded': 'its Argo CD applications are no longer Degraded',
  'sync-failed': 'its Argo CD applications no longer report a failed sync',
  'resource-not-ready': 'its Crossplane resources are Ready',
};

const message = (e: unknown) => (isError(e) ? e.message : String(e));

/**
 * Notifies environment owners of incidents (see `nextIncident`): reads every
 * environment's verdict, compares it with the incidents remembered in the
 * store and sends one notification when an incident opens and one when it
 * recovers. The clock is a dependency, so tests move time instead of waiting.
 * @public
 */
export class EnvironmentIncidentNotifier {
  constructor(
    private readonly deps: {
      source: EnvironmentStatusSource;
      store: IncidentStore;
      notifications: NotificationService;
      logger: LoggerService;
      clock: () => Date;
      /** How long a Crossplane resource may stay not Ready before its owner is notified. */
      resourceGraceMs: number;
    },
  ) {}

  private graceMs(kind: IncidentKind): number {
    return kind === 'resource-not-ready' ? this.deps.resourceGraceMs : 0;
  }

  /**
   * One check of every environment, or only of `options.environments` (a
   * live change was seen in them): their incidents open or recover at once,
   * and the others' are left to the scheduled check of every environment.
   */
  async run(options?: { environments?: string[] }): Promise<IncidentRunResult> {
    const now = this.deps.clock();
    const result: IncidentRunResult = { sent: [], failed: [], due: [] };
    const only = options?.environments && new Set(options.environments);
    const [environments, stored] = await Promise.all([
      this.deps.source.statuses(options?.environments),
      this.deps.store.list(),
    ]);
    const remembered = new Map(
      stored
        .filter(i => !only || only.has(i.environment))
        .map(i => [`${i.environment}/${i.kind}`, i]),
    );
    for (const env of environments) {
      const observed = observeIncidents(env.status);
      for (const kind of INCIDENT_KINDS) {
        const key = `${env.environment}/${kind}`;
        const previous = remembered.get(key);
        remembered.delete(key);
        const { next, event } = nextIncident(
          previous,
          observed[kind],
          now,
          this.graceMs(kind),
        );
        if (next && !previous) {
          await this.deps.store.open({
            environment: env.environment,
            kind,
            ...next,
          });
        } else if (!next && previous && !event) {
          await this.deps.store.forget(env.environment, kind);
        }
        if (event) await this.notify(env, kind, event, previous, result);
        if (next && !next.notified) {
          result.due.push({
            environment: env.environment,
            at: new Date(Date.parse(next.since) + this.graceMs(kind)),
          });
        }
      }
    }
    // Environments gone from the catalog (decommissioned): nothing to
    // recover. Only a check of every environment can tell one is gone.
    for (const gone of only ? [] : remembered.values()) {
      await this.deps.store.forget(gone.environment, gone.kind);
    }
    return result;
  }

  private async notify(
    env: OwnedEnvironmentStatus,
    kind: IncidentKind,
    event: IncidentEvent,
    previous: StoredIncident | undefined,
    result: IncidentRunResult,
  ): Promise<void> {
    const { store } = this.deps;
    const name = env.environment;
    const claimed =
      event.type === 'opened'
        ? await store.claimOpened(name, kind, event.reason)
        : await store.claimRecovered(name, kind);
    if (!claimed) return; // another runner sent it
    const what = `${name}: ${kind} ${event.type}`;
    try {
      await this.deps.notifications.send({
        recipients: { type: 'entity', entityRef: env.owner },
        payload: this.payload(name, kind, event),
      });
      result.sent.push(what);
    } catch (e) {
      if (event.type === 'opened') await store.releaseOpened(name, kind);
      else if (previous) await store.releaseRecovered(previous);
      result.failed.push(`${what}: ${message(e)}`);
      this.deps.logger.error(
        `Notification of environment ${name} (${kind} ${
          event.type
        }) could not be sent; retrying on the next run: ${message(e)}`,
      );
    }
  }

  private payload(
    environment: string,
    kind: IncidentKind,
    event: IncidentEvent,
  ): NotificationPayload {
    const base = {
      link: `/catalog/default/resource/${environment}`,
      topic: INCIDENT_NOTIFICATION_TOPIC,
    };
    const scope = `${INCIDENT_NOTIFICATION_TOPIC}:${environment}:${kind}:${event.since}`;
    if (event.type === 'opened') {
      return {
        ...base,
        title: TITLES[kind](environment),
        description: event.reason,
        severity: 'high',
        scope: `${scope}:opened`,
      };
    }
    return {
      ...base,
      title: `Environment ${environment} recovered: ${RECOVERED[kind]}`,
      description: `Since ${event.since}: ${event.reason}`,
      severity: 'normal',
      scope: `${scope}:recovered`,
    };
  }
}
