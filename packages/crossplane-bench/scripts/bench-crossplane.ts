/*
 * yarn bench:crossplane — the Crossplane tree of one environment (5 XRs of
 * 4 kinds composing 50 managed resources of 8 kinds) built three ways against
 * the fake Kubernetes API, with requests and p95 side by side in one run:
 *  - ours and the GET-per-reference walk: the table of
 *    scripts/walkBench.ts (printed first);
 *  - ours through its own HTTP route (startTestBackend, watched index in
 *    sync, tree cache expired), as the Crossplane tab calls it: tree, then
 *    events;
 *  - TeraSky's @terasky/backstage-plugin-crossplane-resources-backend, running
 *    for real (startTestBackend) with @backstage/plugin-kubernetes-backend,
 *    whose /proxy it uses to reach the cluster. Its frontend shows one XR per
 *    entity: GET /api/crossplane/v2/graph per XR (the backend then GETs the XR
 *    and each referenced object through the proxy), and GET /api/crossplane/events
 *    per resource row. The tree of the environment is the 5 XR graphs, fetched
 *    in parallel; "+events" adds the events of every resource, in parallel.
 *    TeraSky's frontend is not run (no browser here); these are the calls it makes.
 */
import { performance } from 'node:perf_hooks';
import { AddressInfo } from 'node:net';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import teraskyPlugin from '@terasky/backstage-plugin-crossplane-resources-backend';
import epicshelterCrossplanePlugin from '@epicshelter/plugin-crossplane-backend';
import { startFakeKubernetes } from '@epicshelter/fake-kubernetes';
// Ours vs GET per reference (walkBench.ts); this harness runs it and
// compares with TeraSky.
import {
  ENV,
  ITERATIONS,
  NS,
  PROVIDER_ROLES,
  environment,
  runCrossplaneBench,
} from './walkBench';
import { ObjectRef, eventsQuery, p95, v2GraphQuery } from '../src';

const CLUSTER = 'bench';

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`GET ${url} answered ${res.status}: ${text}`);
  }
  return JSON.parse(text);
}

/** The `kubernetes` config of a backend reading the fake. */
function kubernetesConfig(url: string) {
  return {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: CLUSTER,
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'bench',
          },
        ],
      },
    ],
  };
}

/** A sample of one walk through a backend's HTTP routes. */
interface HttpSample {
  nodes: number;
  ms: number;
  eventsMs: number;
  treeRequests: number;
  requests: number;
}

function summary(samples: HttpSample[]) {
  return {
    treeRequests: samples[0].treeRequests,
    requests: samples[0].requests,
    treeP95: p95(samples.map(s => s.ms)),
    p95: p95(samples.map(s => s.ms + s.eventsMs)),
  };
}

/**
 * Our crossplane backend through its own route, as the Crossplane tab calls
 * it for the environment entity (tree, then events), with its watched index
 * in sync; each iteration starts once the previous tree left the cache, so
 * it reads the cluster.
 */
async function oursViaHttp(): Promise<HttpSample[]> {
  const objects = environment();
  const fake = await startFakeKubernetes({ objects });
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: ENV,
      namespace: 'default',
      annotations: { 'epicshelter.io/environment': ENV },
    },
    spec: { type: 'environment', owner: 'group:default/platform' },
  };
  const backend = await startTestBackend({
    features: [
      epicshelterCrossplanePlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.permissions.factory({ result: 'ALLOW' as any }),
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: kubernetesConfig(fake.url),
          // the events call reuses the tree the tab just loaded (cached
          // for a second); every iteration starts after it expired
          crossplane: { cacheTtlSeconds: 1 },
        },
      }),
    ],
  });
  const base = `http://127.0.0.1:${
    (backend.server.address() as AddressInfo).port
  }/api/epicshelter-crossplane/entity/resource/default/${ENV}`;
  // the index lists and watches every XR kind in the background
  const xrds = objects.filter(o => o.kind === 'CompositeResourceDefinition');
  const deadline = Date.now() + 10_000;
  while (fake.openWatches() < xrds.length && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 10));
  }
  if (fake.openWatches() < xrds.length) {
    throw new Error('our backend did not open its watches');
  }
  const run = async (): Promise<HttpSample> => {
    const before = fake.requests.length;
    const t0 = performance.now();
    const tree = await getJson(`${base}/resources`);
    const ms = performance.now() - t0;
    const treeRequests = fake.requests.length - before;
    const t1 = performance.now();
    await getJson(`${base}/events`);
    return {
      nodes: tree.clusters[0].nodes.filter(
        (n: { role: string }) => !PROVIDER_ROLES.has(n.role),
      ).length,
      ms,
      eventsMs: performance.now() - t1,
      treeRequests,
      requests: fake.requests.length - before,
    };
  };
  const expired = () => new Promise(r => setTimeout(r, 1100));
  await run(); // warm-up, not measured
  const samples: HttpSample[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    await expired();
    samples.push(await run());
  }
  await backend.stop();
  await fake.close();
  return samples;
}

