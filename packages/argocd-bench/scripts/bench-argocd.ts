/*
 * yarn bench:argocd — upstream cost and latency of entity-page loads through
 * @epicshelter/plugin-argocd-backend (default settings: one shared list per
 * instance, commit metadata prefetch) and through @roadiehq/backstage-plugin-argo-cd-backend, both
 * running for real (startTestBackend) against the same fake Argo CD
 * (2 instances × 1,000 applications, 20 ms latency per upstream request).
 *
 * A page load is what the browser asks for on one entity page: the overview
 * card and the "Argo CD" tab with each application's history (commit metadata).
 *  - ours: GET applications (card) ‖ GET applications (tab), then GET history per application.
 *  - Roadie: its frontend's documented pattern (useAppDetails with
 *    argocd.appLocatorMethods + argocd/app-selector), once for the overview card
 *    and once for the history card, in parallel: GET /find/selector/:sel, then per
 *    instance GET /argoInstance/:i/applications/selector/:sel, then per application
 *    per history entry GET .../applications/name/:app/revisions/:rev/metadata.
 *    Roadie's frontend is not run (no browser here); these are the calls it makes.
 */
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import roadiePlugin from '@roadiehq/backstage-plugin-argo-cd-backend';
import argocdPlugin from '@epicshelter/plugin-argocd-backend';
import { formatNumber, formatTable, percentile } from '../src';
import { liveRecorder, runLiveScenario } from './liveScenario';

const APPS_PER_INSTANCE = Number(process.env.BENCH_APPS ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 200);
const DISTINCT_ENTITIES = Number(process.env.BENCH_ENTITIES ?? 50);
/** `pages` (entity-page loads only), `live` (page loads while applications change), or both (default). */
const SCENARIO = process.env.BENCH_SCENARIO ?? 'both';
const OUR_SETTINGS = `sharedList=${
  process.env.BENCH_SHARED_LIST ?? 'default'
}, prefetch=${process.env.BENCH_PREFETCH ?? 'default'}`;

const components = Array.from(
  { length: DISTINCT_ENTITIES },
  (_, i) => `svc-${String(i).padStart(4, '0')}`,
);
const selector = (c: string) => `app.kubernetes.io/name=${c}`;
const entities: Entity[] = components.map(c => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: c,
    namespace: 'default',
    annotations: { 'argocd/app-selector': selector(c) },
  },
  spec: {
    type: 'service',
    owner: 'user:default/guest',
    lifecycle: 'production',
  },
}));

async function getJson(base: string, path: string): Promise<any> {
  const res = await fetch(`${base}${path}`);
  const text = await res.text();
  if (!res.ok) return { __status: res.status, __text: text };
  return JSON.parse(text);
}

async function ourPage(base: string, component: string) {
  const path = `/api/epicshelter-argocd/entities/component/default/${component}`;
  const [, tab] = await Promise.all([
    getJson(base, `${path}/applications`),
    getJson(base, `${path}/applications`),
  ]);
  await Promise.all(
    (tab.items ?? []).map((a: any) =>
      getJson(
        base,
        `${path}/instances/${a.instance}/applications/${a.name}/history`,
      ),
    ),
  );
}

async function roadieCard(base: string, component: string) {
  const sel = encodeURIComponent(selector(component));
  const found = await getJson(base, `/api/argocd/find/selector/${sel}`);
  const lists = await Promise.all(
    (Array.isArray(found) ? found : []).map((i: any) =>
      getJson(
        base,
        `/api/argocd/argoInstance/${i.name}/applications/selector/${sel}`,
      ),
    ),
  );
  const items = lists.flatMap((l: any) => l.items ?? []).filter(Boolean);
  await Promise.all(
    items.flatMap((item: any) =>
      (item.status?.history ?? []).map((h: any) =>
        h.source?.chart !== undefined
          ? Promise.resolve()
          : getJson(
              base,
              `/api/argocd/argoInstance/${item.metadata.instance.name}/applications/name/${item.metadata.name}/revisions/${h.revision}/metadata`,
            ),
      ),
    ),
  );
}

async function roadiePage(base: string, component: string) {
  await Promise.all([roadieCard(base, component), roadieCard(base, component)]);
}

async function run(
  name: string,
  fake: FakeArgoCd,
  server: Server,
  page: (base: string, component: string) => Promise<void>,
) {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.resetStats();
  const times: number[] = [];
  const firstVisits: number[] = [];
  for (let i = 0; i < PAGE_LOADS; i++) {
    const start = performance.now();
    await page(base, components[i % components.length]);
    const ms = performance.now() - start;
    times.push(ms);
    if (i < components.length) firstVisits.push(ms);
  }
  const stats = fake.stats();
  times.sort((a, b) => a - b);
  firstVisits.sort((a, b) => a - b);
  return {
    name,
    ...stats,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    firstP50: percentile(firstVisits, 50),
    firstP95: percentile(firstVisits, 95),
  };
}

