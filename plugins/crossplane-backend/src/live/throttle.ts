/**
 * Calls `fire(key)` at most once per `intervalMs` for each key: at once
 * when the key has been quiet for that long, else once at the end of the
 * interval, however many times it was asked in between.
 */
export class KeyedThrottle {
  private readonly last = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly intervalMs: number,
    private readonly fire: (key: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Asks for `fire(key)`. */
  request(key: string): void {
    if (this.timers.has(key)) return;
    const wait =
      (this.last.get(key) ?? -Infinity) + this.intervalMs - this.now();
    if (wait <= 0) {
      this.run(key);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.run(key);
    }, wait);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  /** Drops every pending call. */
  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private run(key: string) {
    this.last.set(key, this.now());
    this.fire(key);
  }
}
