import { BoundedTaskQueue } from './BoundedTaskQueue';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise(resolve => setImmediate(resolve));

describe('BoundedTaskQueue', () => {
  it('runs at most `concurrency` tasks at once and drains in order', async () => {
    const queue = new BoundedTaskQueue({ concurrency: 2, maxPending: 10 });
    const tasks = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    tasks.forEach((t, i) =>
      queue.add(`k${i}`, () => {
        started.push(i);
        return t.promise;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(queue.size).toEqual({ running: 2, waiting: 3 });

    tasks[1].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    expect(queue.size).toEqual({ running: 2, waiting: 2 });

    let idle = false;
    const whenIdle = queue.idle().then(() => {
      idle = true;
    });
    tasks[0].reject(new Error('boom'));
    tasks[2].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(idle).toBe(false);
    tasks[3].resolve();
    tasks[4].resolve();
    await whenIdle;
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  it('does not queue a key twice, drops tasks beyond maxPending and reports errors', async () => {
    const errors: string[] = [];
    const queue = new BoundedTaskQueue({
      concurrency: 1,
      maxPending: 2,
      onError: key => errors.push(key),
    });
    const gate = deferred();
    const ran: string[] = [];
    const task = (key: string) => async () => {
      ran.push(key);
      await gate.promise;
      if (key === 'b') throw new Error('failed');
    };
    expect(queue.add('a', task('a'))).toBe(true); // runs
    expect(queue.add('a', task('a'))).toBe(false); // running already
    expect(queue.add('b', task('b'))).toBe(true); // waits
    expect(queue.add('b', task('b'))).toBe(false); // waiting already
    expect(queue.add('c', task('c'))).toBe(true); // waits
    expect(queue.add('d', task('d'))).toBe(false); // queue full
    gate.resolve();
    await queue.idle();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(errors).toEqual(['b']);
    // Keys are released once done.
    expect(queue.add('a', task('a'))).toBe(true);
    await queue.idle();
    expect(ran).toEqual(['a', 'b', 'c', 'a']);
  });

  it('is idle at once when empty and rejects nonsense limits', async () => {
    await expect(
      new BoundedTaskQueue({ concurrency: 1, maxPending: 0 }).idle(),
    ).resolves.toBeUndefined();
    expect(
      () => new BoundedTaskQueue({ concurrency: 0, maxPending: 1 }),
    ).toThrow(/concurrency >= 1/);
  });
});
