import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import request from 'supertest';
import { argocdPlugin } from './plugin';

const OWNER = 'user:default/owner';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders-api',
      namespace: 'default',
      annotations: {
        'argocd/app-selector': 'app.kubernetes.io/name=orders-api',
      },
    },
    spec: { type: 'service', owner: OWNER, lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'storefront',
      namespace: 'default',
      annotations: {
        'argocd/app-name': 'storefront-dev',
        'argocd/instance-name': 'local',
      },
    },
    spec: { type: 'website', owner: OWNER, lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'dev', namespace: 'default' },
    spec: { type: 'environment', owner: OWNER },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'plain', namespace: 'default' },
    spec: { type: 'service', owner: OWNER, lifecycle: 'production' },
  },
];

/**
 * Permission decisions as the portal policy makes them: anyone reads, only
 * the entity's owner (here: one user) may act. Conditional decisions are
 * resolved by authorize(), so the plugin only ever sees ALLOW or DENY.
 */
const permissionsMock: Partial<PermissionsService> = {
  authorize: jest.fn(async (requests, { credentials }) =>
    requests.map(r => {
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      if (
        isResourcePermission(r.permission, 'catalog-entity') &&
        r.permission.attributes.action === 'update'
      ) {
        return {
          result: user === OWNER ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }
      return { result: AuthorizeResult.ALLOW };
    }),
  ) as PermissionsService['authorize'],
};

describe('argocd backend', () => {
  let fake: FakeArgoCd;
  const auditEvents: Array<{
    eventId: string;
    meta?: unknown;
    outcome?: string;
  }> = [];
  const responses: request.Response[] = [];

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: ['local', 'cloud'],
      staticTokens: ['static-secret-token'],
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.resetStats());

  async function start(argocd: Record<string, unknown> = {}) {
    const { server } = await startTestBackend({
      features: [
        argocdPlugin,
        mockServices.rootConfig.factory({
          data: {
            argocd: {
              username: 'admin',
              password: 'password',
              instances: [
                { name: 'local', url: fake.url('local'), sandbox: true },
                {
                  name: 'cloud',
                  url: fake.url('cloud'),
                  externalUrl: 'https://argocd.cloud.example.com',
                  timeoutMs: 300,
                },
              ],
              // Background work would outlive a test and show up in the next
              // one's request counts; tests that prefetch enable it.
              prefetch: { enabled: false },
              // These tests count the requests of the watchless path (live.test.ts has the watch's).
              watch: { enabled: false },
              ...argocd,
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.mock(permissionsMock).factory,
        mockServices.auditor.mock({
          createEvent: jest.fn(async opts => {
            const record: {
              eventId: string;
              meta?: unknown;
              outcome?: string;
            } = {
              eventId: opts.eventId,
              meta: opts.meta,
            };
            auditEvents.push(record);
            // As the real auditor: success/fail add their meta to the event's.
            return {
              success: async (params?: { meta?: object }) => {
                record.outcome = 'success';
                record.meta = { ...opts.meta, ...params?.meta };
              },
              fail: async (params: { meta?: object }) => {
                record.outcome = 'fail';
                record.meta = { ...opts.meta, ...params?.meta };
              },
            };
          }),
        }).factory,
      ],
    });
    const agent = {
      get: async (path: string, user?: string) => {
        const req = request(server).get(`/api/epicshelter-argocd${path}`);
        if (user) req.set('authorization', mockCredentials.user.header(user));
        const res = await req;
        responses.push(res);
        return res;
      },
      send: async (
        method: 'post' | 'delete',
        path: string,
        body: object,
        user?: string,
      ) => {
        const req = request(server)[method](`/api/epicshelter-argocd${path}`);
        if (user) req.set('authorization', mockCredentials.user.header(user));
        const res = await req.send(body);
        responses.push(res);
        return res;
      },
    };
    return agent;
  }

  const ORDERS = '/entities/component/default/orders-api';
  /** Upstream requests to a route or below it (`applications` is not `applicationsets`). */
  const upstream = (route: string) =>
    fake.requests.filter(r => {
      const call = `${r.method} ${r.path}`;
      return call === route || call.startsWith(`${route}/`);
    });

  it('lists an entity applications across instances with fields= and one session per instance', async () => {
    const api = await start({ listCacheTtlSeconds: 0 });
    const res = await api.get(`${ORDERS}/applications`);
    expect(res.status).toBe(200);
    expect(
      res.body.items
        .map((a: any) => `${a.instance}/${a.name}/${a.environment}`)
        .sort(),
    ).toEqual(['cloud/orders-api-staging/staging', 'local/orders-api-dev/dev']);
    expect(res.body.instances.map((i: any) => [i.name, i.status])).toEqual([
      ['local', 'ok'],
      ['cloud', 'ok'],
    ]);
    expect(res.body.sandbox).toBe(true);
    expect(res.body.canAct).toBe(false);
    const cloudApp = res.body.items.find((a: any) => a.instance === 'cloud');
    expect(cloudApp.argoCdUrl).toBe(
      'https://argocd.cloud.example.com/applications/argocd/orders-api-staging',
    );
    expect(cloudApp.commitUrl).toMatch(
      /^https:\/\/github.com\/epicshelter\/gitops\/commit\/[0-9a-f]{40}$/,
    );

    const lists = upstream('GET /api/v1/applications');
    expect(lists).toHaveLength(2);
    for (const l of lists) {
      expect(l.query.fields?.[0]).toContain('items.status.sync.status');
      expect(l.query.selector).toEqual(['app.kubernetes.io/name=orders-api']);
    }
    // Token reuse: further calls do not log in again.
    await api.get(`${ORDERS}/applications`);
    await api.get('/entities/resource/default/dev/applications', OWNER);
    expect(upstream('POST /api/v1/session')).toHaveLength(2);
    expect(upstream('GET /api/v1/applications')).toHaveLength(6);
  });

  it('caches lists briefly in the shared cache', async () => {
    const api = await start();
    await api.get(`${ORDERS}/applications`);
    await api.get(`${ORDERS}/applications`);
    expect(upstream('GET /api/v1/applications')).toHaveLength(2);
  });

  it('serves several entities from one shared upstream list per instance', async () => {
    const api = await start();
    const orders = await api.get(`${ORDERS}/applications`);
    const storefront = await api.get(
      '/entities/component/default/storefront/applications',
    );
    const dev = await api.get('/entities/resource/default/dev/applications');
    expect(orders.body.items.map((a: any) => a.name).sort()).toEqual([
      'orders-api-dev',
      'orders-api-staging',
    ]);
    expect(storefront.body.items.map((a: any) => a.name)).toEqual([
      'storefront-dev',
    ]);
    expect(dev.body.items.map((a: any) => a.name).sort()).toEqual([
      'dev-infrastructure',
      'dev-workloads',
      'orders-api-dev',
      'storefront-dev',
    ]);
    // History and ownership checks read the same list.
    const history = await api.get(
      '/entities/component/default/storefront/instances/local/applications/storefront-dev/history',
    );
    expect(history.status).toBe(200);
    const lists = fake.requests.filter(r => r.path === '/api/v1/applications');
    expect(lists.map(l => l.instance).sort()).toEqual(['cloud', 'local']);
    expect(lists.every(l => !l.query.selector && !l.query.name)).toBe(true);
  });

  it('prefetches commit metadata from the list route; the history view joins it (one call per commit)', async () => {
    const api = await start({ prefetch: { enabled: true, concurrency: 2 } });
    const listed = await api.get(`${ORDERS}/applications`);
    const histories = await Promise.all(
      listed.body.items.map((a: any) =>
        api.get(
          `${ORDERS}/instances/${a.instance}/applications/${a.name}/history`,
        ),
      ),
    );
    const shas = new Set(
      histories.flatMap(h => h.body.items.map((e: any) => e.revision)),
    );
    expect(histories.every(h => h.body.items.every((e: any) => e.author))).toBe(
      true,
    );
    // Whatever the timing, prefetch and history share each commit's lookup.
    expect(
      fake.requests.filter(r => r.path.includes('/revisions/')),
    ).toHaveLength(shas.size);
  });

  it('logs in again after a 401 (revoked session)', async () => {
    const api = await start({ listCacheTtlSeconds: 0 });
    expect((await api.get(`${ORDERS}/applications`)).status).toBe(200);
    fake.revokeSessions();
    const res = await api.get(`${ORDERS}/applications`);
    expect(res.body.instances.every((i: any) => i.status === 'ok')).toBe(true);
    expect(upstream('POST /api/v1/session')).toHaveLength(4);
    expect(fake.requests.filter(r => r.status === 401)).toHaveLength(2);
  });

  it('renews a session before its JWT exp instead of waiting for a 401', async () => {
    const shortLived = await startFakeArgoCd({
      instances: ['local'],
      tokenTtlSeconds: 30,
    });
    try {
      const api = await start({
        listCacheTtlSeconds: 0,
        instances: [{ name: 'local', url: shortLived.url('local') }],
      });
      await api.get(`${ORDERS}/applications`);
      await api.get(`${ORDERS}/applications`);
      // exp is within the 30 s renewal margin: each call logs in first, none is refused.
      expect(
        shortLived.requests.filter(r => r.path === '/api/v1/session'),
      ).toHaveLength(2);
      expect(shortLived.requests.filter(r => r.status === 401)).toHaveLength(0);
    } finally {
      await shortLived.stop();
    }
  });

  it('uses static tokens as given', async () => {
    const api = await start({
      listCacheTtlSeconds: 0,
      username: undefined,
      password: undefined,
      instances: [
        { name: 'local', url: fake.url('local'), token: 'static-secret-token' },
      ],
    });
    const res = await api.get(`${ORDERS}/applications`);
    expect(res.body.items).toHaveLength(1);
    expect(upstream('POST /api/v1/session')).toHaveLength(0);
  });

  it('coalesces identical concurrent upstream requests', async () => {
    const api = await start({ listCacheTtlSeconds: 0 });
    await api.get(`${ORDERS}/applications`); // sessions exist
    fake.resetStats();
    fake.setLatency(150); // below the cloud timeout (300 ms), long enough to overlap
    try {
      const all = await Promise.all(
        Array.from({ length: 5 }, () => api.get(`${ORDERS}/applications`)),
      );
      expect(
        all.every(r => r.status === 200 && r.body.items.length === 2),
      ).toBe(true);
    } finally {
      fake.setLatency(0);
    }
    expect(upstream('GET /api/v1/applications')).toHaveLength(2);
  });

  it('returns the other instances when one is down, with a per-instance error', async () => {
    const api = await start({ listCacheTtlSeconds: 0 });
    fake.setInstanceMode('cloud', 'down');
    try {
      const res = await api.get(`${ORDERS}/applications`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: any) => a.name)).toEqual([
        'orders-api-dev',
      ]);
      const cloud = res.body.instances.find((i: any) => i.name === 'cloud');
      expect(cloud.status).toBe('error');
      expect(cloud.error.message).toContain('Argo CD instance "cloud"');
    } finally {
      fake.setInstanceMode('cloud', 'up');
    }
  });

  it('times out a hanging instance and still answers', async () => {
    const api = await start({ listCacheTtlSeconds: 0 });
    fake.setInstanceMode('cloud', 'hang');
    try {
      const res = await api.get(`${ORDERS}/applications`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: any) => a.name)).toEqual([
        'orders-api-dev',
      ]);
      expect(
        res.body.instances.find((i: any) => i.name === 'cloud').error.message,
      ).toBe('Argo CD instance "cloud" did not answer within 300 ms');
    } finally {
      fake.setInstanceMode('cloud', 'up');
    }
  });

  it('serves history with commit metadata cached by SHA', async () => {
    const api = await start();
    const path = `${ORDERS}/instances/local/applications/orders-api-dev/history`;
    const first = await api.get(path);
    expect(first.status).toBe(200);
    const entries = first.body.items;
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries[0].author).toMatch(/@epicshelter.io>$/);
    expect(entries[0].message).toBeTruthy();
    expect(entries[0].commitUrl).toContain('/commit/');
    expect(entries[0].deployedAt >= entries[1].deployedAt).toBe(true);
    const metadataCalls = upstream(
      'GET /api/v1/applications/orders-api-dev/revisions',
    ).length;
    const uniqueShas = new Set(entries.map((e: any) => e.revision)).size;
    expect(metadataCalls).toBe(uniqueShas);
    // History reads use a projection, never the full object.
    expect(
      upstream('GET /api/v1/applications').some(r =>
        r.query.fields?.[0].includes('items.status.history'),
      ),
    ).toBe(true);

    fake.resetStats();
    const second = await api.get(path);
    expect(second.body.items).toEqual(entries);
    expect(
      upstream('GET /api/v1/applications/orders-api-dev/revisions'),
    ).toHaveLength(0);
  });

  it('serves detail, resource tree with sync status, and the ApplicationSet', async () => {
    const api = await start();
    const detail = await api.get(
      `${ORDERS}/instances/local/applications/orders-api-dev`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.application.metadata.name).toBe('orders-api-dev');
    expect(detail.body.applicationSet).toEqual({
      name: 'orders-api',
      applications: ['orders-api-dev'],
      conditions: [expect.objectContaining({ type: 'ResourcesUpToDate' })],
    });
    const tree = await api.get(
      `${ORDERS}/instances/local/applications/orders-api-dev/resource-tree`,
    );
    expect(tree.body.tree.nodes.map((n: any) => n.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'ReplicaSet', 'Pod', 'Service']),
    );
    expect(tree.body.syncStatus['apps/Deployment/dev/orders-api']).toBe(
      'Synced',
    );
  });

  it("refuses applications that are not the entity's, unknown instances and bad input", async () => {
    const api = await start();
    expect(
      (await api.get(`${ORDERS}/instances/local/applications/dev-workloads`))
        .status,
    ).toBe(404);
    const unknown = await api.get(
      `${ORDERS}/instances/nowhere/applications/orders-api-dev`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain(
      'No Argo CD instance named "nowhere"',
    );
    const plain = await api.get(
      '/entities/component/default/plain/applications',
    );
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toContain('argocd/app-selector');
    expect(
      (await api.get('/entities/component/default/missing/applications'))
        .status,
    ).toBe(404);
    const bad = await api.send(
      'post',
      `${ORDERS}/instances/local/applications/orders-api-dev/sync`,
      { revision: 'a b' },
      OWNER,
    );
    expect(bad.status).toBe(400);
  });

  it('allows sync only to owners (403 otherwise) and audits every attempt', async () => {
    const api = await start();
    auditEvents.length = 0;
    const path = `${ORDERS}/instances/local/applications/orders-api-dev/sync`;
    const denied = await api.send(
      'post',
      path,
      { prune: true },
      'user:default/someone-else',
    );
    expect(denied.status).toBe(403);
    expect(upstream('POST /api/v1/applications')).toHaveLength(0);

    const listed = await api.get(`${ORDERS}/applications`, OWNER);
    expect(listed.body.canAct).toBe(true);

    const allowed = await api.send(
      'post',
      path,
      { prune: true, dryRun: true },
      OWNER,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body.summary.operationPhase).toBe('Running');
    const app = fake
      .applications('local')
      .find(a => a.metadata?.name === 'orders-api-dev');
    expect(app?.operation?.sync).toMatchObject({ prune: true, dryRun: true });

    const again = await api.send('post', path, {}, OWNER);
    expect(again.status).toBe(409);

    const term = await api.send(
      'delete',
      `${ORDERS}/instances/local/applications/orders-api-dev/operation`,
      {},
      OWNER,
    );
    expect(term.status).toBe(200);
    const refresh = await api.send(
      'post',
      `${ORDERS}/instances/local/applications/orders-api-dev/refresh`,
      { type: 'hard' },
      OWNER,
    );
    expect(refresh.status).toBe(200);
    expect(
      upstream('GET /api/v1/applications/orders-api-dev').some(
        r => r.query.refresh?.[0] === 'hard',
      ),
    ).toBe(true);

    expect(
      auditEvents.map(e => [
        e.eventId,
        (e.meta as any).action,
        (e.meta as any).application,
        (e.meta as any).instance,
        e.outcome,
      ]),
    ).toEqual([
      ['application-action', 'sync', 'orders-api-dev', 'local', 'fail'],
      ['application-action', 'sync', 'orders-api-dev', 'local', 'success'],
      ['application-action', 'sync', 'orders-api-dev', 'local', 'fail'],
      ['application-action', 'terminate', 'orders-api-dev', 'local', 'success'],
      ['application-action', 'refresh', 'orders-api-dev', 'local', 'success'],
    ]);
    expect(auditEvents[1].meta).toMatchObject({
      entityRef: 'component:default/orders-api',
      prune: true,
      dryRun: true,
    });
  });

  it('never sends an Argo CD token to the browser', () => {
    expect(responses.length).toBeGreaterThan(20);
    const secrets = [...fake.issuedTokens, 'static-secret-token'];
    expect(fake.issuedTokens.length).toBeGreaterThan(0);
    for (const res of responses) {
      const everything = JSON.stringify(res.headers) + res.text;
      for (const secret of secrets) {
        expect(everything).not.toContain(secret);
      }
    }
  });
});
