import request from 'supertest';
import type { JsonObject } from '@backstage/types';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  CROSSPLANE_RESOURCE_EVENT_TOPIC,
  CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import { crossplanePlugin } from './plugin';
import { entities } from './__fixtures__/entities';
import { kubernetesConfig } from './__fixtures__/kubernetesConfig';

/*
 * Live updates through the plugin's routes: the watched index serves page
 * loads without Kubernetes requests, and each change is published on the
 * events service and signalled to browsers.
 */

const TOKEN = 'live-token';
const MR = 'dev-orders-db-hk2x9';

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
) {
  const deadline = Date.now() + 8000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}

describe('crossplane backend, live', () => {
  let fake: FakeKubernetesServer;
  const signals = { publish: jest.fn(async () => undefined) };
  const events = mockServices.events.mock();

  beforeEach(async () => {
    fake = await startFakeKubernetes({
      objects: demoObjects('dev'),
      token: TOKEN,
    });
    jest.clearAllMocks();
    signals.publish.mockImplementation(async () => undefined);
  });
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    await fake.close();
  });

  async function start(crossplane: JsonObject = {}) {
    const backend = await startTestBackend({
      features: [
        crossplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: kubernetesConfig(fake.url, TOKEN),
            crossplane,
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        events.factory,
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => signals,
        }),
      ],
    });
    stop = () => backend.stop();
    const tree = async (kind: string, name: string) => {
      const res = await request(backend.server).get(
        `/api/epicshelter-crossplane/entity/${kind}/default/${name}/resources`,
      );
      expect(res.status).toBe(200);
      return (res.body as CrossplaneResourcesResponse).clusters[0];
    };
    return { backend, tree };
  }

  /** Requests other than the index's watches. */
  const reads = () => fake.requests.filter(r => !r.query.watch);

  it('serves warm page loads from the watched index without any Kubernetes request, and ends the watches at shutdown', async () => {
    const { backend, tree } = await start({ cacheTtlSeconds: 0 });
    const cold = await tree('resource', 'dev');
    expect(cold.error).toBeUndefined();
    expect(cold.requestCount).toBeGreaterThan(0);
    // the index watches what the first tree found, then trees ask nothing
    await waitUntil(
      async () => (await tree('resource', 'dev')).requestCount === 0,
      'a tree built from the index alone',
    );
    fake.requests.length = 0;
    for (const [kind, name] of [
      ['resource', 'dev'],
      ['component', 'orders-api'],
      ['component', 'storefront'],
      ['resource', 'dev'],
    ]) {
      const warm = await tree(kind, name);
      expect(warm.error).toBeUndefined();
      expect(warm.requestCount).toBe(0);
    }
    expect(reads()).toEqual([]);
    const warm = await tree('resource', 'dev');
    expect(warm.nodes.map(n => n.id).sort()).toEqual(
      cold.nodes.map(n => n.id).sort(),
    );

    expect(fake.openWatches()).toBeGreaterThan(0);
    await backend.stop();
    stop = undefined;
    await waitUntil(() => fake.openWatches() === 0, 'the watches to end');
  });

  it('watches, from startup, the kinds the XRs compose and the providers: the first tree lists none of them', async () => {
    const { tree } = await start({ cacheTtlSeconds: 0 });
    const watched = (path: string) =>
      fake.requests.some(r => r.path === path && r.query.watch);
    await waitUntil(
      () =>
        watched('/apis/rds.aws.m.upbound.io/v1beta1/instances') &&
        watched('/apis/pkg.crossplane.io/v1/providerrevisions'),
      'the composed kinds to be watched',
    );
    await new Promise(r => setTimeout(r, 300));
    fake.requests.length = 0;
    const first = await tree('resource', 'dev');
    expect(first.error).toBeUndefined();
    // no list of a composed kind, no package list: only what the
    // ProviderConfigs need (read once, then watched)
    expect(reads().filter(r => r.query.labelSelector)).toEqual([]);
    expect(reads().filter(r => r.path.includes('pkg.crossplane.io'))).toEqual(
      [],
    );
  });

  it('publishes each change as an event and a signal without object data, and the next page load shows it', async () => {
    const { tree } = await start(); // tree cache on (15 s)
    const before = await tree('component', 'orders-api');
    expect(before.nodes.find(n => n.name === MR)?.ready).toBe('False');
    await waitUntil(
      async () => (await tree('component', 'orders-api')).requestCount === 0,
      'a tree built from the index alone',
    );
    signals.publish.mockClear();

    const mr = fake.objects.find(o => o.metadata.name === MR)!;
    fake.apply({
      ...mr,
      spec: {
        ...(mr as any).spec,
        forProvider: { masterPassword: 'hunter2' },
      },
      metadata: {
        ...mr.metadata,
        annotations: { 'example.com/secret': 'hunter2' },
      },
      status: {
        conditions: [
          { type: 'Ready', status: 'True', reason: 'Available' },
          {
            type: 'Synced',
            status: 'False',
            reason: 'ReconcileError',
            message: 'quota',
          },
        ],
      },
    });
    await waitUntil(
      () => events.publish.mock.calls.length > 0,
      'the change on the events service',
    );
    expect(events.publish).toHaveBeenCalledWith({
      topic: CROSSPLANE_RESOURCE_EVENT_TOPIC,
      eventPayload: {
        type: 'MODIFIED',
        cluster: 'sandbox',
        apiVersion: mr.apiVersion,
        kind: 'Instance',
        namespace: 'dev',
        name: MR,
        labels: mr.metadata.labels,
        ready: 'True',
        synced: 'False',
        reason: 'ReconcileError',
        message: 'quota',
      },
    });
    await waitUntil(() => signals.publish.mock.calls.length > 0, 'the signal');
    const [[signal]] = signals.publish.mock.calls as unknown as [[any]];
    expect(signal).toEqual({
      recipients: { type: 'broadcast' },
      channel: CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
      message: { cluster: 'sandbox', revision: expect.any(Number) },
    });
    expect(JSON.stringify(events.publish.mock.calls)).not.toContain('hunter2');
    expect(JSON.stringify(signals.publish.mock.calls)).not.toContain('hunter2');

    // the cached tree was built before the change: it is not served
    const after = await tree('component', 'orders-api');
    expect(after.nodes.find(n => n.name === MR)?.ready).toBe('True');
    expect(after.requestCount).toBe(0);
  });

  it('signals each cluster at most once a second however many objects change', async () => {
    const { tree } = await start();
    await tree('resource', 'dev');
    await waitUntil(
      async () => (await tree('resource', 'dev')).requestCount === 0,
      'a tree built from the index alone',
    );
    const times: number[] = [];
    signals.publish.mockImplementation(async () => {
      times.push(Date.now());
    });
    events.publish.mockClear();
    const managed = fake.objects.filter(o =>
      o.metadata.labels?.['crossplane.io/composite']?.startsWith('dev-'),
    );
    for (const o of managed.slice(0, 5)) {
      fake.apply({
        ...o,
        metadata: {
          ...o.metadata,
          labels: { ...o.metadata.labels, touched: 'yes' },
        },
      });
    }
    await waitUntil(
      () => events.publish.mock.calls.length >= 5,
      'five change events',
    );
    const changedAt = Date.now();
    await waitUntil(
      () => times.some(t => t >= changedAt - 50),
      'a signal of the changes',
    );
    await new Promise(r => setTimeout(r, 1200));
    // one signal, or two a second apart: never one per change
    const burst = times.filter(t => t >= changedAt - 1000);
    expect(burst.length).toBeGreaterThanOrEqual(1);
    expect(burst.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < times.length; i++) {
      expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(990);
    }
  });

  it.each([
    ['crossplane.watch.enabled', { watch: { enabled: false } }],
    ['the older crossplane.watchComposites', { watchComposites: false }],
  ])(
    'with %s false, watches nothing and signals nothing; trees read the API',
    async (_key, off) => {
      const { tree } = await start({ ...off, cacheTtlSeconds: 0 });
      await tree('resource', 'dev');
      const second = await tree('resource', 'dev');
      expect(second.requestCount).toBeGreaterThan(0);
      expect(fake.requests.some(r => r.query.watch)).toBe(false);
      expect(signals.publish).not.toHaveBeenCalled();
      expect(events.publish).not.toHaveBeenCalled();
    },
  );
});
