import { mockServices } from '@backstage/backend-test-utils';
import {
  EnvironmentChangeReactor,
  ReactorTimers,
} from './EnvironmentChangeReactor';

/** Timers that fire only when the test says so. */
function manualTimers() {
  let next = 1;
  const pending = new Map<number, { fn: () => void; ms: number }>();
  const timers: ReactorTimers = {
    setTimeout: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: handle => pending.delete(handle as number),
  };
  return {
    timers,
    pending: () => [...pending.values()].map(t => t.ms),
    /** Fires every pending timer. */
    fire() {
      const due = [...pending.values()];
      pending.clear();
      due.forEach(t => t.fn());
    },
  };
}

describe('EnvironmentChangeReactor', () => {
  type Due = Array<{ environment: string; at: Date }>;
  function setUp(check?: (envs: string[]) => Promise<Due | void>) {
    const clock = manualTimers();
    const invalidated: string[] = [];
    const checked: string[][] = [];
    const logger = mockServices.logger.mock();
    const reactor = new EnvironmentChangeReactor({
      invalidate: async ref => {
        invalidated.push(ref);
      },
      check: async envs => {
        checked.push(envs);
        return { due: (await check?.(envs)) ?? [] };
      },
      delayMs: 2000,
      logger,
      timers: clock.timers,
      clock: () => new Date('2026-12-06T10:00:00.000Z'),
    });
    return { clock, invalidated, checked, reactor, logger };
  }

  it('forgets the snapshots at once and checks a burst of changes together after the delay', async () => {
    const { clock, invalidated, checked, reactor } = setUp();
    await reactor.changed('dev', 'test');
    await reactor.changed('staging', 'test');
    await reactor.changed('dev', 'test');
    expect(invalidated).toEqual([
      'resource:default/dev',
      'resource:default/staging',
      'resource:default/dev',
    ]);
    expect(checked).toEqual([]);
    expect(clock.pending()).toEqual([2000]);
    clock.fire();
    await reactor.idle();
    expect(checked).toEqual([['dev', 'staging']]);
    expect(clock.pending()).toEqual([]);
  });

  it('checks a change seen during a check once that check is done, never two at a time', async () => {
    let release!: () => void;
    const { clock, checked, reactor } = setUp(envs =>
      envs[0] === 'dev'
        ? new Promise<void>(resolve => {
            release = resolve;
          })
        : Promise.resolve(),
    );
    await reactor.changed('dev', 'test');
    clock.fire();
    await reactor.changed('staging', 'test');
    expect(clock.pending()).toEqual([]); // waits for the running check
    release();
    await reactor.idle();
    expect(clock.pending()).toEqual([2000]);
    clock.fire();
    await reactor.idle();
    expect(checked).toEqual([['dev'], ['staging']]);
  });

  it('checks an environment again when the grace time of a problem it saw ends', async () => {
    const { clock, checked, reactor } = setUp(async envs =>
      envs.includes('dev') && checked.length === 1
        ? [
            { environment: 'dev', at: new Date('2026-12-06T10:10:00.000Z') },
            { environment: 'dev', at: new Date('2026-12-06T10:05:00.000Z') },
          ]
        : [],
    );
    await reactor.changed('dev', 'test');
    clock.fire();
    await reactor.idle();
    // the earliest of dev's problems: in five minutes
    expect(clock.pending()).toEqual([5 * 60_000]);
    clock.fire();
    expect(clock.pending()).toEqual([2000]);
    clock.fire();
    await reactor.idle();
    expect(checked).toEqual([['dev'], ['dev']]);
    expect(clock.pending()).toEqual([]);
  });

  it('waits at most as long as a timer can for a grace time that ends weeks away', async () => {
    const { clock, reactor } = setUp(async () => [
      { environment: 'dev', at: new Date('2027-02-06T10:00:00.000Z') },
    ]);
    await reactor.changed('dev', 'test');
    clock.fire();
    await reactor.idle();
    // a longer delay would make Node.js fire at once, again and again
    expect(clock.pending()).toEqual([2 ** 31 - 1]);
  });

  it('logs a failed check and keeps reacting', async () => {
    const { clock, checked, reactor, logger } = setUp(async envs => {
      if (envs.includes('dev')) throw new Error('catalog unavailable');
    });
    await reactor.changed('dev', 'test');
    clock.fire();
    await reactor.idle();
    expect(logger.error).toHaveBeenCalledWith(
      'Incident check of environment(s) dev after a live change failed; the scheduled check will retry: catalog unavailable',
    );
    await reactor.changed('staging', 'test');
    clock.fire();
    await reactor.idle();
    expect(checked).toEqual([['dev'], ['staging']]);
  });

  it('only forgets snapshots when notifications are off, and drops pending checks when stopped', async () => {
    const clock = manualTimers();
    const off = new EnvironmentChangeReactor({
      invalidate: async () => {},
      delayMs: 10,
      logger: mockServices.logger.mock(),
      timers: clock.timers,
    });
    await off.changed('dev', 'test');
    expect(clock.pending()).toEqual([]);

    const { clock: clock2, checked, reactor } = setUp();
    await reactor.changed('dev', 'test');
    reactor.stop();
    expect(clock2.pending()).toEqual([]);
    expect(checked).toEqual([]);
  });
});
