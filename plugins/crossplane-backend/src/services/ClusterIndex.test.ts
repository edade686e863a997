import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import { CompositeIndex } from './CompositeIndex';
import { DiscoveryCache } from './ClusterDiscovery';
import { CrossplaneTreeBuilder } from './CrossplaneTreeBuilder';
import type { CompositeKind } from './kubeObjects';
import { KubernetesApiClient } from './KubernetesApiClient';

const TOKEN = 'index-token';

function mapCache(): DiscoveryCache {
  const m = new Map<string, unknown>();
  return {
    get: async <T>(k: string) => m.get(k) as T | undefined,
    set: async (k: string, v: unknown) => {
      m.set(k, v);
    },
  };
}

async function waitUntil(check: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('CompositeIndex', () => {
  let fake: FakeKubernetesServer;
  let index: CompositeIndex | undefined;
  let kinds: CompositeKind[];
  const logger = mockServices.logger.mock();

  const cluster = (url: string): ClusterDetails => ({
    name: 'sandbox',
    url,
    authMetadata: {},
  });
  const client = (url = fake.url) =>
    new KubernetesApiClient(
      cluster(url),
      { type: 'bearer token', token: TOKEN },
      2000,
    );
  let connections = 0;
  const startIndex = (
    options: { url?: string; watchTimeoutSeconds?: number } = {},
  ) => {
    connections = 0;
    index = new CompositeIndex({
      clusterName: 'sandbox',
      logger,
      connect: async () => {
        connections++;
        return client(options.url);
      },
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      retryMs: 50,
    });
    index.update(kinds);
    return index;
  };
  const kind = (name: string) => kinds.find(k => k.kind === name)!;
  const names = (k: string) =>
    index!
      .objects(kind(k))
      ?.map(o => o.metadata.name)
      .sort();
  /** Requests for one XR or claim kind (plurals repeat across groups). */
  const requestsFor = (k: string) =>
    fake.requests.filter(
      r =>
        r.path ===
        `/apis/${kind(k).group}/${kind(k).version}/${kind(k).plural}`,
    );
  const served = (k: string) =>
    fake.objects
      .filter(o => o.kind === k && o.apiVersion.startsWith(`${kind(k).group}/`))
      .map(o => o.metadata.name)
      .sort();
  /** Synced, and every kind's watch is open (it follows the list). */
  const watching = () =>
    waitUntil(
      () =>
        index!.synced &&
        kinds.every(k => requestsFor(k.kind).some(r => r.query.watch)),
      'the index to sync and watch',
    );

  beforeEach(async () => {
    fake = await startFakeKubernetes({
      objects: demoObjects('dev'),
      token: TOKEN,
    });
    kinds = await new CrossplaneTreeBuilder(
      'sandbox',
      client(),
      mapCache(),
      false,
    ).refreshCompositeKinds();
    fake.requests.length = 0;
    jest.clearAllMocks();
  });
  afterEach(async () => {
    index?.stop();
    index = undefined;
    await fake.close();
  });

  it('lists and watches every XR and claim kind once, without selectors or Secrets', async () => {
    startIndex();
    await watching();
    expect(names('Database')).toEqual(served('Database'));
    expect(names('Database')).toHaveLength(2);
    expect(index!.objects(kind('Database'))![0].metadata).not.toHaveProperty(
      'managedFields',
    );
    for (const k of kinds) {
      const reqs = requestsFor(k.kind);
      expect(reqs.map(r => r.query.watch ?? 'list')).toEqual(['list', '1']);
    }
    expect(index!.requestCount).toBe(2 * kinds.length);
    expect(fake.requests.some(r => r.query.labelSelector)).toBe(false);
    expect(fake.requests.some(r => r.path.includes('secrets'))).toBe(false);
  });

  it('follows additions, status changes and deletions through the watch', async () => {
    startIndex();
    await watching();
    const db = fake.objects.find(
      o => o.kind === 'Database' && o.metadata.name === 'dev-orders-db',
    )!;
    fake.apply({
      ...db,
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
      },
    });
    fake.apply({
      ...db,
      metadata: { ...db.metadata, name: 'dev-reports-db', uid: undefined },
    });
    expect(
      fake.remove(db.apiVersion, 'Database', 'dev-storefront-db', 'dev'),
    ).toBe(true);
    await waitUntil(
      () => names('Database')?.join() === 'dev-orders-db,dev-reports-db',
      'the watch events',
    );
    expect(served('Database')).toEqual(['dev-orders-db', 'dev-reports-db']);
    const updated = index!
      .objects(kind('Database'))!
      .find(o => o.metadata.name === 'dev-orders-db')!;
    expect(updated.status?.conditions[0].status).toBe('True');
    // no relist: one list per kind, changes came over the open watch
    expect(requestsFor('Database').filter(r => !r.query.watch)).toHaveLength(1);
  });

  it('follows the XRDs: a kind no longer declared stops being watched', async () => {
    startIndex();
    await watching();
    expect(fake.openWatches()).toBe(kinds.length);
    const remaining = kinds.filter(k => k.kind !== 'Cache');
    index!.update(remaining);
    await waitUntil(
      () => fake.openWatches() === remaining.length,
      'the Cache watches to close',
    );
    expect(index!.objects(kind('Cache'))).toBeUndefined();
    expect(index!.objects(kind('Database'))).toBeDefined();
    // updating with the same kinds opens nothing new
    const before = fake.requests.length;
    index!.update(remaining);
    expect(fake.requests.length).toBe(before);
  });

  it('resumes from the last version when the server ends a watch, and relists when that version is gone', async () => {
    startIndex({ watchTimeoutSeconds: 1 });
    await watching();
    const db = fake.objects.find(o => o.metadata.name === 'dev-orders-db')!;
    fake.apply({ ...db, metadata: { ...db.metadata, labels: { a: 'b' } } });
    await waitUntil(
      () => requestsFor('Database').filter(r => r.query.watch).length >= 2,
      'a resumed watch',
    );
    const [first, resumed] = requestsFor('Database').filter(r => r.query.watch);
    expect(first.query.resourceVersion).toBe('1');
    expect(resumed.query.resourceVersion).toBe('2');
    // each list and each watch asks for a client with fresh credentials
    expect(connections).toBeGreaterThanOrEqual(kinds.length * 2 + 1);
    expect(requestsFor('Database').filter(r => !r.query.watch)).toHaveLength(1);

    // a change the Database watch does not see moves the store on; the
    // history is compacted and the connection drops (an API server restart)
    const cache = fake.objects.find(o => o.kind === 'Cache')!;
    fake.apply({ ...cache, metadata: { ...cache.metadata, labels: {} } });
    fake.compact();
    fake.dropWatches();
    await waitUntil(
      () => requestsFor('Database').filter(r => !r.query.watch).length === 2,
      'a relist after 410 Gone',
    );
    await waitUntil(() => index!.synced, 'the index to sync again');
    expect(names('Database')).toEqual(served('Database'));
  });

  it('stays out of sync, says so once, and retries while the cluster is unreachable', async () => {
    const url = fake.url;
    await fake.close();
    fake = await startFakeKubernetes({ objects: [], token: TOKEN });
    startIndex({ url });
    await new Promise(r => setTimeout(r, 300));
    expect(index!.synced).toBe(false);
    expect(index!.objects(kind('Database'))).toBeUndefined();
    const warnings = logger.warn.mock.calls.filter(([m]) =>
      String(m).includes(' Database.platform.epicshelter.io '),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0][0]).toMatch(
      /cannot watch Database\.platform\.epicshelter\.io in cluster sandbox; trees list it themselves/,
    );
    expect(index!.requestCount).toBeGreaterThan(kinds.length);
  });

  it('backs off when RBAC refuses watches: out of sync, one warning per kind, no retry storm', async () => {
    await fake.close();
    fake = await startFakeKubernetes({
      objects: demoObjects('dev'),
      token: TOKEN,
      refuse: ({ query }) => (query.watch ? 403 : undefined),
    });
    startIndex(); // retries after 50, 100, 200, 400 ms, ...
    await new Promise(r => setTimeout(r, 700));
    expect(index!.objects(kind('Database'))).toBeUndefined();
    const watches = requestsFor('Database').filter(r => r.query.watch);
    // a fixed 50 ms retry would have tried ~14 times in 700 ms
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches.length).toBeLessThanOrEqual(5);
    expect(watches.every(r => r.status === 403)).toBe(true);
    const warnings = logger.warn.mock.calls.filter(([m]) =>
      String(m).includes(' Database.platform.epicshelter.io '),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0][0]).toMatch(/HTTP 403/);
    expect(logger.info).not.toHaveBeenCalled();
  });

  it('gives the tree builder the same tree for fewer requests: only composed kinds are listed', async () => {
    const selector = 'epicshelter.io/environment=dev';
    const plain = client();
    const withoutIndex = await new CrossplaneTreeBuilder(
      'sandbox',
      plain,
      mapCache(),
      false,
    ).build(selector);

    startIndex();
    await watching();
    const shared = mapCache();
    await shared.set('xrds:sandbox', kinds);
    fake.requests.length = 0;
    const withIndex = await new CrossplaneTreeBuilder(
      'sandbox',
      client(),
      shared,
      false,
      index,
    ).build(selector);

    const shape = (t: typeof withIndex) => ({
      nodes: t.nodes.map(n => n.id).sort(),
      edges: t.edges.map(e => `${e.from}>${e.to}`).sort(),
      roots: [...t.roots].sort(),
    });
    expect(shape(withIndex)).toEqual(shape(withoutIndex));
    // no XR or claim kind is listed: roots and nested XRs come from the index
    expect(
      fake.requests.filter(r =>
        kinds.some(k => r.path.startsWith(`/apis/${k.group}/${k.version}/`)),
      ),
    ).toEqual([]);
    expect(fake.requests).toHaveLength(withIndex.requestCount);
    // saved: the XRD list (the index build had it cached), one root list
    // per XR and claim kind, and the list of the nested XR kind (Network)
    const nested = withIndex.nodes.filter(
      n =>
        n.role === 'composite' &&
        n.crossplaneVersion === 'v2' &&
        !withIndex.roots.includes(n.id),
    );
    expect(new Set(nested.map(n => n.kind))).toEqual(new Set(['Network']));
    expect(withoutIndex.requestCount - withIndex.requestCount).toBe(
      1 + kinds.length + 1,
    );
  });
});
