/*
 * Benchmark: build the Crossplane tree of an environment with 5 XRs and 50
 * managed resources of 8 kinds, served by the fake Kubernetes API over
 * loopback, with our per-kind walk vs a GET-per-reference walk (the approach
 * of the existing crossplane-resources plugin). Prints Kubernetes API
 * requests and p95 time for both and the ratio.
 *
 *   yarn bench:crossplane            (from the repository root)
 */
import { performance } from 'node:perf_hooks';
import {
  KubeObject,
  PLATFORM_GROUP,
  blueprintPlatformObjects,
  epicshelterLabels,
  event,
  managed,
  managedCrd,
  refOf,
  startFakeKubernetes,
  v2Composite,
} from '@epicshelter/fake-kubernetes';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { CrossplaneTreeBuilder } from '../src/services/CrossplaneTreeBuilder';
import { KubernetesApiClient } from '../src/services/KubernetesApiClient';

export const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
export const NS = 'bench';
export const ENV = 'bench';

export const MR_KINDS = [
  ['rds.aws.m.upbound.io', 'Instance', 'instances'],
  ['rds.aws.m.upbound.io', 'SubnetGroup', 'subnetgroups'],
  ['ec2.aws.m.upbound.io', 'SecurityGroup', 'securitygroups'],
  ['ec2.aws.m.upbound.io', 'SecurityGroupRule', 'securitygrouprules'],
  ['s3.aws.m.upbound.io', 'Bucket', 'buckets'],
  ['s3.aws.m.upbound.io', 'BucketPolicy', 'bucketpolicies'],
  ['elasticache.aws.m.upbound.io', 'ReplicationGroup', 'replicationgroups'],
  ['eks.aws.m.upbound.io', 'NodeGroup', 'nodegroups'],
] as const;

/** The seeded environment: 5 XRs (4 kinds) composing 50 MRs of 8 kinds. */
export function environment(): KubeObject[] {
  const objects: KubeObject[] = [
    // the v2 (namespaced) half of the platform blueprint: XRDs and Compositions
    ...blueprintPlatformObjects().filter(
      o =>
        o.apiVersion === 'apiextensions.crossplane.io/v2' ||
        (o.kind === 'Composition' && !o.metadata.name.startsWith('legacy-')),
    ),
    ...MR_KINDS.map(([g, k, p]) => managedCrd(g, k, p, true)),
  ];
  const xrs = [
    ['Database', 'orders-db'],
    ['Database', 'billing-db'],
    ['Bucket', 'assets'],
    ['Cache', 'sessions'],
    ['KubernetesCluster', 'apps'],
  ];
  let mrIndex = 0;
  xrs.forEach(([kind, name]) => {
    const mrs: KubeObject[] = [];
    for (let i = 0; i < 10; i++) {
      const [g, k] = MR_KINDS[mrIndex++ % MR_KINDS.length];
      const mr = managed({
        apiVersion: `${g}/v1beta1`,
        kind: k,
        name: `${name}-${k.toLowerCase()}-${i}`,
        namespace: NS,
        composite: name,
        externalName: `${name}-${i}`,
      });
      mrs.push(mr);
      objects.push(
        mr,
        event(
          mr,
          { type: 'Normal', reason: 'CreatedExternalResource', message: 'ok' },
          mrIndex,
        ),
      );
    }
    objects.push(
      v2Composite({
        apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
        kind,
        name,
        namespace: NS,
        labels: epicshelterLabels(ENV, name),
        composition: `${
          kind === 'KubernetesCluster'
            ? 'kubernetes-cluster'
            : kind.toLowerCase()
        }-aws`,
        resourceRefs: mrs.map(refOf),
      }),
    );
  });
  return objects;
}

function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

/** Figures of one run, for harnesses that compare further walks. */
export interface CrossplaneBenchSummary {
  iterations: number;
  nodes: number;
  ours: {
    treeRequests: number;
    requests: number;
    treeP95: number;
    p95: number;
  };
  perReference: {
    treeRequests: number;
    requests: number;
    treeP95: number;
    p95: number;
  };
}

