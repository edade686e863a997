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
 * The longest delay a Node.js timer keeps (about 24.8 days); a longer one
 * fires at once. A recheck further away waits this long and, not yet due,
 * is scheduled again.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What the environments backend does when Argo CD or Crossplane state of an
 * environment changed (an events-service event, an Argo CD notification):
 * forgets the environment's cached snapshots at once, so pages and the
 * matrix read it again, and checks its incidents shortly after. Changes
 * within `delayMs` of the first one are checked together; a change during a
 * check is checked once that check is done, so checks never overlap. A
 * problem still within its grace time is checked again when that ends.
 */
export class EnvironmentChangeReactor {
  private readonly pending = new Set<string>();
  /** Checks again when a grace time ends, per environment. */
  private readonly rechecks = new Map<string, unknown>();
  private timer: unknown;
  private running?: Promise<void>;

  constructor(
    private readonly deps: {
      /** Forgets the cached snapshots of an environment (`resource:default/<name>`). */
      invalidate(environmentRef: string): Promise<void>;
      /**
       * Checks the incidents of these environments; none when notifications
       * are off. Says when problems seen but not yet due (grace times) are
       * due, so they are checked again then.
       */
      check?(
        environments: string[],
      ): Promise<{ due: Array<{ environment: string; at: Date }> }>;
      delayMs: number;
      logger: LoggerService;
      timers?: ReactorTimers;
      clock?: () => Date;
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
    this.enqueue(environment);
  }

  private enqueue(environment: string) {
    if (!this.deps.check) return;
    this.pending.add(environment);
    if (this.timer === undefined && !this.running) this.schedule();
  }

  /** Checks `environment` again at `at` (a grace time ends), once. */
  private recheckAt(environment: string, at: Date) {
    const now = (this.deps.clock ?? (() => new Date()))().getTime();
    const previous = this.rechecks.get(environment);
    if (previous !== undefined) this.timers.clearTimeout(previous);
    this.rechecks.set(
      environment,
      this.timers.setTimeout(() => {
        this.rechecks.delete(environment);
        this.enqueue(environment);
      }, Math.min(MAX_TIMER_MS, Math.max(0, at.getTime() - now))),
    );
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
      const { due } = await this.deps.check!(environments);
      const earliest = new Map<string, Date>();
      for (const { environment, at } of due) {
        const known = earliest.get(environment);
        if (!known || at < known) earliest.set(environment, at);
      }
      earliest.forEach((at, environment) => this.recheckAt(environment, at));
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
    this.rechecks.forEach(handle => this.timers.clearTimeout(handle));
    this.rechecks.clear();
    this.pending.clear();
  }
}