async function main() {
  const ours = await runCrossplaneBench();
  const oursHttp = await oursViaHttp();

  const objects = environment();
  const fake = await startFakeKubernetes({ objects });
  const backend = await startTestBackend({
    features: [
      teraskyPlugin,
      kubernetesPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.permissions.factory({ result: 'ALLOW' as any }),
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: { kubernetes: kubernetesConfig(fake.url) },
      }),
    ],
  });
  const base = `http://127.0.0.1:${
    (backend.server.address() as AddressInfo).port
  }/api/crossplane`;
  const plurals = new Map(
    fake.resourceTypes().map(t => [`${t.group}/${t.kind}`, t.plural]),
  );
  const xrs = objects.filter(
    o => o.metadata.labels?.['epicshelter.io/environment'] === ENV,
  ) as ObjectRef[];
  const pluralOf = (o: ObjectRef) => {
    const p = plurals.get(`${o.apiVersion.split('/')[0]}/${o.kind}`);
    if (!p) throw new Error(`fake does not serve ${o.apiVersion} ${o.kind}`);
    return p;
  };

  const run = async (): Promise<HttpSample> => {
    const before = fake.requests.length;
    const t0 = performance.now();
    const graphs = await Promise.all(
      xrs.map(xr =>
        getJson(
          `${base}/v2/graph?${v2GraphQuery(
            CLUSTER,
            xr,
            pluralOf(xr),
            'Namespaced',
          )}`,
        ),
      ),
    );
    const ms = performance.now() - t0;
    const treeRequests = fake.requests.length - before;
    const resources: ObjectRef[] = graphs.flatMap(g => g.resources);
    const t1 = performance.now();
    await Promise.all(
      resources.map(r =>
        getJson(`${base}/events?${eventsQuery(CLUSTER, r, NS)}`),
      ),
    );
    return {
      nodes: resources.length,
      ms,
      eventsMs: performance.now() - t1,
      treeRequests,
      requests: fake.requests.length - before,
    };
  };

  await run(); // warm-up (JIT, proxy and cluster set-up), not measured
  const samples: HttpSample[] = [];
  for (let i = 0; i < ITERATIONS; i++) samples.push(await run());
  await backend.stop();
  await fake.close();

  const t = summary(samples);
  const http = summary(oursHttp);
  for (const [who, nodes] of [
    ["TeraSky's graphs", samples[0].nodes],
    ['our HTTP tree', oursHttp[0].nodes],
  ] as const) {
    if (nodes !== ours.nodes) {
      throw new Error(
        `${who} hold ${nodes} resources, our tree ${ours.nodes}: not the same tree`,
      );
    }
  }
  const rows: [string, typeof t][] = [
    ['ours, builder direct (watched index)', ours.ours],
    ['ours via its HTTP route', http],
    ['GET per reference (direct)', ours.perReference],
    ['TeraSky 1.18.0 via kubernetes proxy', t],
  ];
  const line = (cells: string[]) =>
    `${cells[0].padEnd(36)}${cells
      .slice(1)
      .map((c, i) => c.padStart([10, 14, 13, 16][i]))
      .join('')}`;
  const ratio = (a: number, b: number) => (a / b).toFixed(3);
  const out = [
    '',
    `TeraSky @terasky/backstage-plugin-crossplane-resources-backend in the same harness: ${samples[0].nodes} resources`,
    `(5 x GET /v2/graph, then GET /events per resource), ${ITERATIONS} iterations, fake Kubernetes API on loopback`,
    '',
    line(['walk', 'tree req', '+events req', 'tree p95 ms', '+events p95 ms']),
    ...rows.map(([label, r]) =>
      line([
        label,
        String(r.treeRequests),
        String(r.requests),
        r.treeP95.toFixed(1),
        r.p95.toFixed(1),
      ]),
    ),
    line([
      'ours via HTTP / TeraSky',
      ratio(http.treeRequests, t.treeRequests),
      ratio(http.requests, t.requests),
      ratio(http.treeP95, t.treeP95),
      ratio(http.p95, t.p95),
    ]),
    '',
    `target requests <= 1/5 of TeraSky's (tree): ${
      http.treeRequests * 5 <= t.treeRequests ? 'met' : 'NOT met'
    }. Both HTTP rows are timed the same way: one backend route per call, from`,
    'the request to the parsed JSON answer (ours: 1 tree + 1 events call; TeraSky: 5 graph calls +',
    "1 events call per resource, each of its Kubernetes requests through the kubernetes plugin's proxy).",
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