async function main() {
  const fake = await startFakeArgoCd({
    instances: ['local', 'cloud'],
    apps: APPS_PER_INSTANCE,
    latencyMs: LATENCY_MS,
  });
  const instances = fake.instanceNames.map(n => ({
    name: n,
    url: fake.url(n),
  }));
  const common = [
    catalogServiceMock.factory({ entities }),
    mockServices.permissions.factory({ result: 'ALLOW' as any }),
    mockServices.rootLogger.factory({ level: 'none' }),
  ];
  const recorder = liveRecorder();
  const ours = await startTestBackend({
    features: [
      argocdPlugin,
      ...recorder.features,
      mockServices.rootConfig.factory({
        data: {
          argocd: {
            username: 'admin',
            password: 'password',
            instances,
            // Defaults unless overridden, to compare strategies.
            ...(process.env.BENCH_SHARED_LIST
              ? { sharedList: process.env.BENCH_SHARED_LIST !== 'false' }
              : {}),
            ...(process.env.BENCH_WATCH === 'false'
              ? { watch: { enabled: false } }
              : {}),
            ...(process.env.BENCH_PREFETCH
              ? {
                  prefetch: { enabled: process.env.BENCH_PREFETCH !== 'false' },
                }
              : {}),
          },
        },
      }),
      ...common,
    ],
  });
  // Our watches list and open their streams at start; wait for them.
  const started = Date.now();
  while (
    process.env.BENCH_WATCH !== 'false' &&
    (fake.openWatchStreams() < instances.length ||
      (fake.stats().byRoute['GET applicationsets'] ?? 0) < instances.length)
  ) {
    if (Date.now() - started > 60_000) {
      throw new Error('our backend did not start watching within 60 s');
    }
    await new Promise(r => setTimeout(r, 20));
  }
  await new Promise(r => setTimeout(r, 200 + LATENCY_MS)); // the ApplicationSets' answers
  const watchStartup = fake.stats().byRoute;

  const roadie = await startTestBackend({
    features: [
      roadiePlugin,
      mockServices.rootConfig.factory({
        data: {
          argocd: {
            username: 'admin',
            password: 'password',
            appLocatorMethods: [{ type: 'config', instances }],
          },
        },
      }),
      ...common,
    ],
  });

  if (SCENARIO !== 'live')
    await pagesScenario(fake, ours.server, roadie.server);
  if (SCENARIO !== 'pages') {
    const base = (server: Server) =>
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await runLiveScenario({
      fake,
      loads: PAGE_LOADS,
      components,
      ours: c => ourPage(base(ours.server), c),
      oursShows: async change => {
        const apps = await getJson(
          base(ours.server),
          `/api/epicshelter-argocd/entities/component/default/${change.component}/applications`,
        );
        return JSON.stringify(
          (apps.items ?? []).find((a: any) => a.name === change.name) ?? {},
        ).includes(change.marker);
      },
      roadie: c => roadiePage(base(roadie.server), c),
      recorder,
      watchStartup,
    });
  }
  await ours.stop();
  await roadie.stop();
  await fake.stop();
}

/** The entity-page scenario: page loads only, both backends, side by side. */
async function pagesScenario(fake: FakeArgoCd, ours: Server, roadie: Server) {
  const results = [
    await run('epicshelter argocd-backend', fake, ours, ourPage),
    await run('roadie argo-cd-backend 4.8.0', fake, roadie, roadiePage),
  ];
  const [o, r] = results;
  const rows = [
    ['backend', 'upstream requests', 'upstream bytes', 'p50 ms', 'p95 ms'],
    ...results.map(x => [
      x.name,
      formatNumber(x.requests),
      formatNumber(x.bytes),
      formatNumber(x.p50),
      formatNumber(x.p95),
    ]),
    [
      'ours / roadie',
      (o.requests / r.requests).toFixed(4),
      (o.bytes / r.bytes).toFixed(4),
      (o.p50 / r.p50).toFixed(3),
      (o.p95 / r.p95).toFixed(3),
    ],
  ];
  process.stdout.write(
    `\nArgo CD benchmark: ${fake.instanceNames.length} instances × ${APPS_PER_INSTANCE} apps, ${LATENCY_MS} ms upstream latency, ` +
      `${PAGE_LOADS} entity-page loads (overview card + Argo CD tab with history) over ${DISTINCT_ENTITIES} components, sequential; ours with ${OUR_SETTINGS} and its watch (started before the run).\n` +
      "Both backends run for real against the same fake Argo CD; Roadie's frontend request pattern is reproduced (see script header).\n\n",
  );
  process.stdout.write(`${formatTable(rows)}\n`);
  const firstVisits = results
    .map(
      x =>
        `${x.name} p50 ${formatNumber(x.firstP50)} ms, p95 ${formatNumber(
          x.firstP95,
        )} ms`,
    )
    .join('; ');
  process.stdout.write(
    `\nFirst visit of each component (${Math.min(
      PAGE_LOADS,
      components.length,
    )} loads): ${firstVisits}\n`,
  );
  process.stdout.write('\nUpstream requests by Argo CD operation:\n');
  for (const x of results) {
    process.stdout.write(
      `  ${x.name}: ${Object.entries(x.byRoute)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}\n`,
    );
  }
  process.stdout.write(
    `\nTargets: requests ≤ 1/20 of Roadie's (${
      o.requests * 20 <= r.requests ? 'met' : 'NOT met'
    }), ` +
      `p95 ≤ 1/5 of Roadie's (${o.p95 * 5 <= r.p95 ? 'met' : 'NOT met'}).\n`,
  );
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
