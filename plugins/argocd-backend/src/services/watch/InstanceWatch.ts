import { LoggerService } from '@backstage/backend-plugin-api';
import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import {
  ApplicationChange,
  ApplicationView,
  applyWatchEvent,
  changeFromStreamLine,
  resyncView,
} from './applicationView';

/** Where an instance's watch reads from (the instance's Argo CD API). */
export interface InstanceWatchSource {
  /** All applications, with the list's resourceVersion. */
  list(): Promise<{ items: ArgoCdApplication[]; resourceVersion?: string }>;
  /** The watch stream's lines after `resourceVersion`, until it ends or `abort` fires. */
  watch(
    resourceVersion: string,
    abort: AbortSignal,
  ): Promise<AsyncIterable<unknown>>;
}

/** Options of {@link InstanceWatch}. */
export interface InstanceWatchOptions {
  instance: string;
  source: InstanceWatchSource;
  logger: LoggerService;
  retryMinMs: number;
  retryMaxMs: number;
  /** Called with the changes of each event, and of each re-list that found some. */
  onChanges(changes: ApplicationChange[]): void;
  /** Called after each (re-)list, once the view is current. */
  onSynced?(): void;
}

/** Delay before the `failures + 1`-th reconnection: doubling from `min`, at most `max`. */
export function retryDelay(failures: number, min: number, max: number) {
  return Math.min(max, min * 2 ** Math.min(failures, 30));
}

/**
 * One long-lived watch of one Argo CD instance's applications. Each
 * connection opens `GET /api/v1/stream/applications` from the last
 * resourceVersion seen, then lists all applications and merges the list
 * into the view (Argo CD does not replay what a broken watch missed, so
 * the list closes the gap; events that arrive meanwhile are applied after
 * it, older ones ignored). When the stream breaks or sends an error, it
 * reconnects after a doubling delay. The view is served only while the
 * stream is open and the view current ({@link InstanceWatch.current}).
 */
export class InstanceWatch {
  private view?: ApplicationView;
  private healthy = false;
  private stopped = true;
  private running?: Promise<void>;
  private abort?: AbortController;
  private wake?: () => void;
  private failures = 0;

  constructor(private readonly options: InstanceWatchOptions) {}

  /** The applications, while the watch is connected and current; else undefined. */
  get current(): ApplicationView | undefined {
    return this.healthy ? this.view : undefined;
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.healthy = false;
    this.abort?.abort();
    this.wake?.();
    await this.running;
  }

  private async loop() {
    const { instance, logger, retryMinMs, retryMaxMs } = this.options;
    while (!this.stopped) {
      let reason: string;
      try {
        reason = await this.connection();
      } catch (e) {
        reason = (e as Error).message;
      }
      const wasHealthy = this.healthy;
      this.healthy = false;
      if (this.stopped) break;
      const delay = retryDelay(this.failures, retryMinMs, retryMaxMs);
      this.failures += 1;
      const message = `Argo CD instance "${instance}": application watch interrupted (${reason}); pages are served without it until it reconnects, next attempt in ${delay} ms`;
      if (wasHealthy || this.failures === 1) logger.warn(message);
      else logger.debug(message);
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One connection: stream, list, then events until the stream ends; resolves to why it ended. */
  private async connection(): Promise<string> {
    const { source } = this.options;
    const abort = new AbortController();
    this.abort = abort;
    const lines = await source.watch(
      this.view?.resourceVersion ?? '0',
      abort.signal,
    );
    const pending: ApplicationChange[] = [];
    let listed = false;
    let ended = false;
    const consumed = (async (): Promise<string> => {
      try {
        for await (const line of lines) {
          const event = changeFromStreamLine(line);
          if (listed) this.apply([event]);
          else pending.push(event);
        }
        return 'the stream ended';
      } catch (e) {
        return abort.signal.aborted ? 'stopped' : (e as Error).message;
      } finally {
        ended = true;
      }
    })();
    try {
      const list = await source.list();
      const { view, changes } = resyncView(this.view, list);
      this.view = view;
      listed = true;
      this.publish(changes);
      this.apply(pending.splice(0));
    } catch (e) {
      abort.abort();
      await consumed;
      throw e;
    }
    if (!ended) {
      this.healthy = true;
      this.failures = 0;
      this.options.logger.info(
        `Argo CD instance "${this.options.instance}": watching applications (${
          this.view?.apps.size ?? 0
        } listed)`,
      );
      this.options.onSynced?.();
    }
    return consumed;
  }

  private apply(events: ApplicationChange[]) {
    const changes: ApplicationChange[] = [];
    for (const event of events) {
      const result = applyWatchEvent(this.view!, event);
      this.view = result.view;
      if (result.change) changes.push(result.change);
    }
    this.publish(changes);
  }

  private publish(changes: ApplicationChange[]) {
    if (changes.length === 0) return;
    try {
      this.options.onChanges(changes);
    } catch (e) {
      this.options.logger.warn(
        `Argo CD instance "${
          this.options.instance
        }": handling application changes failed: ${(e as Error).message}`,
      );
    }
  }
}
