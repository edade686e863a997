import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  CROSSPLANE_RESOURCE_EVENT_TOPIC,
  CrossplaneResourcesSignal,
} from '@epicshelter/plugin-crossplane-common';
import type { ObjectChange } from '../services/watchEvents';
import { toChangedEvent } from './changedEvent';
import { KeyedThrottle } from './throttle';

/** Options of {@link LivePublisher}. */
export interface LivePublisherOptions {
  logger: LoggerService;
  events: EventsService;
  signals: SignalsService;
  /** Least time between two signals of one cluster, in ms. Defaults to 1000. */
  signalIntervalMs?: number;
  /**
   * How often each cluster's current revision is announced again, in ms
   * (0: never), so that browsers whose signal connection came back (a
   * backend restart) learn of changes they missed. Defaults to 30000.
   */
  announceIntervalMs?: number;
}

/**
 * Tells the rest of the backend and the browsers that Crossplane objects
 * changed: each object change as an event on the events service (topic
 * `CROSSPLANE_RESOURCE_EVENT_TOPIC`, identity, labels and conditions
 * only), and per cluster at most one signal a second on
 * `CROSSPLANE_RESOURCES_SIGNAL_CHANNEL` carrying only the cluster's name
 * and a revision: pages fetch again through the permission-checked routes.
 */
export class LivePublisher {
  /**
   * Grows with every change seen; starts at the clock so that it keeps
   * growing across backend restarts.
   */
  private revision = Date.now();
  private readonly announced = new Map<string, number>();
  private readonly throttle: KeyedThrottle;
  private readonly announcer?: ReturnType<typeof setInterval>;

  constructor(private readonly options: LivePublisherOptions) {
    this.throttle = new KeyedThrottle(options.signalIntervalMs ?? 1000, c =>
      this.signal(c, this.revision),
    );
    const every = options.announceIntervalMs ?? 30_000;
    if (every > 0) {
      this.announcer = setInterval(() => this.announce(), every);
      this.announcer.unref?.();
    }
  }

  /**
   * Records a change in a cluster: an object change (published as an
   * event), or without one a change of what the backend knows (a kind came
   * into or fell out of sync), which only signals.
   */
  changed(cluster: string, change?: ObjectChange): void {
    this.revision++;
    if (change) {
      this.options.events
        .publish({
          topic: CROSSPLANE_RESOURCE_EVENT_TOPIC,
          eventPayload: toChangedEvent(cluster, change),
        })
        .catch(e =>
          this.options.logger.warn(
            `crossplane: cannot publish a change of cluster ${cluster} on the events service: ${
              (e as Error).message
            }`,
          ),
        );
    }
    this.throttle.request(cluster);
  }

  /** Signals every cluster's last revision again. */
  announce(): void {
    for (const [cluster, revision] of this.announced) {
      this.signal(cluster, revision);
    }
  }

  /** Stops signalling (at backend shutdown). */
  stop(): void {
    this.throttle.stop();
    if (this.announcer) clearInterval(this.announcer);
  }

  private signal(cluster: string, revision: number) {
    this.announced.set(cluster, revision);
    const message: CrossplaneResourcesSignal = { cluster, revision };
    this.options.signals
      .publish<CrossplaneResourcesSignal>({
        recipients: { type: 'broadcast' },
        channel: CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
        message,
      })
      .catch(e =>
        this.options.logger.warn(
          `crossplane: cannot signal a change of cluster ${cluster}: ${
            (e as Error).message
          }`,
        ),
      );
  }
}
