import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import {
  ENVIRONMENT_RESOURCE_TYPE,
  EnvironmentExpiry,
  ExpiryEvent,
  TtlPolicy,
  describeExpiry,
  dueExpiryEvent,
  expiryEventKey,
  getEnvironmentSpec,
} from '@epicshelter/plugin-environments-common';
import type { ExpiryEventStore } from './ExpiryEventStore';
import { ownerRef } from '../notifications/recipients';
import type { ExpiredEnvironmentDecommissioner } from './ScaffolderDecommissioner';

/** Notification topic of every expiry notification. @public */
export const EXPIRY_NOTIFICATION_TOPIC = 'environment-expiry';

/** What one run of the expiry check did, event by event. @public */
export interface ExpiryRunResult {
  /** Events handled in this run, as `<env>: <event>`. */
  handled: string[];
  /** Events whose handling failed (retried by the next run), with why. */
  failed: string[];
}

interface ExpiringEnvironment {
  name: string;
  owner: string;
  expiry: EnvironmentExpiry;
}

const message = (e: unknown) => (isError(e) ? e.message : String(e));

/**
 * Finds ephemeral environments whose expiry is near or past, notifies their
 * owners (once per warning window and once at expiry) and, at expiry,
 * starts their decommission — or only notifies, without a decommissioner.
 * The clock is a dependency, so tests move time instead of waiting.
 * @public
 */
export class EnvironmentExpiryScheduler {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      notifications: NotificationService;
      store: ExpiryEventStore;
      policy: TtlPolicy;
      logger: LoggerService;
      clock: () => Date;
      /** Absent: expired environments are only notified about. */
      decommissioner?: ExpiredEnvironmentDecommissioner;
    },
  ) {}

  /** The environments in the catalog that have an expiry. */
  private async expiring(): Promise<ExpiringEnvironment[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind: 'Resource', 'spec.type': ENVIRONMENT_RESOURCE_TYPE },
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return items.flatMap(entity => {
      const expiry = getEnvironmentSpec(entity)?.expiry;
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      if (!expiry || typeof owner !== 'string') return [];
      // spec.owner may be short ("team-a"): notify the full group ref.
      return [{ name: entity.metadata.name, owner: ownerRef(owner), expiry }];
    });
  }

  /** One check: handles every event due now that was not handled before. */
  async run(): Promise<ExpiryRunResult> {
    const now = this.deps.clock();
    const result: ExpiryRunResult = { handled: [], failed: [] };
    for (const env of await this.expiring()) {
      const event = dueExpiryEvent(
        env.expiry.expiresAt,
        now,
        this.deps.policy.warnBefore,
      );
      if (!event) continue;
      const key = expiryEventKey(env.name, env.expiry.expiresAt, event);
      if (!(await this.deps.store.claim(key, env.name))) continue;
      const what = `${env.name}: ${
        event.kind === 'expired' ? 'expired' : `warning ${event.before}`
      }`;
      try {
        await this.handle(env, event, now);
        result.handled.push(what);
      } catch (e) {
        // Forget the claim: the next run tries again.
        await this.deps.store.release(key);
        result.failed.push(`${what}: ${message(e)}`);
        this.deps.logger.error(
          `Expiry of environment ${env.name} (${
            env.expiry.expiresAt
          }) could not be handled; retrying on the next run: ${message(e)}`,
        );
      }
    }
    return result;
  }

  private async handle(
    env: ExpiringEnvironment,
    event: ExpiryEvent,
    now: Date,
  ): Promise<void> {
    const page = `/catalog/default/resource/${env.name}`;
    const payload: NotificationPayload = {
      title: '',
      link: page,
      topic: EXPIRY_NOTIFICATION_TOPIC,
      // One notification per environment and expiry, updated as it nears.
      scope: `${EXPIRY_NOTIFICATION_TOPIC}:${env.name}:${env.expiry.expiresAt}`,
    };
    if (event.kind === 'warning') {
      const action = this.deps.decommissioner
        ? 'it will be decommissioned'
        : 'its owners will be asked to decommission it';
      payload.title = `Environment ${env.name} ${describeExpiry(
        env.expiry.expiresAt,
        now,
      )}`;
      payload.description = `Environment ${env.name} expires at ${env.expiry.expiresAt}; then ${action}. Still need it? Extend it from its page (Extend).`;
      payload.severity = 'normal';
    } else if (this.deps.decommissioner) {
      const task = await this.deps.decommissioner.decommission(env.name);
      payload.title = `Environment ${env.name} expired: decommission started`;
      payload.description = `Environment ${env.name} expired at ${env.expiry.expiresAt}. Its decommission change is being opened (task ${task.taskId}); follow it there.`;
      payload.link = task.url;
      payload.severity = 'high';
      this.deps.logger.info(
        `Environment ${env.name} expired at ${env.expiry.expiresAt}: decommission task ${task.taskId} started`,
      );
    } else {
      payload.title = `Environment ${env.name} has expired`;
      payload.description = `Environment ${env.name} expired at ${env.expiry.expiresAt}. Decommission it, or extend it if it is still needed.`;
      payload.severity = 'high';
    }
    await this.deps.notifications.send({
      recipients: { type: 'entity', entityRef: env.owner },
      payload,
    });
  }
}
