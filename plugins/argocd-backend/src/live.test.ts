import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import {
  ARGOCD_APPLICATIONS_SIGNAL_CHANNEL,
  ARGOCD_APPLICATION_EVENT_TOPIC,
} from '@epicshelter/plugin-argocd-common';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';
import { liveCapture, waitUntil } from './__testUtils__/liveCapture';

const entities = [
  component('orders-api', {
    'argocd/app-selector': 'app.kubernetes.io/name=orders-api',
  }),
];
const PAGE = '/entities/component/default/orders-api';
const DETAIL = `${PAGE}/instances/local/applications/orders-api-dev`;

describe('the Argo CD watch (live pages)', () => {
  let fake: FakeArgoCd;
  let capture: ReturnType<typeof liveCapture>;

  beforeEach(async () => {
    fake = await startFakeArgoCd({ instances: ['local', 'cloud'] });
    capture = liveCapture();
  });
  afterEach(() => fake.stop());

  /** Starts the plugin with the watch on; resolves once both instances are watched. */
  async function start(argocd: Record<string, unknown> = {}) {
    const api = await startArgoCdBackend({
      fake,
      entities,
      features: capture.features,
      argocd: {
        watch: { enabled: true, retryMinMs: 50, signalDebounceMs: 200 },
        ...argocd,
      },
    });
    await waitUntil(
      'both watches listed with their ApplicationSets',
      () =>
        fake.openWatchStreams() === 2 &&
        (fake.stats().byRoute['GET applicationsets'] ?? 0) >= 2,
    );
    await new Promise(r => setTimeout(r, 50));
    return api;
  }

  const upstream = () =>
    fake.requests.map(r => `${r.instance} ${r.method} ${r.path}`);
  const health = async (api: Awaited<ReturnType<typeof start>>) => {
    const res = await api.get(`${PAGE}/applications`).expect(200);
    return Object.fromEntries(
      res.body.items.map((i: any) => [
        `${i.instance}/${i.name}`,
        i.healthStatus,
      ]),
    );
  };
  const degrade = (name: string, message: string) =>
    fake.updateApplication('local', name, app => {
      app.status!.health = { status: 'Degraded', message };
    });

  it('serves page loads from the watched view: after a change, the list, detail and history show it without asking Argo CD', async () => {
    // Without list caching, every page load would ask Argo CD.
    const api = await start({ listCacheTtlSeconds: 0 });
    await api.get(`${DETAIL}/history`).expect(200); // commit metadata, once
    fake.resetStats();

    degrade('orders-api-dev', 'crash loop');
    await waitUntil('the change to be signalled', () =>
      capture.signalled.some(s => (s.message as any).instance === 'local'),
    );
    expect((await health(api))['local/orders-api-dev']).toBe('Degraded');
    const detail = await api.get(DETAIL).expect(200);
    expect(detail.body.summary.healthStatus).toBe('Degraded');
    expect(detail.body.summary.healthMessage).toBe('crash loop');
    await api.get(`${DETAIL}/history`).expect(200);
    expect(upstream()).toEqual([]);
  });

  it('falls back to asking Argo CD while the watch is broken, and serves from the watch again once it is back', async () => {
    const api = await start({ listCacheTtlSeconds: 0 });
    fake.setInstanceMode('local', 'down'); // also cuts its stream
    await waitUntil(
      'the local watch to be down',
      () => fake.openWatchStreams('local') === 0,
    );
    const down = await api.get(`${PAGE}/applications`).expect(200);
    expect(
      down.body.instances.map((i: any) => `${i.name}:${i.status}`),
    ).toEqual(['local:error', 'cloud:ok']);

    fake.setInstanceMode('local', 'up');
    await waitUntil(
      'the local watch to be back',
      () => fake.openWatchStreams('local') === 1,
    );
    await new Promise(r => setTimeout(r, 100));
    fake.resetStats();
    const back = await api.get(`${PAGE}/applications`).expect(200);
    expect(back.body.instances.map((i: any) => i.status)).toEqual(['ok', 'ok']);
    expect(upstream()).toEqual([]);
  });

  it('resumes after a broken stream from the last resourceVersion, and closes the gap with one list', async () => {
    const api = await start();
    const before = Number(
      fake
        .applications('local')
        .find(a => a.metadata?.name === 'orders-api-dev')?.metadata
        ?.resourceVersion,
    );
    fake.resetStats();
    expect(fake.breakWatchStreams('local')).toBe(1);
    // Changed while no stream is open: Argo CD will not replay it.
    degrade('orders-api-dev', 'changed during the gap');
    await waitUntil(
      'the local watch to reconnect',
      () => fake.openWatchStreams('local') === 1,
    );
    await waitUntil(
      'the gap to be closed',
      async () => (await health(api))['local/orders-api-dev'] === 'Degraded',
    );
    const resumed = fake.requests.find(
      r => r.path === '/api/v1/stream/applications',
    );
    expect(Number(resumed?.query.resourceVersion?.[0])).toBeGreaterThanOrEqual(
      before,
    );
    expect(
      fake.requests.filter(r => r.path === '/api/v1/applications'),
    ).toHaveLength(1);

    // Later changes arrive on the resumed stream.
    degrade('storefront-dev', 'after the resume');
    await waitUntil('the change on the resumed stream', () =>
      capture.published.some(
        e => (e.eventPayload as any).name === 'storefront-dev',
      ),
    );
  });

  it('re-lists after the stream ends with an error: an application deleted meanwhile is gone, and its deletion published', async () => {
    const api = await start();
    fake.breakWatchStreams('local', 'watch ended: etcd compacted');
    fake.deleteApplication('local', 'orders-api-dev');
    await waitUntil('the deletion to be published', () =>
      capture.published.some(
        e =>
          (e.eventPayload as any).type === 'DELETED' &&
          (e.eventPayload as any).name === 'orders-api-dev',
      ),
    );
    expect(Object.keys(await health(api))).toEqual([
      'cloud/orders-api-staging',
    ]);
  });

  it('publishes each change on the events service, and a debounced signal without object data', async () => {
    await start();
    capture.signalled.length = 0;
    for (let i = 0; i < 5; i++) degrade('orders-api-dev', `flapping ${i}`);
    degrade('dev-workloads', 'broken');
    await waitUntil('the events', () => capture.published.length === 6);
    expect(capture.published[0]).toEqual({
      topic: ARGOCD_APPLICATION_EVENT_TOPIC,
      eventPayload: {
        type: 'MODIFIED',
        instance: 'local',
        namespace: 'argocd',
        name: 'orders-api-dev',
        labels: expect.objectContaining({
          'app.kubernetes.io/name': 'orders-api',
        }),
        syncStatus: expect.any(String),
        healthStatus: 'Degraded',
        operationPhase: 'Succeeded',
      },
    });
    await waitUntil('the signal', () => capture.signalled.length > 0);
    await new Promise(r => setTimeout(r, 400));
    // Six changes within the debounce time: one signal, maybe a second one.
    expect(capture.signalled.length).toBeLessThanOrEqual(2);
    for (const signal of capture.signalled) {
      expect(signal.channel).toBe(ARGOCD_APPLICATIONS_SIGNAL_CHANNEL);
      expect(signal.recipients).toEqual({ type: 'broadcast' });
      expect(Object.keys(signal.message).sort()).toEqual([
        'instance',
        'revision',
      ]);
      expect(JSON.stringify(signal)).not.toMatch(
        /orders-api|Degraded|password/,
      );
    }
    const last = capture.signalled.at(-1)!.message as any;
    expect(last.instance).toBe('local');
  });

  it('stops its watches when the backend shuts down', async () => {
    const api = await start();
    await api.stop();
    await waitUntil(
      'the streams to close',
      () => fake.openWatchStreams() === 0,
    );
    fake.resetStats();
    await new Promise(r => setTimeout(r, 300)); // longer than retryMinMs
    expect(upstream()).toEqual([]);
  });

  it('does not watch when argocd.watch.enabled is false', async () => {
    await startArgoCdBackend({
      fake,
      entities,
      features: capture.features,
      argocd: { watch: { enabled: false } },
    });
    await new Promise(r => setTimeout(r, 200));
    expect(fake.openWatchStreams()).toBe(0);
    expect(upstream()).toEqual([]);
  });
});
