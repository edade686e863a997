import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { fakeApplication } from './__testUtils__/applications';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

/**
 * Issue #12, point 1: every application route serves only the entity's own
 * applications — on its own instance, with its own name and namespace, as
 * its list selects them — and refuses anything else before Argo CD is asked.
 */
describe('application routes serve only the entity’s own applications', () => {
  const shopLabels = { 'app.kubernetes.io/name': 'shop' };
  let fake: FakeArgoCd;

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: [
        {
          name: 'one',
          applications: [
            fakeApplication('shop', {
              namespace: 'team-a',
              labels: shopLabels,
            }),
            fakeApplication('shop', {
              namespace: 'team-b',
              labels: shopLabels,
            }),
            fakeApplication('shop', { namespace: 'argocd' }),
            fakeApplication('billing', { namespace: 'team-a' }),
          ],
        },
        {
          name: 'two',
          applications: [
            fakeApplication('shop', { namespace: 'team-a' }),
            fakeApplication('shop', { namespace: 'argocd' }),
          ],
        },
      ],
    });
  });
  afterAll(() => fake.stop());

  const entities = [
    // Pinned to instance one, application shop in namespace team-a.
    component('pinned', {
      'argocd/app-name': 'shop',
      'argocd/instance-name': 'one',
      'argocd/app-namespace': 'team-a',
    }),
    // Any instance, by label (only one's shop apps carry it).
    component('selected', {
      'argocd/app-selector': 'app.kubernetes.io/name=shop',
    }),
  ];

  const routes = [
    {
      route: 'POST sync',
      method: 'post',
      suffix: '/sync',
      body: { dryRun: true },
    },
    {
      route: 'POST refresh',
      method: 'post',
      suffix: '/refresh',
      body: { type: 'hard' },
    },
    { route: 'DELETE operation', method: 'delete', suffix: '/operation' },
    { route: 'GET application', method: 'get', suffix: '' },
    { route: 'GET resource-tree', method: 'get', suffix: '/resource-tree' },
    { route: 'GET history', method: 'get', suffix: '/history' },
  ] as const;

  const refused: Array<{
    why: string;
    path: string;
    message: string;
    neverAsks?: string;
  }> = [
    {
      why: 'the same name on another instance (entity pinned to one)',
      path: '/entities/component/default/pinned/instances/two/applications/shop?appNamespace=team-a',
      message:
        'Argo CD instance "two" is not component:default/pinned\'s: its argocd/instance-name annotation names "one"',
      neverAsks: 'two',
    },
    {
      why: 'the same name in another namespace',
      path: '/entities/component/default/pinned/instances/one/applications/shop?appNamespace=team-b',
      message:
        'Application "shop" in namespace "team-b" on Argo CD instance "one" is not one of component:default/pinned\'s applications',
    },
    {
      why: 'the same name in the control plane namespace',
      path: '/entities/component/default/pinned/instances/one/applications/shop?appNamespace=argocd',
      message:
        'Application "shop" in namespace "argocd" on Argo CD instance "one" is not one of component:default/pinned\'s applications',
    },
    {
      why: 'another application on the entity’s instance and namespace',
      path: '/entities/component/default/pinned/instances/one/applications/billing?appNamespace=team-a',
      message:
        'Application "billing" in namespace "team-a" on Argo CD instance "one" is not one of component:default/pinned\'s applications',
    },
    {
      why: 'the same name on another instance (entity found by selector)',
      path: '/entities/component/default/selected/instances/two/applications/shop?appNamespace=team-a',
      message:
        'Application "shop" in namespace "team-a" on Argo CD instance "two" is not one of component:default/selected\'s applications',
    },
  ];

  /** Sync needs no running operation, terminate needs one. */
  const prepare = (suffix: string) => {
    const app = fake
      .applications('one')
      .find(
        a => a.metadata?.namespace === 'team-a' && a.metadata.name === 'shop',
      )!;
    if (suffix === '/sync') {
      delete app.operation;
      app.status!.operationState!.phase = 'Succeeded';
    }
    if (suffix === '/operation') {
      app.operation = { sync: { revision: 'HEAD' } };
      app.status!.operationState!.phase = 'Running';
    }
  };

  /** Requests that reached an application of Argo CD (not the list the check reads). */
  const applicationCalls = () =>
    fake.requests.filter(r => r.path.startsWith('/api/v1/applications/'));

  // Both ways of listing: one shared list per instance, or Argo CD's own filtering per entity.
  const modes = [
    { mode: 'shared list', argocd: {} },
    { mode: 'per-entity list', argocd: { sharedList: false } },
  ];
  const cases = modes.flatMap(m => routes.map(r => ({ ...m, ...r })));

  it.each(cases)(
    '$route ($mode)',
    async ({ method, suffix, argocd, ...rest }) => {
      const api = await startArgoCdBackend({ fake, entities, argocd });
      const call = (path: string) => {
        const [p, q] = path.split('?');
        const req = api[method](`${p}${suffix}${q ? `?${q}` : ''}`);
        return 'body' in rest ? req.send(rest.body) : req;
      };

      for (const r of refused) {
        fake.resetStats();
        const res = await call(r.path);
        expect({
          why: r.why,
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          why: r.why,
          status: 404,
          message: r.message,
        });
        expect(applicationCalls()).toEqual([]);
        // The check never asks an instance the entity is not pinned to.
        expect(fake.requests.filter(q => q.instance === r.neverAsks)).toEqual(
          [],
        );
      }

      // The entity's own application: without appNamespace (its annotation's
      // namespace is meant) and with it; Argo CD is asked about exactly that one.
      const own = [
        '/entities/component/default/pinned/instances/one/applications/shop',
        '/entities/component/default/pinned/instances/one/applications/shop?appNamespace=team-a',
      ];
      for (const path of own) {
        prepare(suffix);
        fake.resetStats();
        const res = await call(path);
        expect([path, res.status, res.body.error?.message]).toEqual([
          path,
          200,
          undefined,
        ]);
        const calls = applicationCalls();
        // Argo CD was asked (history reads the cached list; a second detail read is cached).
        const expectsCalls = path === own[0] && suffix !== '/history';
        expect(expectsCalls ? calls.length > 0 : true).toBe(true);
        for (const c of calls) {
          expect([
            c.instance,
            c.path.split('/')[4],
            c.query.appNamespace ?? [
              (c.body as { appNamespace?: string }).appNamespace,
            ],
          ]).toEqual(['one', 'shop', ['team-a']]);
        }
      }
    },
  );
});
