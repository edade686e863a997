/*
 * The live scenario of `yarn bench:argocd` (issue #16): page loads while
 * Argo CD applications change. Both backends serve the same page loads
 * (the pattern of bench-argocd.ts) while the fake Argo CD changes one
 * application after every other load (each of the 100 changes a different
 * application of a component the loads visit: its health flips to
 * Degraded, as the controller would report). Counted: upstream requests
 * during the window, ours and Roadie's; for ours, the time from each
 * upstream change to the backend's view being updated (the change's event
 * published on the events service) and to the browser signal that makes
 * open pages fetch again (debounced, at most one per second per instance),
 * and to the change being visible to a browser: on each signal, a simulated
 * open page of every changed component fetches its applications again
 * through our backend, as the Argo CD tab does, and the change counts as
 * visible when that answer shows it.
 * Roadie's backend has no watch: a page shows a change on its next load.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import type { FakeArgoCd } from '@epicshelter/fake-argocd';
import { formatNumber, formatTable, percentile } from '../src';

/** What our backend published, with when (performance.now()). */
export interface LiveRecorder {
  events: Array<{ at: number; name: string; instance: string }>;
  signals: Array<{ at: number; instance: string }>;
  /** Events and signals services recording into this recorder (features of our backend). */
  features: ReturnType<typeof createServiceFactory>[];
  /** Called with each signal our backend publishes (the simulated open pages). */
  onSignal?: (instance: string) => void;
}

/** Records what our backend publishes, for the latencies. */
export function liveRecorder(): LiveRecorder {
  const recorder: LiveRecorder = { events: [], signals: [], features: [] };
  recorder.features.push(
    createServiceFactory({
      service: eventsServiceRef,
      deps: {},
      factory: () => ({
        publish: async ({ eventPayload }: EventParams) => {
          const e = eventPayload as { name: string; instance: string };
          recorder.events.push({
            at: performance.now(),
            name: e.name,
            instance: e.instance,
          });
        },
        subscribe: async () => {},
      }),
    }),
    createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({
        publish: async ({ message }: SignalPayload<any>) => {
          recorder.signals.push({
            at: performance.now(),
            instance: message.instance,
          });
          recorder.onSignal?.(message.instance);
        },
      }),
    }),
  );
  return recorder;
}

/** One application change of the window. */
interface Change {
  at: number;
  instance: string;
  name: string;
  /** The component whose page shows the application. */
  component: string;
  /** Text of the change (the health message) a page shows once it sees it. */
  marker: string;
}

interface Window {
  requests: number;
  byRoute: Record<string, number>;
  changes: Change[];
}

/**
 * Runs `loads` page loads through one backend, changing one application
 * after every other load; returns the upstream requests of the window and
 * when each change was made.
 */
async function window(
  fake: FakeArgoCd,
  loads: number,
  components: string[],
  page: (component: string) => Promise<void>,
  onChange?: (change: Change) => void,
): Promise<Window> {
  fake.resetStats();
  const changes: Window['changes'] = [];
  for (let i = 0; i < loads; i++) {
    await page(components[i % components.length]);
    if (i % 2 === 1) {
      const n = changes.length;
      const instance = n % 2 === 0 ? 'local' : 'cloud';
      const env = instance === 'local' ? 'dev' : 'staging';
      const component = components[(n >> 1) % components.length];
      const name = `${component}-${env}`;
      const marker = `bench change ${n}`;
      fake.updateApplication(instance, name, app => {
        app.status = {
          ...app.status,
          health: { status: 'Degraded', message: marker },
        };
      });
      const change = {
        at: performance.now(),
        instance,
        name,
        component,
        marker,
      };
      changes.push(change);
      onChange?.(change);
    }
  }
  await new Promise(r => setTimeout(r, 2500)); // the last debounced signals and refetches
  const stats = fake.stats();
  return { requests: stats.requests, byRoute: stats.byRoute, changes };
}