/** Runs the benchmark, prints its table and returns the warm figures. */
export async function runCrossplaneBench(): Promise<CrossplaneBenchSummary> {
  const objects = environment();
  const fake = await startFakeKubernetes({ objects });
  const cluster: ClusterDetails = {
    name: 'bench',
    url: fake.url,
    authMetadata: {},
  };
  const client = () =>
    new KubernetesApiClient(cluster, { type: 'anonymous' }, 10000);
  const mapCache = () => {
    const m = new Map<string, unknown>();
    return {
      get: async <T>(k: string) => m.get(k) as T | undefined,
      set: async (k: string, v: unknown) => {
        m.set(k, v);
      },
    };
  };
  const selector = `epicshelter.io/environment=${ENV}`;

  // ours: `cold` = empty cache (the XRD list is paid by the tree), `first`
  // = the first tree after startup (the plugin's background task has put the
  // XRD list in the shared cache), `warm` = a later tree (same requests as
  // `first`; the tree cache of the service is not used here)
  const run = async (warm: ReturnType<typeof mapCache> | undefined) => {
    const c = client();
    const t0 = performance.now();
    const tree = await new CrossplaneTreeBuilder(
      'bench',
      c,
      warm ?? mapCache(),
      false,
    ).build(selector);
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const namespaces = new Set(tree.nodes.map(n => n.namespace ?? 'default'));
    await Promise.all(
      [...namespaces].map(ns => c.get(`/api/v1/namespaces/${ns}/events`)),
    );
    return {
      tree,
      ms,
      eventsMs: performance.now() - t1,
      requests: c.requestCount,
      treeRequests: tree.requestCount,
    };
  };

  // GET-per-reference: GET each XR, then GET each referenced object, and
  // GET events per object (fieldSelector on the involved object's name).
  const perReference = async () => {
    const c = client();
    const t0 = performance.now();
    const xrNames = objects.filter(
      o => o.metadata.labels?.['epicshelter.io/environment'] === ENV,
    );
    let nodes = 0;
    let treeRequests = 0;
    const visited: { kind: string; name: string }[] = [];
    await Promise.all(
      xrNames.map(async x => {
        const plural = `${x.kind.toLowerCase()}s`;
        const res = await c.get(
          `/apis/${PLATFORM_GROUP}/v1alpha1/namespaces/${NS}/${
            plural === 'kubernetesclusters' ? plural : plural
          }/${x.metadata.name}`,
        );
        nodes++;
        visited.push({ kind: x.kind, name: x.metadata.name });
        for (const ref of res.body.spec.crossplane.resourceRefs) {
          const [g, v] = ref.apiVersion.split('/');
          const p = MR_KINDS.find(([, k]) => k === ref.kind)![2];
          await c.get(`/apis/${g}/${v}/namespaces/${NS}/${p}/${ref.name}`);
          visited.push({ kind: ref.kind, name: ref.name });
          nodes++;
        }
      }),
    );
    treeRequests = c.requestCount;
    const ms = performance.now() - t0;
    const t1 = performance.now();
    await Promise.all(
      visited.map(v =>
        c.get(`/api/v1/namespaces/${NS}/events`, {
          fieldSelector: `involvedObject.kind=${v.kind},involvedObject.name=${v.name}`,
        }),
      ),
    );
    return {
      nodes,
      ms,
      eventsMs: performance.now() - t1,
      requests: c.requestCount,
      treeRequests,
    };
  };

  // warm-up (JIT), not measured
  await run(undefined);
  await perReference();

  const cold: Awaited<ReturnType<typeof run>>[] = [];
  const first: Awaited<ReturnType<typeof run>>[] = [];
  const warm: Awaited<ReturnType<typeof run>>[] = [];
  const base: Awaited<ReturnType<typeof perReference>>[] = [];
  let refreshRequests = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    cold.push(await run(undefined));
    // what the background task does at startup: list the XRDs into the cache
    const shared = mapCache();
    const c = client();
    await new CrossplaneTreeBuilder(
      'bench',
      c,
      shared,
      false,
    ).refreshCompositeKinds();
    refreshRequests = c.requestCount;
    first.push(await run(shared));
    warm.push(await run(shared));
    base.push(await perReference());
  }
  await fake.close();

  const mrCount = cold[0].tree.nodes.filter(n => n.role === 'managed').length;
  const xrCount = cold[0].tree.nodes.filter(n => n.role === 'composite').length;
  const kinds = new Set(
    cold[0].tree.nodes.filter(n => n.role === 'managed').map(n => n.kind),
  ).size;
  const row = (
    label: string,
    treeReq: number,
    totalReq: number,
    ms: number[],
    evMs: number[],
  ) =>
    `${label.padEnd(34)} ${String(treeReq).padStart(10)} ${String(
      totalReq,
    ).padStart(14)} ${p95(ms).toFixed(1).padStart(12)} ${p95(
      ms.map((m, i) => m + evMs[i]),
    )
      .toFixed(1)
      .padStart(16)}`;
  const out = [
    `Crossplane tree benchmark: ${xrCount} XRs, ${mrCount} managed resources of ${kinds} kinds, ${ITERATIONS} iterations, fake Kubernetes API on loopback`,
    '',
    `${'walk'.padEnd(34)} ${'tree req'.padStart(10)} ${'+events req'.padStart(
      14,
    )} ${'tree p95 ms'.padStart(12)} ${'+events p95 ms'.padStart(16)}`,
    row(
      'ours, cold cache (XRDs listed)',
      cold[0].treeRequests,
      cold[0].requests,
      cold.map(r => r.ms),
      cold.map(r => r.eventsMs),
    ),
    row(
      'ours, first tree after startup',
      first[0].treeRequests,
      first[0].requests,
      first.map(r => r.ms),
      first.map(r => r.eventsMs),
    ),
    row(
      'ours, warm',
      warm[0].treeRequests,
      warm[0].requests,
      warm.map(r => r.ms),
      warm.map(r => r.eventsMs),
    ),
    row(
      'GET per reference',
      base[0].treeRequests,
      base[0].requests,
      base.map(r => r.ms),
      base.map(r => r.eventsMs),
    ),
    '',
    `"first tree after startup": the plugin's background task lists the XRDs (${refreshRequests} request per cluster`,
    'every discoveryCacheTtlSeconds/2) into the cache shared by all entities, so no tree pays for it.',
    '',
    `request ratio ours/GET-per-reference (tree): cold ${(
      cold[0].treeRequests / base[0].treeRequests
    ).toFixed(3)}, first/warm ${(
      first[0].treeRequests / base[0].treeRequests
    ).toFixed(3)}  (target <= 0.2)`,
    `request ratio ours/GET-per-reference (tree + events): cold ${(
      cold[0].requests / base[0].requests
    ).toFixed(3)}, first/warm ${(first[0].requests / base[0].requests).toFixed(
      3,
    )}`,
    `p95 ratio ours/GET-per-reference (tree): cold ${(
      p95(cold.map(r => r.ms)) / p95(base.map(r => r.ms))
    ).toFixed(2)}, first ${(
      p95(first.map(r => r.ms)) / p95(base.map(r => r.ms))
    ).toFixed(2)}, warm ${(
      p95(warm.map(r => r.ms)) / p95(base.map(r => r.ms))
    ).toFixed(2)}`,
    `requests = O(kinds): 4 XR kinds + ${kinds} MR kinds (+1 XRD list when the cache is cold); target <= 12: first ${
      first[0].treeRequests <= 12 ? 'met' : 'NOT met'
    }, warm ${warm[0].treeRequests <= 12 ? 'met' : 'NOT met'}, cold ${
      cold[0].treeRequests <= 12 ? 'met' : 'NOT met'
    }`,
    '',
    `Why the tree ratio cannot reach 0.2 here: the tree holds ${xrCount} roots of 4 XR kinds and ${mrCount} objects`,
    `of ${kinds} MR kinds. The Kubernetes API lists one resource type per request (label selectors cannot span`,
    'types), so any walk that finds the roots by label and returns all objects needs >= 4 + 8 = 12 requests;',
    `the GET-per-reference walk needs ${
      base[0].treeRequests
    } (it is given the XR names): 12/${base[0].treeRequests} = ${(
      12 / base[0].treeRequests
    ).toFixed(3)} is the floor, and ours is at it.`,
    'Every one of the 12 types holds objects the tree must show, so none can be skipped; knowing the roots',
    'from Git would not help either (5 GETs > 4 lists). Only sharing lists across trees amortises further.',
    '',
    'TeraSky @terasky/backstage-plugin-crossplane-resources-backend runs for real in packages/crossplane-bench',
    '(yarn bench:crossplane prints its table after this one); "GET per reference" above is the same access',
    'pattern without the Backstage proxy hop (one GET per referenced object, events per object).',
    'With the legacy (v1) XRDs of the blueprint installed as well, each tree costs 8 more root lists',
    "(4 legacy XR kinds + 4 claim kinds); a claim's XR then comes with the legacy XR root list (Crossplane",
    'copies the claim labels to its XR), and nested composed resources of any depth come with one list per',
    'kind (Crossplane labels them with the top-level XR name), so nesting adds no per-level requests.',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return {
    iterations: ITERATIONS,
    nodes: cold[0].tree.nodes.length,
    ours: {
      treeRequests: warm[0].treeRequests,
      requests: warm[0].requests,
      treeP95: p95(warm.map(r => r.ms)),
      p95: p95(warm.map(r => r.ms + r.eventsMs)),
    },
    perReference: {
      treeRequests: base[0].treeRequests,
      requests: base[0].requests,
      treeP95: p95(base.map(r => r.ms)),
      p95: p95(base.map(r => r.ms + r.eventsMs)),
    },
  };
}

if (require.main === module) {
  runCrossplaneBench().catch(e => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}
