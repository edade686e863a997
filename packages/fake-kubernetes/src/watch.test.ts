import http from 'node:http';
import { demoObjects } from './demo';
import { FakeKubernetesServer, startFakeKubernetes } from './server';

const DATABASES = '/apis/platform.epicshelter.io/v1alpha1/databases';

/** Opens a watch and collects its events until the server ends it or `stop` is called. */
function watch(fake: FakeKubernetesServer, query: string) {
  const events: any[] = [];
  let status = 0;
  let req: http.ClientRequest;
  const ended = new Promise<void>((resolve, reject) => {
    req = http.get(`${fake.url}${DATABASES}?watch=1&${query}`, res => {
      status = res.statusCode ?? 0;
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        events.push(...lines.filter(Boolean).map(l => JSON.parse(l)));
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('error', e =>
      (e as any).code === 'ECONNRESET' ? resolve() : reject(e),
    );
  });
  return {
    events,
    status: () => status,
    ended,
    stop: () => req.destroy(),
  };
}

async function until(check: () => boolean) {
  const deadline = Date.now() + 3000;
  while (!check() && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 10));
  }
  expect(check()).toBe(true);
}

describe('startFakeKubernetes watches', () => {
  let fake: FakeKubernetesServer;
  beforeEach(async () => {
    fake = await startFakeKubernetes({ objects: demoObjects('dev') });
  });
  afterEach(() => fake.close());

  const orders = () =>
    fake.objects.find(o => o.metadata.name === 'dev-orders-db')!;

  it('starts with ADDED per matching object, then streams changes with increasing versions', async () => {
    const w = watch(
      fake,
      `labelSelector=${encodeURIComponent('epicshelter.io/environment=dev')}`,
    );
    await until(() => w.events.length >= 1);
    expect(w.status()).toBe(200);
    const initial = w.events.map(e => `${e.type} ${e.object.metadata.name}`);
    expect(initial.every(e => e.startsWith('ADDED '))).toBe(true);
    expect(initial).toContain('ADDED dev-orders-db');
    expect(fake.openWatches()).toBe(1);

    fake.apply({ ...orders(), status: { conditions: [] } });
    // a change outside the selector is not sent to this watch
    fake.apply({
      ...orders(),
      metadata: { ...orders().metadata, name: 'other', labels: {} },
    });
    expect(
      fake.remove(orders().apiVersion, 'Database', 'dev-orders-db', 'dev'),
    ).toBe(true);
    await until(() => w.events.length === initial.length + 2);
    const changes = w.events.slice(initial.length);
    expect(changes.map(e => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(changes[0].object).toMatchObject({
      apiVersion: 'platform.epicshelter.io/v1alpha1',
      kind: 'Database',
      metadata: { name: 'dev-orders-db', resourceVersion: '2' },
    });
    expect(changes[1].object.metadata.resourceVersion).toBe('4');
    w.stop();
    await w.ended;
    await until(() => fake.openWatches() === 0);
  });

  it('replays changes after a resourceVersion, bookmarks at timeoutSeconds, and answers 410 once compacted', async () => {
    fake.apply({ ...orders(), status: { conditions: [] } }); // version 2
    fake.apply({ ...orders(), spec: {} }); // version 3
    const replay = watch(
      fake,
      'resourceVersion=2&timeoutSeconds=1&allowWatchBookmarks=true',
    );
    await replay.ended;
    expect(replay.events.map(e => e.type)).toEqual(['MODIFIED', 'BOOKMARK']);
    expect(replay.events[0].object.metadata.resourceVersion).toBe('3');
    expect(replay.events[1].object).toEqual({
      kind: 'Database',
      apiVersion: 'platform.epicshelter.io/v1alpha1',
      metadata: { resourceVersion: '3' },
    });

    fake.compact();
    const gone = watch(fake, 'resourceVersion=2');
    await gone.ended;
    expect(gone.events).toEqual([
      expect.objectContaining({
        type: 'ERROR',
        object: expect.objectContaining({ code: 410, reason: 'Expired' }),
      }),
    ]);
    // lists carry the store's current version to resume from
    const list = await fetch(`${fake.url}${DATABASES}`).then(r => r.json());
    expect(list.metadata.resourceVersion).toBe('3');
  });

  it('dropWatches cuts open watches', async () => {
    const w = watch(fake, '');
    await until(() => fake.openWatches() === 1);
    fake.dropWatches();
    await w.ended;
    expect(fake.openWatches()).toBe(0);
  });

  it('answers a watch at once, before any event, as the API server does', async () => {
    const list = await fetch(`${fake.url}${DATABASES}`).then(r => r.json());
    // nothing changed since the list: no event to send
    const w = watch(fake, `resourceVersion=${list.metadata.resourceVersion}`);
    await until(() => w.status() === 200);
    expect(w.events).toEqual([]);
    w.stop();
  });
});

describe('startFakeKubernetes control routes', () => {
  let fake: FakeKubernetesServer;
  afterEach(() => fake.close());

  it('applies a PUT /fake/objects object (watches see it) and cuts watches on POST /fake/drop-watches', async () => {
    fake = await startFakeKubernetes({
      objects: demoObjects('dev'),
      control: true,
    });
    const w = watch(fake, '');
    await until(() => w.events.length > 0);
    const db = fake.objects.find(o => o.metadata.name === 'dev-orders-db')!;
    const res = await fetch(`${fake.url}/fake/objects`, {
      method: 'PUT',
      body: JSON.stringify({ ...db, status: { conditions: [] } }),
    });
    expect(res.status).toBe(200);
    await until(() => w.events.some(e => e.type === 'MODIFIED'));
    const bad = await fetch(`${fake.url}/fake/objects`, {
      method: 'PUT',
      body: '{"kind":"Database"}',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/needs apiVersion, kind/);
    await fetch(`${fake.url}/fake/drop-watches`, { method: 'POST' });
    await w.ended;
    expect(fake.openWatches()).toBe(0);
  });

  it('serves no control route unless asked to', async () => {
    fake = await startFakeKubernetes({ objects: [] });
    const res = await fetch(`${fake.url}/fake/objects`, {
      method: 'PUT',
      body: '{}',
    });
    expect(res.status).toBe(405);
  });
});
