import {
  FakeArgoCd,
  REAL_WORLD_INSTANCE,
  REAL_WORLD_REVISIONS,
  realWorldArgoCdInstance,
  startFakeArgoCd,
} from '@epicshelter/fake-argocd';
import {
  fakeApplication,
  recordedApplication,
} from './__testUtils__/applications';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

const {
  values: SHA_VALUES,
  manifests: SHA_MANIFESTS,
  valuesOld: SHA_VALUES_OLD,
  manifestsOld: SHA_MANIFESTS_OLD,
} = REAL_WORLD_REVISIONS;

/**
 * Issue #12, "Argo CD view": what the backend tells the page about
 * real-world applications: the fake's `states` scenario (the failed
 * multi-source application `checkout` in namespace team-a and its
 * ApplicationSet in error, as the browser test reads them), the recorded
 * application of Argo CD's own test data and one without a name.
 */
describe('Argo CD views of real-world applications', () => {
  let fake: FakeArgoCd;
  const nameless = fakeApplication('nameless', {
    namespace: 'team-a',
    labels: { 'app.kubernetes.io/name': 'checkout' },
  });
  delete nameless.metadata!.name;

  beforeAll(async () => {
    const platform = realWorldArgoCdInstance();
    fake = await startFakeArgoCd({
      instances: [
        {
          ...platform,
          applications: [
            ...platform.applications!,
            recordedApplication(),
            nameless,
          ],
        },
      ],
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.resetStats());

  const entities = [
    component('checkout', {
      'argocd/app-selector': 'app.kubernetes.io/name=checkout',
    }),
    component('velero', {
      'argocd/app-name': 'velero-test',
      'argocd/app-namespace': 'argo-cd',
    }),
  ];
  const CHECKOUT = '/entities/component/default/checkout';
  const APP = `${CHECKOUT}/instances/${REAL_WORLD_INSTANCE}/applications/checkout`;

  it('lists every source with its own revision, the failed operation, the last successful sync and the ApplicationSet conditions; never an application without a name', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const res = await api.get(`${CHECKOUT}/applications`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const [checkout] = res.body.items;
    expect(checkout.namespace).toBe('team-a');
    expect(checkout.sourceRevisions).toEqual([
      {
        index: 0,
        source: expect.objectContaining({
          chart: 'nginx',
          repoURL: 'https://charts.bitnami.com/bitnami',
        }),
        revision: '18.1.0',
      },
      {
        index: 1,
        source: expect.objectContaining({
          ref: 'values',
          repoURL: 'https://github.com/acme/checkout-config.git',
        }),
        revision: SHA_VALUES,
        commitUrl: `https://github.com/acme/checkout-config/commit/${SHA_VALUES}`,
      },
      {
        index: 2,
        source: expect.objectContaining({
          path: 'overlays/prod',
          repoURL: 'https://github.com/acme/checkout-manifests.git',
        }),
        revision: SHA_MANIFESTS,
        commitUrl: `https://github.com/acme/checkout-manifests/commit/${SHA_MANIFESTS}`,
      },
    ]);
    expect(checkout.operation).toEqual({
      phase: 'Failed',
      message: expect.stringContaining('failed to apply'),
      startedAt: '2026-12-02T08:00:00Z',
      finishedAt: '2026-12-02T08:00:52Z',
      initiatedBy: 'grace',
    });
    // The failed attempt is not the last sync: the last successful one is.
    expect(checkout.lastSyncedAt).toBe('2026-12-01T09:00:37Z');
    expect(
      checkout.applicationSetConditions.map((c: any) => [c.type, c.status]),
    ).toEqual([
      ['ErrorOccurred', 'True'],
      ['ParametersGenerated', 'True'],
      ['ResourcesUpToDate', 'False'],
      ['RolloutProgressing', 'False'],
    ]);
    expect(checkout.applicationSetConditions[0].message).toContain(
      'map has no entry for key',
    );
    // The nameless application is neither listed nor addressable.
    expect(JSON.stringify(res.body)).not.toContain('apps/nameless');
  });

  /** Upstream calls listing or reading ApplicationSets. */
  const applicationSetCalls = () =>
    fake.requests.filter(r => r.path.startsWith('/api/v1/applicationsets'));

  it('reads ApplicationSets with the shared list refresh: a page served from the cache never lists them', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    // the history view refreshes the instance's shared list, and its
    // ApplicationSets with it
    await api.get(`${APP}/history`);
    expect(applicationSetCalls()).toHaveLength(1);
    fake.resetStats();
    const res = await api.get(`${CHECKOUT}/applications`);
    expect(res.body.items[0].applicationSetConditions[0]).toMatchObject({
      type: 'ErrorOccurred',
      status: 'True',
    });
    expect(fake.requests).toEqual([]);
  });

  it('reads ApplicationSets with the refresh of lists Argo CD filters, once per instance', async () => {
    const api = await startArgoCdBackend({
      fake,
      entities,
      argocd: { sharedList: false },
    });
    await api.get(`${CHECKOUT}/applications`);
    await api.get('/entities/component/default/velero/applications');
    expect(applicationSetCalls()).toHaveLength(1);
    fake.resetStats();
    const res = await api.get(`${CHECKOUT}/applications`);
    expect(res.body.items[0].applicationSetConditions).toHaveLength(4);
    expect(fake.requests).toEqual([]);
  });

  it('shows history rows with every source’s revision and each Git commit’s metadata (by sourceIndex)', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const res = await api.get(`${APP}/history`);
    expect(res.status).toBe(200);
    expect(
      res.body.items.map((e: any) => [
        e.id,
        e.sources.map((s: any) => [
          s.index,
          s.revision,
          s.author ? 'meta' : s.metadataError,
        ]),
      ]),
    ).toEqual([
      [
        12,
        [
          [0, '18.1.0', undefined],
          [1, SHA_VALUES, 'meta'],
          [2, SHA_MANIFESTS_OLD, 'meta'],
        ],
      ],
      [
        11,
        [
          [0, '18.0.2', undefined],
          [1, SHA_VALUES_OLD, 'meta'],
          [2, SHA_MANIFESTS_OLD, 'meta'],
        ],
      ],
    ]);
    // The entry's own revision is its first Git source's.
    expect(res.body.items[0].commitUrl).toBe(
      `https://github.com/acme/checkout-config/commit/${SHA_VALUES}`,
    );
    const lookups = fake.requests
      .filter(r => r.path.includes('/revisions/'))
      .map(
        r =>
          `${r.path.split('/')[6]}@${r.query.sourceIndex}/${
            r.query.appNamespace
          }`,
      )
      .sort();
    // One lookup per distinct commit and source (the old manifests commit is in both rows).
    expect(lookups).toEqual(
      [
        `${SHA_VALUES}@1/team-a`,
        `${SHA_VALUES_OLD}@1/team-a`,
        `${SHA_MANIFESTS_OLD}@2/team-a`,
      ].sort(),
    );
    // Each commit's own metadata, from its own repository.
    expect(res.body.items[0].sources[2]).toMatchObject({
      author: 'Linus Torvalds <linus@acme.example>',
      message: 'overlays/prod: checkout 2.14.0',
      tags: ['v2.14.0'],
    });
  });

  it('caches history and resource tree views like lists, until an action', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    await api.get(`${APP}/history`);
    await api.get(`${APP}/resource-tree`);
    fake.resetStats();
    expect((await api.get(`${APP}/history`)).status).toBe(200);
    expect((await api.get(`${APP}/resource-tree`)).status).toBe(200);
    expect(fake.requests).toEqual([]);
    expect((await api.post(`${APP}/refresh`).send({})).status).toBe(200);
    fake.resetStats();
    await api.get(`${APP}/resource-tree`);
    expect(fake.requests.map(r => r.path)).toContain(
      '/api/v1/applications/checkout/resource-tree',
    );
  });

  it('serves the recorded application of a non-default namespace with its namespace', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const list = await api.get(
      '/entities/component/default/velero/applications',
    );
    expect(list.body.items.map((a: any) => [a.name, a.namespace])).toEqual([
      ['velero-test', 'argo-cd'],
    ]);
    expect(list.body.items[0].argoCdUrl).toMatch(
      /\/applications\/argo-cd\/velero-test$/,
    );
    const detail = await api.get(
      `/entities/component/default/velero/instances/${REAL_WORLD_INSTANCE}/applications/velero-test`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.application.metadata.namespace).toBe('argo-cd');
    const history = await api.get(
      `/entities/component/default/velero/instances/${REAL_WORLD_INSTANCE}/applications/velero-test/history`,
    );
    expect(history.body.items[0].sources[0].source.path).toBe('instances/test');
  });
});
