import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  crossplaneObjectsFor,
  generateEnvironment,
  parseEnvironmentSpec,
  planDecommission,
  renderPlatform,
} from '@epicshelter/plugin-gitops-common';
import { blueprintPlatformObjects } from './blueprint';
import { KUBERNETES_TAB_TYPES } from './kubernetesTabTypes';
import { FakeKubernetesServer, startFakeKubernetes } from './server';
import {
  environmentClusterObjects,
  followGitOpsRepository,
} from './gitopsEnvironments';

const spec = (name: string, crossplaneApi: 'v1' | 'v2' = 'v2') =>
  parseEnvironmentSpec({
    name,
    owner: 'group:default/checkout-team',
    target: 'local',
    provider: 'local',
    crossplaneApi,
    workloads: ['storefront'],
    workloadOverrides: { storefront: { replicas: 2 } },
    resources: {
      databases: [{ name: 'orders-db', engine: 'postgres' }],
      buckets: [{ name: 'assets' }],
    },
  });

function gitRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-k8s-gitops-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'CI',
        GIT_AUTHOR_EMAIL: 'ci@example.com',
        GIT_COMMITTER_NAME: 'CI',
        GIT_COMMITTER_EMAIL: 'ci@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  const commit = (files: Record<string, string>) => {
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), content);
    }
    git('add', '-A');
    git('commit', '-q', '-m', 'change');
  };
  return { dir, commit, git };
}

