import { CacheService } from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ArgoCdApplication,
  ArgoCdLocator,
} from '@epicshelter/plugin-argocd-common';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { ArgoCdService } from './ArgoCdService';

describe('ArgoCdService', () => {
  let fake: FakeArgoCd;
  let cache: CacheService;

  beforeAll(async () => {
    fake = await startFakeArgoCd({ instances: ['local', 'cloud'] });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.resetStats();
    cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'argocd',
    );
  });

  function service(argocd: Record<string, unknown> = {}, c = cache) {
    return ArgoCdService.fromConfig(
      mockServices.rootConfig({
        data: {
          argocd: {
            username: 'admin',
            password: 'password',
            instances: [
              { name: 'local', url: fake.url('local') },
              { name: 'cloud', url: fake.url('cloud') },
            ],
            prefetch: { enabled: false },
            ...argocd,
          },
        },
      }),
      { logger: mockServices.rootLogger({ level: 'none' }), cache: c },
    );
  }

  const listCalls = () =>
    fake.requests.filter(r => r.path === '/api/v1/applications');
  const metadataCalls = () =>
    fake.requests.filter(r => r.path.includes('/revisions/'));
  const names = (items: Array<{ instance: string; name: string }>) =>
    items.map(i => `${i.instance}/${i.name}`).sort();

  /** Commit SHAs of the newest `limit` history entries (Git source) of these applications. */
  function newestShas(apps: ArgoCdApplication[], limit: number) {
    return new Set(
      apps.flatMap(a =>
        [...(a.status?.history ?? [])]
          .reverse()
          .slice(0, limit)
          .map(h => h.revision ?? h.revisions?.[1]),
      ),
    );
  }
  const allApps = () => [
    ...fake.applications('local'),
    ...fake.applications('cloud'),
  ];

  const locators: ArgoCdLocator[] = [
    { appSelector: 'app.kubernetes.io/name=orders-api' },
    { appName: 'storefront-dev', instanceName: 'local' },
    { appSelector: 'epicshelter.io/environment=staging' },
    {
      appSelector:
        'app.kubernetes.io/name in (orders-api,storefront),epicshelter.io/environment!=dev',
    },
    { projectName: 'platform' },
    {
      appSelector: 'app.kubernetes.io/name',
      projectName: 'workloads',
      appNamespace: 'argocd',
    },
    { appSelector: '!app.kubernetes.io/name' },
    { appName: 'dev-workloads', appNamespace: 'elsewhere' },
  ];

  it('selects every entity from one shared list per instance, exactly as Argo CD filters', async () => {
    const shared = service();
    const sharedResults = [];
    for (const locator of locators) {
      sharedResults.push(await shared.listApplications(locator));
    }
    expect(listCalls()).toHaveLength(2);
    expect(listCalls().every(r => r.query.selector === undefined)).toBe(true);
    expect(listCalls()[0].query.fields?.[0]).toContain('items.status.history');

    // Reference: Argo CD's own filtering (one ?selector=/name= call per entity).
    fake.resetStats();
    // (cached like the shared lists, so both carry ApplicationSet conditions)
    const queried = service({ sharedList: false });
    for (const [i, locator] of locators.entries()) {
      const expected = await queried.listApplications(locator);
      expect(sharedResults[i].items).toEqual(expected.items);
      expect(sharedResults[i].instances).toEqual(expected.instances);
    }
    expect(listCalls().length).toBeGreaterThan(locators.length);
    expect(names(sharedResults[3].items)).toEqual([
      'cloud/orders-api-staging',
      'cloud/storefront-staging',
    ]);
    expect(sharedResults.filter(r => r.items.length > 0)).toHaveLength(7);
  });

  it('coalesces concurrent first visits into one list call per instance', async () => {
    const shared = service();
    const results = await Promise.all(
      locators.slice(0, 4).map(l => shared.listApplications(l)),
    );
    expect(results.every(r => r.items.length > 0)).toBe(true);
    expect(listCalls()).toHaveLength(2);
  });

  it('shares the list with other replicas through the cache', async () => {
    await service().listApplications(locators[0]);
    fake.resetStats();
    const replica = service();
    const res = await replica.listApplications(locators[2]);
    expect(names(res.items)).toEqual([
      'cloud/orders-api-staging',
      'cloud/staging-infrastructure',
      'cloud/staging-workloads',
      'cloud/storefront-staging',
    ]);
    expect(listCalls()).toHaveLength(0);
  });

  it('reports an invalid selector as bad input', async () => {
    await expect(
      service().listApplications({ appSelector: 'a in (b' }),
    ).rejects.toThrow(
      /Invalid label selector "a in \(b".*argocd\/app-selector/,
    );
  });

  it('prefetches the commit metadata the history view needs next', async () => {
    const argocd = service({ prefetch: { enabled: true } });
    const selector = { appSelector: 'app.kubernetes.io/name=orders-api' };
    await argocd.listApplications(selector);
    await argocd.prefetchIdle();
    expect(metadataCalls()).toHaveLength(0); // only when asked to

    const { items } = await argocd.listApplications(selector, {
      prefetch: true,
    });
    await argocd.prefetchIdle();
    const apps = allApps().filter(a =>
      items.some(i => i.name === a.metadata?.name),
    );
    expect(metadataCalls()).toHaveLength(newestShas(apps, 10).size);

    fake.resetStats();
    const histories = await Promise.all(
      items.map(i => argocd.getHistory({ instance: i.instance, name: i.name })),
    );
    expect(fake.requests).toHaveLength(0);
    for (const h of histories) {
      expect(h.items.length).toBeGreaterThanOrEqual(3);
      expect(h.items.every(e => e.author && e.message)).toBe(true);
    }
  });

  it('prefetches only the newest historyLimit entries', async () => {
    const argocd = service({ historyLimit: 1, prefetch: { enabled: true } });
    await argocd.listApplications(
      { appSelector: 'app.kubernetes.io/part-of=epicshelter' },
      { prefetch: true },
    );
    await argocd.prefetchIdle();
    expect(metadataCalls()).toHaveLength(newestShas(allApps(), 1).size);
  });

  it('bounds the prefetch: concurrency and queue length', async () => {
    const realFetch = global.fetch;
    let inFlight = 0;
    let maxInFlight = 0;
    const spy = jest
      .spyOn(global, 'fetch')
      .mockImplementation(async (input, init) => {
        const metadata = String(input).includes('/revisions/');
        if (metadata) maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await realFetch(input, init);
        } finally {
          if (metadata) inFlight--;
        }
      });
    fake.setLatency(5);
    try {
      const argocd = service({
        prefetch: { enabled: true, concurrency: 2, maxQueued: 3 },
      });
      await argocd.listApplications(
        { appSelector: 'app.kubernetes.io/part-of=epicshelter' },
        { prefetch: true },
      );
      await argocd.prefetchIdle();
      expect(newestShas(allApps(), 10).size).toBeGreaterThan(5);
      // 2 started at once + 3 waiting; the rest was dropped.
      expect(metadataCalls()).toHaveLength(5);
      expect(maxInFlight).toBeLessThanOrEqual(2);
      expect(maxInFlight).toBeGreaterThanOrEqual(1);
    } finally {
      fake.setLatency(0);
      spy.mockRestore();
    }
  });

  it('re-reads the shared list after an action so the new state shows', async () => {
    const argocd = service();
    const selector = { appSelector: 'app.kubernetes.io/name=storefront' };
    const before = await argocd.listApplications(selector);
    const dev = before.items.find(i => i.name === 'storefront-dev');
    expect(dev?.operationPhase).toBe('Succeeded');
    await argocd.sync({ instance: 'local', name: 'storefront-dev' }, {});
    const after = await argocd.listApplications(selector);
    expect(
      after.items.find(i => i.name === 'storefront-dev')?.operationPhase,
    ).toBe('Running');
    // Only the acted-on instance's list is fetched again.
    expect(
      listCalls()
        .map(r => r.instance)
        .sort(),
    ).toEqual(['cloud', 'local', 'local']);
    await argocd.terminate({ instance: 'local', name: 'storefront-dev' });
  });
});
