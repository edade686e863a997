import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { FakeArgoCd, startFakeArgoCd } from './server';
import { assertArgoCdShape } from './swagger';
import {
  PRUNED_AFTER_MS,
  RESOURCES_FINALIZER,
  SYNCED_AFTER_MS,
  syncProgressAt,
} from './environments';
import { TestGitRepo } from './__testUtils__/gitRepo';

/** The files the Create environment template commits for an environment. */
function environmentFiles(name: string, target: 'local' | 'cloud' = 'local') {
  return generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner: 'group:default/checkout-team',
      target,
      provider: target === 'local' ? 'local' : 'aws',
      ...(target === 'cloud'
        ? { region: 'eu-west-1', resources: { kubernetesCluster: {} } }
        : {
            resources: {
              databases: [{ name: 'orders-db', engine: 'postgres' }],
              buckets: [{ name: 'assets' }],
            },
          }),
      workloads: ['storefront'],
    }),
  );
}

describe('fake Argo CD generating the applications of new environments', () => {
  let repo: TestGitRepo;
  let fake: FakeArgoCd | undefined;

  beforeEach(() => {
    repo = new TestGitRepo();
    repo.commit('Bootstrap', { 'environments/.gitkeep': '' });
    repo.commit('Add environment dev', environmentFiles('dev'));
  });

  afterEach(async () => {
    jest.useRealTimers();
    await fake?.stop();
    fake = undefined;
    repo.remove();
  });

  async function apps(instance: string): Promise<ArgoCdApplication[]> {
    const login = await fetch(`${fake!.url(instance)}/api/v1/session`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'password' }),
    });
    const { token } = await login.json();
    const res = await fetch(`${fake!.url(instance)}/api/v1/applications`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()).items;
  }

  const named = (list: ArgoCdApplication[], name: string) =>
    list.find(a => a.metadata?.name === name);

  it('generates <env>-workloads and <env>-infrastructure as the ApplicationSets do, on the instance of the target', async () => {
    const head = repo.commit('Add environment qa', environmentFiles('qa'));
    repo.commit('Add environment prod', environmentFiles('prod', 'cloud'));
    const prodHead = repo.git('rev-parse', 'HEAD');
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });

    const local = await apps('local');
    // dev keeps its generated applications; qa gets the blueprint's two
    expect(local.map(a => a.metadata?.name).sort()).toEqual([
      'dev-infrastructure',
      'dev-workloads',
      'orders-api-dev',
      'qa-infrastructure',
      'qa-workloads',
      'storefront-dev',
    ]);
    const workloads = named(local, 'qa-workloads')!;
    assertArgoCdShape('v1alpha1Application', workloads, 'qa-workloads');
    expect(workloads.metadata?.labels).toEqual({
      'app.kubernetes.io/part-of': 'epicshelter',
      'epicshelter.io/environment': 'qa',
      'epicshelter.io/application': 'workloads',
    });
    expect(workloads.metadata?.ownerReferences?.[0].name).toBe('workloads');
    expect(workloads.spec?.source?.path).toBe('environments/qa/workloads');
    expect(workloads.spec?.destination?.namespace).toBe('qa');
    // present at start: synced at the head, one history entry
    expect(workloads.status?.sync?.status).toBe('Synced');
    expect(workloads.status?.health?.status).toBe('Healthy');
    expect(workloads.status?.sync?.revision).toBe(prodHead);
    expect(workloads.status?.history?.map(h => h.revision)).toEqual([prodHead]);
    expect(head).not.toBe(prodHead);
    expect(
      named(local, 'qa-infrastructure')!.status?.resources?.map(
        r => `${r.kind}/${r.name}`,
      ),
    ).toEqual(['Namespace/qa', 'Database/qa-orders-db', 'Bucket/qa-assets']);
    expect(
      named(local, 'qa-workloads')!.status?.resources?.map(
        r => `${r.kind}/${r.name}`,
      ),
    ).toEqual(['Service/storefront', 'Deployment/storefront']);

    const cloud = await apps('cloud');
    expect(named(cloud, 'prod-infrastructure')).toBeDefined();
    expect(named(cloud, 'prod-workloads')).toBeDefined();
    expect(named(local, 'prod-workloads')).toBeUndefined();
  });

  it('takes up an environment committed later: OutOfSync, then syncing, then Synced/Healthy at its commit; deletes removed ones: deletionTimestamp and the resources finalizer, then gone', async () => {
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    expect(named(await apps('local'), 'review-workloads')).toBeUndefined();

    const start = Date.now();
    const sha = repo.commit(
      'Add environment review',
      environmentFiles('review'),
    );
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate'] });

    let app = named(await apps('local'), 'review-workloads')!;
    expect(app.status?.sync?.status).toBe('OutOfSync');
    expect(app.status?.health?.status).toBe('Missing');
    expect(app.status?.history).toEqual([]);

    jest.setSystemTime(start + 3_000);
    app = named(await apps('local'), 'review-workloads')!;
    expect(app.status?.sync?.status).toBe('OutOfSync');
    expect(app.status?.health?.status).toBe('Progressing');
    expect(app.status?.operationState?.phase).toBe('Running');
    assertArgoCdShape('v1alpha1Application', app, 'syncing review-workloads');

    jest.setSystemTime(start + SYNCED_AFTER_MS + 1);
    app = named(await apps('local'), 'review-workloads')!;
    expect(app.status?.sync?.status).toBe('Synced');
    expect(app.status?.health?.status).toBe('Healthy');
    expect(app.status?.sync?.revision).toBe(sha);
    expect(app.status?.history?.map(h => h.revision)).toEqual([sha]);
    expect(app.status?.operationState?.phase).toBe('Succeeded');

    repo.git('rm', '-q', '-r', 'environments/review');
    repo.commit('Remove environment review', {});
    const removedAt = Date.now();
    app = named(await apps('local'), 'review-workloads')!;
    expect(app.metadata?.deletionTimestamp).toBe(
      new Date(removedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(app.metadata?.finalizers).toEqual([RESOURCES_FINALIZER]);
    expect(app.status?.health?.status).toBe('Progressing');
    assertArgoCdShape('v1alpha1Application', app, 'deleting review-workloads');

    jest.setSystemTime(removedAt + PRUNED_AFTER_MS);
    expect(named(await apps('local'), 'review-workloads')).toBeUndefined();
    expect(named(await apps('local'), 'review-infrastructure')).toBeUndefined();
  });

  it('answers the Argo CD UI route the portal links to with a sandbox page of the application', async () => {
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    const page = await fetch(
      `${fake.url('local')}/applications/argocd/dev-workloads`,
    );
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Sandbox data');
    expect(html).toContain('dev-workloads on local');
    expect(html).toContain('Synced');
    const missing = await fetch(
      `${fake.url('local')}/applications/argocd/<nope>`,
    );
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<nope>');
  });

  it('names the repository as told instead of its path on the machine', async () => {
    fake = await startFakeArgoCd({
      gitopsRepo: repo.dir,
      gitopsRepoUrl: 'local:gitops-repository',
    });
    const list = await apps('local');
    expect(list.length).toBeGreaterThan(0);
    for (const app of list) {
      expect(JSON.stringify(app)).not.toContain(repo.dir);
    }
    expect(named(list, 'dev-workloads')?.spec?.source?.repoURL).toBe(
      'local:gitops-repository',
    );
  });

  it('moves through the progress steps by age', () => {
    expect(syncProgressAt(0)).toBe('out-of-sync');
    expect(syncProgressAt(2_500)).toBe('syncing');
    expect(syncProgressAt(SYNCED_AFTER_MS)).toBe('synced');
  });
});
