import type { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';

/** Timers, a dependency so tests move time instead of waiting. */
export interface ReactorTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: ReactorTimers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending check never keeps the process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const message = (e: unknown) => (isError(e) ? e.message : String(e));

/**
 * What the environments backend does when Argo CD or Crossplane state of an
 * environment changed (an events-service event, an Argo CD notification):
 * forgets the environment's cached snapshots at once, so pages and the
 * matrix read it again, and checks its incidents shortly after. Changes
 * within `delayMs` of the first one are checked together; a change during a
 * check is checked once that check is done, so checks never overlap.
 */
export class EnvironmentChangeReactor {
  private readonly pending = new Set<string>();
  private timer: unknown;
  private running?: Promise<void>;

  constructor(
    private readonly deps: {
      /** Forgets the cached snapshots of an environment (`resource:default/<name>`). */
      invalidate(environmentRef: string): Promise<void>;
      /** Checks the incidents of these environments; none when notifications are off. */
      check?(environments: string[]): Promise<void>;
      delayMs: number;
      logger: LoggerService;
      timers?: ReactorTimers;
    },
  ) {}

  private get timers() {
    return this.deps.timers ?? realTimers;
  }

  /** Reacts to a change of `environment` (its name); `source` says what saw it, for the logs. */
  async changed(environment: string, source: string): Promise<void> {
    const ref = stringifyEntityRef({
      kind: 'Resource',
      namespace: 'default',
      name: environment,
    });
    try {
      await this.deps.invalidate(ref);
    } catch (e) {
      this.deps.logger.warn(
        `Cached snapshots of environment ${environment} could not be forgotten after ${source}: ${message(
          e,
        )}`,
      );
    }
    if (!this.deps.check) return;
    this.pending.add(environment);
    if (this.timer === undefined && !this.running) this.schedule();
  }

  private schedule() {
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.running = this.flush().finally(() => {
        this.running = undefined;
        if (this.pending.size > 0) this.schedule();
      });
    }, this.deps.delayMs);
  }

  private async flush(): Promise<void> {
    const environments = [...this.pending].sort();
    this.pending.clear();
    try {
      await this.deps.check!(environments);
    } catch (e) {
      this.deps.logger.error(
        `Incident check of environment(s) ${environments.join(
          ', ',
        )} after a live change failed; the scheduled check will retry: ${message(
          e,
        )}`,
      );
    }
  }

  /** Waits for the check in progress, if any (tests, shutdown). */
  async idle(): Promise<void> {
    await this.running;
  }

  /** Drops pending checks (backend shutdown). */
  stop(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
