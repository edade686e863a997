import { KeyedThrottle } from './throttle';

describe('KeyedThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires at once when quiet, then at most once per interval per key', () => {
    const fired: string[] = [];
    const throttle = new KeyedThrottle(1000, k => fired.push(k));
    throttle.request('a');
    expect(fired).toEqual(['a']);
    throttle.request('a');
    throttle.request('a');
    throttle.request('b'); // another key is not held back
    expect(fired).toEqual(['a', 'b']);
    jest.advanceTimersByTime(999);
    expect(fired).toEqual(['a', 'b']);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(['a', 'b', 'a']);
    jest.advanceTimersByTime(5000);
    expect(fired).toEqual(['a', 'b', 'a']);
  });

  it('drops what is pending when stopped', () => {
    const fired: string[] = [];
    const throttle = new KeyedThrottle(1000, k => fired.push(k));
    throttle.request('a');
    throttle.request('a');
    throttle.stop();
    jest.advanceTimersByTime(2000);
    expect(fired).toEqual(['a']);
  });
});
