import { mockServices } from '@backstage/backend-test-utils';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import { ClusterIndex } from './ClusterIndex';
import { DiscoveryCache } from './ClusterDiscovery';
import { CrossplaneTreeBuilder } from './CrossplaneTreeBuilder';
import type { CompositeKind } from './kubeObjects';
import type { ObjectChange } from './watchEvents';
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

describe('ClusterIndex', () => {
  let fake: FakeKubernetesServer;
  let index: ClusterIndex | undefined;
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
    options: {
      url?: string;
      watchTimeoutSeconds?: number;
      onChange?: (change?: ObjectChange) => void;
    } = {},
  ) => {
    connections = 0;
    index = new ClusterIndex({
      clusterName: 'sandbox',
      logger,
      connect: async () => {
        connections++;
        return client(options.url);
      },
      watchTimeoutSeconds: options.watchTimeoutSeconds,
      onChange: options.onChange,
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
      /cannot watch Database\.platform\.epicshelter\.io in cluster sandbox; trees read it from the API/,
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

  it('resumes a broken watch from the last version it saw, without listing again, and reports the change it missed', async () => {
    const changes: ObjectChange[] = [];
    startIndex({ onChange: c => c && changes.push(c) });
    await watching();
    expect(changes).toEqual([]); // the first list is not a change
    const watchesBefore = requestsFor('Database').filter(r => r.query.watch);
    const lastSeen = fake.objects.reduce(
      (max, o) => Math.max(max, Number(o.metadata.resourceVersion ?? 0)),
      0,
    );
    fake.dropWatches();
    const db = fake.objects.find(o => o.metadata.name === 'dev-orders-db')!;
    fake.apply({
      ...db,
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    });
    await waitUntil(
      () => changes.some(c => c.object.metadata.name === 'dev-orders-db'),
      'the missed change',
    );
    const resumed = requestsFor('Database')
      .filter(r => r.query.watch)
      .slice(watchesBefore.length);
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(Number(resumed[0].query.resourceVersion)).toBe(lastSeen);
    // resumed, not listed again
    expect(requestsFor('Database').filter(r => !r.query.watch)).toHaveLength(1);
    expect(changes).toEqual([
      expect.objectContaining({
        type: 'MODIFIED',
        object: expect.objectContaining({
          status: { conditions: [{ type: 'Ready', status: 'True' }] },
        }),
      }),
    ]);
    await waitUntil(() => index!.synced, 'the index to sync again');
  }, 15_000);

  it('lists again after 410 Gone and reports what changed while it could not watch', async () => {
    const changes: ObjectChange[] = [];
    startIndex({ onChange: c => c && changes.push(c) });
    await watching();
    const generation = index!.generation;
    expect(generation).toBeDefined();
    const db = fake.objects.find(o => o.metadata.name === 'dev-orders-db')!;
    fake.dropWatches();
    fake.remove(db.apiVersion, 'Database', 'dev-storefront-db', 'dev');
    fake.compact();
    await waitUntil(
      () => requestsFor('Database').filter(r => !r.query.watch).length === 2,
      'a relist after 410 Gone',
    );
    await waitUntil(
      () => changes.some(c => c.type === 'DELETED'),
      'the deletion found by the relist',
    );
    expect(changes.filter(c => c.object.kind === 'Database')).toEqual([
      expect.objectContaining({
        type: 'DELETED',
        object: expect.objectContaining({
          metadata: expect.objectContaining({ name: 'dev-storefront-db' }),
        }),
      }),
    ]);
    await waitUntil(() => index!.synced, 'the index to sync again');
    expect(names('Database')).toEqual(served('Database'));
    expect(index!.generation).not.toBe(generation);
  });

  it('gives the tree builder the same tree without XR or claim lists, then, once it watches the kinds the tree found, without any request', async () => {
    const selector = 'epicshelter.io/environment=dev';
    const withoutIndex = await new CrossplaneTreeBuilder(
      'sandbox',
      client(),
      mapCache(),
      false,
    ).build(selector);

    startIndex();
    await watching();
    const shared = mapCache();
    await shared.set('xrds:sandbox', kinds);
    fake.requests.length = 0;
    const build = () =>
      new CrossplaneTreeBuilder(
        'sandbox',
        client(),
        shared,
        false,
        index,
      ).build(selector);
    const first = await build();

    const shape = (t: typeof first) => ({
      nodes: t.nodes.map(n => n.id).sort(),
      edges: t.edges.map(e => `${e.from}>${e.to}`).sort(),
      roots: [...t.roots].sort(),
    });
    expect(shape(first)).toEqual(shape(withoutIndex));
    // no XR or claim kind is listed by the tree: roots and nested XRs
    // come from the index
    expect(
      fake.requests.filter(
        r =>
          !r.query.watch &&
          r.query.labelSelector &&
          kinds.some(k => r.path.startsWith(`/apis/${k.group}/${k.version}/`)),
      ),
    ).toEqual([]);
    expect(first.requestCount).toBeGreaterThan(0);

    // the kinds the tree read (managed resources, ProviderConfigs,
    // packages) are now watched too: the next tree asks nothing
    await waitUntil(
      () => index!.synced && index!.watchedKinds().length > kinds.length,
      'the found kinds to be watched',
    );
    fake.requests.length = 0;
    const second = await build();
    expect(shape(second)).toEqual(shape(withoutIndex));
    expect(second.requestCount).toBe(0);
    expect(fake.requests.filter(r => !r.query.watch)).toEqual([]);
  });
});
