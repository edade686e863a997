import { DependencyList, useEffect, useMemo, useRef } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { signalKey } from './signalKey';

/** Options of {@link useLiveAsync}. @public */
export interface LiveAsyncOptions {
  /**
   * Backstage signal channels whose messages mean "fetch again" (their
   * payloads are never read beyond telling repeats apart).
   */
  channels: string[];
  /** Wait after a signal before fetching, gathering bursts, in ms. Defaults to 500. */
  debounceMs?: number;
}

/** What {@link useLiveAsync} gives: the latest value, first load, error. @public */
export interface LiveAsyncState<T> {
  value?: T;
  /** True only until the first answer: a refetch keeps showing the value. */
  loading: boolean;
  error?: Error;
  /** Fetches again now. */
  retry(): void;
}

/**
 * Like `useAsync`, and fetches again when a signal arrives on one of the
 * channels (after `debounceMs`, once per burst), without flicker: the last
 * value stays shown while the next one loads, and a failed refetch keeps it
 * too. A signal that repeats one already acted on (the backend re-announces
 * its last revision so that pages whose connection came back catch up) is
 * ignored. Without the signals plugin in the app it behaves like `useAsync`.
 * @public
 */
export function useLiveAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  options: LiveAsyncOptions,
): LiveAsyncState<T> {
  const state = useAsyncRetry(fn, deps);
  const signals = useApiHolder().get(signalApiRef);
  const retry = useRef(state.retry);
  retry.current = state.retry;
  const { debounceMs = 500 } = options;
  const channels = options.channels.join('\n');

  useEffect(() => {
    if (!signals) return undefined;
    const seen = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const subscriptions = channels.split('\n').map(channel =>
      signals.subscribe(channel, message => {
        const key = signalKey(channel, message);
        if (key) {
          if (seen.has(key)) return;
          seen.add(key);
        }
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => retry.current(), debounceMs);
      }),
    );
    return () => {
      if (timer) clearTimeout(timer);
      subscriptions.forEach(s => s.unsubscribe());
    };
  }, [signals, channels, debounceMs]);

  // the last value for these deps, kept through a failed refetch
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const token = useMemo(() => ({}), deps);
  const last = useRef<{ token: object; value: T }>();
  if (state.value !== undefined && !state.loading) {
    last.current = { token, value: state.value };
  }
  const kept = last.current?.token === token ? last.current.value : undefined;
  const value = state.value ?? kept;
  return {
    value,
    loading: state.loading && value === undefined,
    error: value === undefined ? state.error : undefined,
    retry: state.retry,
  };
}