function latencies(
  changes: Window['changes'],
  recorder: LiveRecorder,
): { view: number[]; signal: number[]; missed: number } {
  const view: number[] = [];
  const signal: number[] = [];
  let missed = 0;
  for (const c of changes) {
    const event = recorder.events.find(
      e => e.instance === c.instance && e.name === c.name && e.at >= c.at,
    );
    const sig = event
      ? recorder.signals.find(
          s => s.instance === c.instance && s.at >= event.at,
        )
      : undefined;
    if (!event || !sig) {
      missed += 1;
      continue;
    }
    view.push(event.at - c.at);
    signal.push(sig.at - c.at);
  }
  return {
    view: view.sort((a, b) => a - b),
    signal: signal.sort((a, b) => a - b),
    missed,
  };
}

/**
 * Open pages of the changed components: on each signal of an instance, each
 * page with a change not yet seen fetches again (one fetch at a time per
 * page, as the tab's hook does) and records when the answer shows it.
 */
function simulatedPages(
  recorder: LiveRecorder,
  shows: (change: Change) => Promise<boolean>,
) {
  const waiting = new Set<Change>();
  const busy = new Set<string>();
  const visible: number[] = [];
  const refetch = async (change: Change) => {
    const page = `${change.instance}/${change.component}`;
    if (busy.has(page)) return;
    busy.add(page);
    try {
      if (waiting.has(change) && (await shows(change))) {
        visible.push(performance.now() - change.at);
        waiting.delete(change);
      }
    } finally {
      busy.delete(page);
    }
  };
  recorder.onSignal = instance => {
    for (const change of waiting) {
      if (change.instance === instance) void refetch(change);
    }
  };
  return {
    opened: (change: Change) => waiting.add(change),
    visible,
    notSeen: () => waiting.size,
    close: () => {
      recorder.onSignal = undefined;
    },
  };
}

/** Runs the live scenario through both backends and prints its figures. */
export async function runLiveScenario(options: {
  fake: FakeArgoCd;
  loads: number;
  components: string[];
  ours: (component: string) => Promise<void>;
  /** Whether our backend's applications of the change's component show it. */
  oursShows: (change: Change) => Promise<boolean>;
  roadie: (component: string) => Promise<void>;
  recorder: LiveRecorder;
  /** Upstream requests our backend made to start its watches. */
  watchStartup: Record<string, number>;
}) {
  const { fake, loads, components, recorder } = options;
  options.recorder.events.length = 0;
  options.recorder.signals.length = 0;
  const pages = simulatedPages(recorder, options.oursShows);
  const ours = await window(
    fake,
    loads,
    components,
    options.ours,
    pages.opened,
  );
  pages.close();
  const { view, signal, missed } = latencies(ours.changes, recorder);
  const visible = [...pages.visible].sort((a, b) => a - b);
  const roadie = await window(fake, loads, components, options.roadie);
  const p = (xs: number[], q: number) =>
    xs.length ? formatNumber(percentile(xs, q)) : '–';
  process.stdout.write(
    `\nLive scenario: ${loads} entity-page loads while ${ours.changes.length} application state changes happen (one after every other load), same fake Argo CD, ours with the watch (default).\n\n`,
  );
  process.stdout.write(
    `${formatTable([
      ['backend', 'upstream requests', 'signals'],
      [
        'epicshelter argocd-backend',
        formatNumber(ours.requests),
        formatNumber(recorder.signals.length),
      ],
      ['roadie argo-cd-backend 4.8.0', formatNumber(roadie.requests), '–'],
    ])}\n`,
  );
  process.stdout.write(
    `\nUpstream requests by Argo CD operation during the window:\n  ours: ${
      Object.entries(ours.byRoute)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || 'none'
    }\n  roadie: ${Object.entries(roadie.byRoute)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `Our watches' start (once per backend start, before the window): ${Object.entries(
      options.watchStartup,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}\n`,
  );
  process.stdout.write(
    `\nOurs, from an upstream change to: the backend's view updated (event published) p50 ${p(
      view,
      50,
    )} ms, p95 ${p(view, 95)} ms; the browser signal p50 ${p(
      signal,
      50,
    )} ms, p95 ${p(
      signal,
      95,
    )} ms (signals debounced to one per second per instance); visible on an open page (signal, then the page's fetch shows it) p50 ${p(
      visible,
      50,
    )} ms, p95 ${p(visible, 95)} ms${
      missed ? `; ${missed} changes never seen` : ''
    }${
      pages.notSeen() ? `; ${pages.notSeen()} never visible on their page` : ''
    }.\nRoadie: no push; a change shows on the page's next load.\n`,
  );
}
