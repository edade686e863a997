import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { fakeApplication } from './__testUtils__/applications';
import {
  SHA_CONFIG,
  SHA_CONFIG_OLD,
  SHA_MANIFESTS,
  SHA_MANIFESTS_OLD,
  failedMultiSourceApplication,
  failingApplicationSet,
  recordedApplication,
} from './__testUtils__/realShapes';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

/** Issue #12, "Argo CD view": what the backend tells the page about real-world applications. */
describe('Argo CD views of real-world applications', () => {
  let fake: FakeArgoCd;
  const nameless = fakeApplication('nameless', {
    namespace: 'team-a',
    labels: { 'app.kubernetes.io/name': 'shop' },
  });
  delete nameless.metadata!.name;

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: [
        {
          name: 'one',
          applications: [
            failedMultiSourceApplication(),
            recordedApplication(),
            nameless,
          ],
          applicationSets: [failingApplicationSet()],
        },
      ],
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.resetStats());

  const entities = [
    component('shop', { 'argocd/app-selector': 'app.kubernetes.io/name=shop' }),
    component('velero', {
      'argocd/app-name': 'velero-test',
      'argocd/app-namespace': 'argo-cd',
    }),
  ];
  const SHOP = '/entities/component/default/shop';
  const APP = `${SHOP}/instances/one/applications/shop`;

  it('lists every source with its own revision, the failed operation, the last successful sync and the ApplicationSet conditions; never an application without a name', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const res = await api.get(`${SHOP}/applications`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const [shop] = res.body.items;
    expect(shop.namespace).toBe('team-a');
    expect(shop.sourceRevisions).toEqual([
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
          repoURL: 'https://github.com/acme/shop-config.git',
        }),
        revision: SHA_CONFIG,
        commitUrl: `https://github.com/acme/shop-config/commit/${SHA_CONFIG}`,
      },
      {
        index: 2,
        source: expect.objectContaining({
          path: 'overlays/prod',
          repoURL: 'https://github.com/acme/shop-manifests.git',
        }),
        revision: SHA_MANIFESTS,
        commitUrl: `https://github.com/acme/shop-manifests/commit/${SHA_MANIFESTS}`,
      },
    ]);
    expect(shop.operation).toEqual({
      phase: 'Failed',
      message: expect.stringContaining('failed to apply'),
      startedAt: '2026-12-02T08:00:00Z',
      finishedAt: '2026-12-02T08:00:52Z',
      initiatedBy: 'grace',
    });
    // The failed attempt is not the last sync: the last successful one is.
    expect(shop.lastSyncedAt).toBe('2026-12-01T09:00:37Z');
    expect(
      shop.applicationSetConditions.map((c: any) => [c.type, c.status]),
    ).toEqual([
      ['ErrorOccurred', 'True'],
      ['ParametersGenerated', 'True'],
      ['ResourcesUpToDate', 'False'],
      ['RolloutProgressing', 'False'],
    ]);
    expect(shop.applicationSetConditions[0].message).toContain(
      'map has no entry for key',
    );
    // The nameless application is neither listed nor addressable.
    expect(JSON.stringify(res.body)).not.toContain('apps/nameless');
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
        5,
        [
          [0, '18.1.0', undefined],
          [1, SHA_CONFIG, 'meta'],
          [2, SHA_MANIFESTS_OLD, 'meta'],
        ],
      ],
      [
        4,
        [
          [0, '18.0.2', undefined],
          [1, SHA_CONFIG_OLD, 'meta'],
          [2, SHA_MANIFESTS_OLD, 'meta'],
        ],
      ],
    ]);
    // The entry's own revision is its first Git source's.
    expect(res.body.items[0].commitUrl).toBe(
      `https://github.com/acme/shop-config/commit/${SHA_CONFIG}`,
    );
    const lookups = fake.requests
      .filter(r => r.path.includes('/revisions/'))
      .map(
        r =>
          `${r.path.split('/')[6].slice(0, 1)}@${r.query.sourceIndex}/${
            r.query.appNamespace
          }`,
      )
      .sort();
    // One lookup per distinct commit and source (the old manifests commit is in both rows).
    expect(lookups).toEqual(['a@1/team-a', 'c@1/team-a', 'd@2/team-a']);
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
      '/api/v1/applications/shop/resource-tree',
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
      '/entities/component/default/velero/instances/one/applications/velero-test',
    );
    expect(detail.status).toBe(200);
    expect(detail.body.application.metadata.namespace).toBe('argo-cd');
    const history = await api.get(
      '/entities/component/default/velero/instances/one/applications/velero-test/history',
    );
    expect(history.body.items[0].sources[0].source.path).toBe('instances/test');
  });
});