/** The files at the head of a test repository (path → content). */
function repositoryFiles(dir: string): Record<string, string> {
  const files = execFileSync('git', ['ls-files'], {
    cwd: dir,
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  return Object.fromEntries(
    files.map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

describe('environmentClusterObjects', () => {
  it('names the XRs as the generator does and composes one managed resource each', () => {
    const objects = environmentClusterObjects(spec('qa'), 'ready');
    const declared = crossplaneObjectsFor(spec('qa'));
    for (const ref of declared) {
      const xr = objects.find(
        o => o.kind === ref.kind && o.metadata.name === ref.name,
      );
      expect(xr?.metadata.namespace).toBe('qa');
      expect(xr?.apiVersion).toBe(ref.apiVersion);
      const mrName = (xr as any).spec.crossplane.resourceRefs[0].name;
      const mr = objects.find(o => o.metadata.name === mrName);
      expect(mr?.kind).toBe('Release');
      expect(mr?.metadata.labels?.['crossplane.io/composite']).toBe(ref.name);
      expect((mr as any).status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      );
    }
    const pods = objects.filter(o => o.kind === 'Pod');
    expect(pods).toHaveLength(2);
    const rs = objects.find(o => o.kind === 'ReplicaSet')!;
    const deployment = objects.find(o => o.kind === 'Deployment')!;
    expect((rs.metadata as any).ownerReferences[0].uid).toBe(
      deployment.metadata.uid,
    );
    expect((pods[0].metadata as any).ownerReferences[0].uid).toBe(
      rs.metadata.uid,
    );
    expect(deployment.metadata.labels?.['backstage.io/kubernetes-id']).toBe(
      'storefront',
    );
  });

  it('serves v1 environments as claims bound to cluster-scoped composites', () => {
    const objects = environmentClusterObjects(spec('old', 'v1'), 'creating');
    const claim = objects.find(
      o => o.kind === 'Database' && o.metadata.name === 'old-orders-db',
    )!;
    const ref = (claim as any).spec.resourceRef;
    const xr = objects.find(o => o.metadata.name === ref.name)!;
    expect(xr.kind).toBe('XDatabase');
    expect(xr.metadata.namespace).toBeUndefined();
    expect((xr as any).status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'False' }),
    );
  });
});

describe('followGitOpsRepository', () => {
  let server: FakeKubernetesServer;
  let repo: ReturnType<typeof gitRepo>;
  let stop: () => void = () => undefined;

  beforeEach(async () => {
    repo = gitRepo();
    repo.commit(generateEnvironment(spec('dev')));
    server = await startFakeKubernetes({
      port: 0,
      objects: blueprintPlatformObjects(),
      extraTypes: KUBERNETES_TAB_TYPES,
    });
  });
  afterEach(async () => {
    stop();
    await server.close();
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });

  const get = async (p: string) => {
    const res = await fetch(`${server.url}${p}`);
    return { status: res.status, body: (await res.json()) as any };
  };
  const names = (body: any) => body.items.map((o: any) => o.metadata.name);
  const until = async (check: () => Promise<boolean>) => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise(r => setTimeout(r, 20));
    }
    throw new Error('timed out');
  };

  it('serves what a cluster syncing the repository holds, new environments being created then ready, removed ones deleted', async () => {
    stop = followGitOpsRepository(server, {
      dir: repo.dir,
      appearAfterMs: 200,
      readyAfterMs: 3_000,
      pollMs: 50,
    });
    // present at start: ready
    const dbs = await get(
      '/apis/platform.epicshelter.io/v1alpha1/namespaces/dev/databases',
    );
    expect(names(dbs.body)).toEqual(['dev-orders-db']);
    const pods = await get(
      `/api/v1/namespaces/dev/pods?labelSelector=${encodeURIComponent(
        'backstage.io/kubernetes-id=storefront',
      )}`,
    );
    expect(pods.body.items).toHaveLength(2);
    expect(pods.body.items[0].status.phase).toBe('Running');
    // every type Backstage's Kubernetes tab lists is served
    for (const p of [
      '/api/v1/namespaces/dev/services',
      '/api/v1/namespaces/dev/configmaps',
      '/api/v1/namespaces/dev/limitranges',
      '/api/v1/namespaces/dev/resourcequotas',
      '/apis/apps/v1/namespaces/dev/deployments',
      '/apis/apps/v1/namespaces/dev/replicasets',
      '/apis/apps/v1/namespaces/dev/statefulsets',
      '/apis/apps/v1/namespaces/dev/daemonsets',
      '/apis/autoscaling/v2/namespaces/dev/horizontalpodautoscalers',
      '/apis/batch/v1/namespaces/dev/jobs',
      '/apis/batch/v1/namespaces/dev/cronjobs',
      '/apis/networking.k8s.io/v1/namespaces/dev/ingresses',
    ]) {
      expect((await get(p)).status).toBe(200);
    }

    repo.commit(generateEnvironment(spec('review')));
    const reviewDb =
      '/apis/platform.epicshelter.io/v1alpha1/namespaces/review/databases/review-orders-db';
    await until(async () => (await get(reviewDb)).status === 200);
    const ready = (o: any) =>
      o.status.conditions.find((c: any) => c.type === 'Ready').status;
    expect(ready((await get(reviewDb)).body)).toBe('False');
    await until(async () => ready((await get(reviewDb)).body) === 'True');

    repo.git('rm', '-q', '-r', 'environments/review');
    repo.git('commit', '-q', '-m', 'remove review');
    await until(async () => (await get(reviewDb)).status === 404);
    expect(
      names((await get('/apis/apps/v1/namespaces/review/deployments')).body),
    ).toEqual([]);
  }, 30_000);

  /** Applies a decommission plan's change to the repository as one commit. */
  const applyPlan = (plan: ReturnType<typeof planDecommission>) => {
    for (const p of plan.deleted) repo.git('rm', '-q', p);
    repo.commit(Object.fromEntries(plan.changed.map(c => [c.path, c.content])));
  };
  const planFor = (env: string) =>
    planDecommission({
      repo: { ...renderPlatform(), ...repositoryFiles(repo.dir) },
      environment: env,
      orphan: ['orders-db'],
    });
  const follow = () =>
    followGitOpsRepository(server, {
      dir: repo.dir,
      appearAfterMs: 0,
      readyAfterMs: 0,
      pollMs: 50,
      deletingMs: 1_000,
    });
  const paths = (env: string) => {
    const ns = `/apis/platform.epicshelter.io/v1alpha1/namespaces/${env}`;
    return {
      db: `${ns}/databases/${env}-orders-db`,
      bucket: `${ns}/buckets/${env}-assets`,
      namespace: `/api/v1/namespaces/${env}`,
    };
  };

  it('decommissions with an orphan in two steps: the protection is live before the removal, then the others are deleted (waiting for their finalizers) and the orphan stays, paused and owned by nothing', async () => {
    repo.commit(generateEnvironment(spec('review')));
    stop = follow();
    const { db, bucket, namespace } = paths('review');
    await until(async () => (await get(bucket)).status === 200);
    const mrName = (await get(db)).body.spec.crossplane.resourceRefs[0].name;
    const mr = `/apis/helm.m.crossplane.io/v1beta1/namespaces/review/releases/${mrName}`;
    expect((await get(mr)).status).toBe(200);

    // step 1: the protection, synced onto the live objects
    const protect = planFor('review');
    expect(protect.step).toBe('protect');
    applyPlan(protect);
    await until(
      async () =>
        (
          await get(db)
        ).body.metadata.annotations?.['argocd.argoproj.io/sync-options'] ===
        'Delete=false,Prune=false',
    );
    expect((await get(db)).body.metadata.annotations).toMatchObject({
      'crossplane.io/paused': 'true',
      'epicshelter.io/orphaned-from': 'review',
    });
    expect(
      (await get(namespace)).body.metadata.annotations[
        'argocd.argoproj.io/sync-options'
      ],
    ).toBe('Delete=false,Prune=false');
    // the protection was observed while the environment was still there
    expect(
      repositoryFiles(repo.dir)['environments/review/environment.yaml'],
    ).toBeDefined();

    // step 2: the removal, one change
    const remove = planFor('review');
    expect(remove.step).toBe('remove');
    applyPlan(remove);
    await until(
      async () =>
        (await get(bucket)).body.metadata?.deletionTimestamp !== undefined,
    );
    const deleting = (await get(bucket)).body;
    expect(deleting.metadata.finalizers).toEqual([
      'composite.apiextensions.crossplane.io',
    ]);
    expect(deleting.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Ready',
        status: 'False',
        reason: 'Deleting',
      }),
    );
    await until(async () => (await get(bucket)).status === 404);
    expect(
      names((await get('/apis/apps/v1/namespaces/review/deployments')).body),
    ).toEqual([]);
    // the orphaned database, what it composes and its namespace stay
    const kept = (await get(db)).body;
    expect(kept.metadata.deletionTimestamp).toBeUndefined();
    expect(kept.metadata.annotations['crossplane.io/paused']).toBe('true');
    expect(kept.metadata.labels['app.kubernetes.io/instance']).toBeUndefined();
    expect((await get(mr)).status).toBe(200);
    expect((await get(mr)).body.metadata.deletionTimestamp).toBeUndefined();
    expect((await get(namespace)).status).toBe(200);
  }, 30_000);

  it('deletes the "orphaned" database too when the removal comes in the same change as the marks (the race the protect step avoids)', async () => {
    repo.commit(generateEnvironment(spec('race')));
    stop = follow();
    const { db, bucket } = paths('race');
    await until(async () => (await get(bucket)).status === 200);
    // marks and removal in one commit: Argo CD never syncs the marks
    const protect = planFor('race');
    const protectedFiles = {
      ...repositoryFiles(repo.dir),
      ...Object.fromEntries(protect.changed.map(c => [c.path, c.content])),
    };
    const remove = planDecommission({
      repo: { ...renderPlatform(), ...protectedFiles },
      environment: 'race',
      orphan: ['orders-db'],
    });
    applyPlan(remove);
    await until(async () => (await get(db)).status === 404);
    expect((await get(bucket)).status).toBe(404);
  }, 30_000);
});
