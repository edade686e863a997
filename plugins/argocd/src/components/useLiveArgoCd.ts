import { DependencyList, useEffect, useRef, useState } from 'react';
import { useSignal } from '@backstage/plugin-signals-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
  ArgoCdApplicationsSignal,
} from '@epicshelter/plugin-argocd-common';

/**
 * A number that grows each time the backend signals an Argo CD change
 * this page has not acted on: a new `{ instance, revision }` on
 * {@link ARGOCD_APPLICATIONS_SIGNAL_CHANNEL}. The backend repeats its
 * current revision as a heartbeat, and starts from a higher one after a
 * restart, so a page whose signal connection was down catches up on the
 * first signal after it is back; repeats of a revision already acted on
 * change nothing. Without the signals plugin it stays 0.
 */
export function useApplicationsGeneration(): number {
  const { lastSignal } = useSignal<ArgoCdApplicationsSignal>(
    ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
  );
  const acted = useRef(new Set<string>());
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!lastSignal) return;
    const seen = `${lastSignal.instance}@${lastSignal.revision}`;
    if (acted.current.has(seen)) return;
    acted.current.add(seen);
    setGeneration(g => g + 1);
  }, [lastSignal]);
  return generation;
}

const sameDeps = (a: DependencyList, b: DependencyList) =>
  a.length === b.length && a.every((d, i) => Object.is(d, b[i]));

/**
 * Loads Argo CD data and loads it again whenever the backend signals a
 * change ({@link useApplicationsGeneration}). No flicker: while a refetch
 * runs, and when one fails, the data already shown for the same `deps`
 * stays (`loading` and `error` are only for a first load).
 */
export function useLiveArgoCd<T>(fn: () => Promise<T>, deps: DependencyList) {
  const generation = useApplicationsGeneration();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsyncRetry(fn, [...deps, generation]);
  const shown = useRef<{ deps: DependencyList; value: T }>();
  if (!state.loading && state.value !== undefined) {
    shown.current = { deps, value: state.value };
  }
  const kept =
    shown.current && sameDeps(shown.current.deps, deps)
      ? shown.current.value
      : undefined;
  const value = state.loading || state.error ? kept : state.value;
  return {
    value,
    loading: state.loading && value === undefined,
    error: value === undefined ? state.error : undefined,
    retry: state.retry,
  };
}
