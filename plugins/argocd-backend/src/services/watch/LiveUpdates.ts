import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
  ARGOCD_APPLICATION_EVENT_TOPIC,
  ArgoCdApplicationsSignal,
} from '@epicshelter/plugin-argocd-common';
import type { ApplicationChange } from './applicationView';
import { applicationChangedEvent } from './changedEvent';

/** Options of {@link LiveUpdates}. */
export interface LiveUpdatesOptions {
  events: EventsService;
  signals: SignalsService;
  logger: LoggerService;
  /** Least time between two signals of one instance. */
  debounceMs: number;
  /** How often each instance's current revision is signalled again. */
  heartbeatMs: number;
}

interface InstanceSignal {
  revision: number;
  lastSentAt: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Publishes what the watches see: every change on the events service
 * (topic {@link ARGOCD_APPLICATION_EVENT_TOPIC}), and per instance a
 * debounced broadcast signal `{ instance, revision }` on
 * {@link ARGOCD_APPLICATIONS_SIGNAL_CHANNEL} (no object data: pages
 * refetch through the permission-checked routes). The revision grows with
 * every change and starts at the backend's start time, so it also grows
 * across restarts; the heartbeat repeats it, so a page that missed signals
 * (a browser reconnecting after a backend restart) catches up.
 */
export class LiveUpdates {
  private readonly instances = new Map<string, InstanceSignal>();
  private heartbeat?: ReturnType<typeof setInterval>;
  private readonly startedAt = Date.now();

  constructor(private readonly options: LiveUpdatesOptions) {}

  /** The current revision of an instance. */
  revision(instance: string): number {
    return this.state(instance).revision;
  }

  private state(instance: string): InstanceSignal {
    let state = this.instances.get(instance);
    if (!state) {
      state = { revision: this.startedAt, lastSentAt: 0 };
      this.instances.set(instance, state);
    }
    return state;
  }

  /** Publishes the changes of one instance and schedules its signal. */
  changed(instance: string, changes: ApplicationChange[]): void {
    const state = this.state(instance);
    state.revision += changes.length;
    for (const change of changes) {
      this.options.events
        .publish({
          topic: ARGOCD_APPLICATION_EVENT_TOPIC,
          eventPayload: applicationChangedEvent(instance, change),
        })
        .catch(e =>
          this.options.logger.warn(
            `Publishing an Argo CD application event failed: ${
              (e as Error).message
            }`,
          ),
        );
    }
    if (state.timer) return;
    const wait = Math.max(
      0,
      state.lastSentAt + this.options.debounceMs - Date.now(),
    );
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.signal(instance);
    }, wait);
  }

  /** Starts the heartbeat for these instances. */
  start(instances: string[]): void {
    if (instances.length === 0) return;
    instances.forEach(i => this.state(i));
    this.heartbeat ??= setInterval(() => {
      for (const [instance, state] of this.instances) {
        if (!state.timer) this.signal(instance);
      }
    }, this.options.heartbeatMs);
  }

  /** Stops the heartbeat and drops pending signals. */
  stop(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const state of this.instances.values()) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  private signal(instance: string) {
    const state = this.state(instance);
    state.lastSentAt = Date.now();
    const message: ArgoCdApplicationsSignal = {
      instance,
      revision: state.revision,
    };
    this.options.signals
      .publish({
        recipients: { type: 'broadcast' },
        channel: ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
        message,
      })
      .catch(e =>
        this.options.logger.warn(
          `Publishing the Argo CD applications signal failed: ${
            (e as Error).message
          }`,
        ),
      );
  }
}
