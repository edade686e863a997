/** Options of a {@link BoundedTaskQueue}. */
export interface BoundedTaskQueueOptions {
  /** Most tasks running at once. */
  concurrency: number;
  /** Most tasks waiting to run; further tasks are dropped. */
  maxPending: number;
  /** Called when a task fails (the queue carries on). */
  onError?: (key: string, error: unknown) => void;
}

/**
 * Runs background tasks with bounded concurrency. Tasks are identified by a
 * key: a key already waiting or running is not queued twice. `idle()` resolves
 * once nothing is waiting or running, so tests (and shutdown) can await it.
 */
export class BoundedTaskQueue {
  private readonly waiting: Array<{
    key: string;
    run: () => Promise<unknown>;
  }> = [];
  private readonly keys = new Set<string>();
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: BoundedTaskQueueOptions) {
    if (!(options.concurrency >= 1) || !(options.maxPending >= 0)) {
      throw new Error(
        `BoundedTaskQueue needs concurrency >= 1 and maxPending >= 0, got ${options.concurrency} and ${options.maxPending}`,
      );
    }
  }

  /** Queues a task; false when its key is already queued/running or the queue is full. */
  add(key: string, run: () => Promise<unknown>): boolean {
    if (this.keys.has(key) || this.waiting.length >= this.options.maxPending) {
      return false;
    }
    this.keys.add(key);
    this.waiting.push({ key, run });
    this.pump();
    return true;
  }

  /** Tasks running now and waiting to run. */
  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Resolves when no task is running or waiting. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) {
      return Promise.resolve();
    }
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  private pump() {
    while (this.running < this.options.concurrency && this.waiting.length) {
      const task = this.waiting.shift()!;
      this.running++;
      Promise.resolve()
        .then(task.run)
        .catch(error => this.options.onError?.(task.key, error))
        .finally(() => {
          this.running--;
          this.keys.delete(task.key);
          this.pump();
          if (this.running === 0 && this.waiting.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            waiters.forEach(resolve => resolve());
          }
        });
    }
  }
}
