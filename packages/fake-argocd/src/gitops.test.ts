import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import { FakeArgoCd, startFakeArgoCd } from './server';
import { AppSpec, GITOPS_REPO_URL } from './data';
import { GitOpsCommit, deploymentsFor } from './gitops';
import { TestGitRepo } from './__testUtils__/gitRepo';
import {
  REAL_WORLD_INSTANCE,
  REAL_WORLD_REVISIONS,
  realWorldArgoCdInstance,
} from './scenarios/realWorld';

/** The Git revision an application is synced to (the Git source of a multi-source one). */
function gitRevision(app: ArgoCdApplication): string | undefined {
  const sync = app.status?.sync;
  return sync?.revisions ? sync.revisions[1] : sync?.revision;
}

function historyRevisions(app: ArgoCdApplication): string[] {
  return (app.status?.history ?? []).map(
    h => (h.revisions ? h.revisions[1] : h.revision) ?? '',
  );
}

describe('fake Argo CD deploying a local GitOps repository', () => {
  let repo: TestGitRepo;
  let fake: FakeArgoCd | undefined;
  let bootstrap: string;
  let staging: string;
  let branchCommit: string;
  let merge: string;

  beforeEach(() => {
    repo = new TestGitRepo();
    bootstrap = repo.commit(
      'Bootstrap the GitOps repository',
      { 'README.md': '# GitOps\n' },
      'Grace Hopper <grace@example.com>',
    );
    repo.git('tag', 'seed');
    repo.git('tag', '-a', 'v1.0.0', '-m', 'first release');
    staging = repo.commit('Add environment staging', {
      'environments/staging/environment.yaml': 'name: staging\n',
    });
    repo.git('checkout', '-q', '-b', 'epicshelter/dev');
    branchCommit = repo.commit('Add environment dev', {
      'environments/dev/environment.yaml': 'name: dev\n',
    });
    repo.git('checkout', '-q', 'main');
    merge = repo.commit('Record the review of dev', {
      'docs/review.md': 'dev reviewed\n',
    });
    merge = repo.merge('epicshelter/dev', 'Merge environment dev\n\nReviewed.');
  });

  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
    repo.remove();
  });

  async function login(instance: string) {
    const res = await fetch(`${fake!.url(instance)}/api/v1/session`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'password' }),
    });
    return (await res.json()).token as string;
  }

  async function get(instance: string, path: string) {
    const res = await fetch(`${fake!.url(instance)}/api/v1${path}`, {
      headers: { authorization: `Bearer ${await login(instance)}` },
    });
    return { status: res.status, json: (await res.json()) as any };
  }

  async function apps(instance: string): Promise<ArgoCdApplication[]> {
    const { status, json } = await get(instance, '/applications');
    expect(status).toBe(200);
    return json.items;
  }

  it('deploys dev at the branch head and staging one commit behind, with real histories', async () => {
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    const lineIds = new Map([
      [bootstrap, 0],
      [staging, 1],
      [repo.git('rev-parse', 'HEAD^1'), 2],
      [merge, 3],
    ]);

    const dev = await apps('local');
    expect(dev.map(a => a.metadata?.name).sort()).toEqual([
      'dev-infrastructure',
      'dev-workloads',
      'orders-api-dev',
      'storefront-dev',
    ]);
    for (const app of dev) {
      expect(gitRevision(app)).toBe(merge);
      const history = historyRevisions(app);
      expect(history[history.length - 1]).toBe(merge);
      // The first-parent line only: the branch's own commit is never deployed.
      expect(history).not.toContain(branchCommit);
      for (const [i, h] of (app.status?.history ?? []).entries()) {
        expect(h.id).toBe(lineIds.get(history[i]));
      }
      expect(app.status?.operationState?.syncResult?.revision ?? merge).toBe(
        merge,
      );
      const sources = app.spec?.sources ?? [app.spec?.source];
      expect(sources.map(s => s?.repoURL)).toContain(
        pathToFileURL(repo.dir).href,
      );
    }
    const storefront = dev.find(a => a.metadata?.name === 'storefront-dev')!;
    expect(storefront.status?.sync?.revisions).toEqual(['1.4.3', merge]);

    const cloud = await apps('cloud');
    expect(cloud.map(a => a.metadata?.name)).toContain('staging-workloads');
    for (const app of cloud) {
      expect(gitRevision(app)).toBe(repo.git('rev-parse', 'HEAD~1'));
      expect(historyRevisions(app)).not.toContain(merge);
    }

    const workloads = dev.find(a => a.metadata?.name === 'dev-workloads')!;
    expect(workloads.status?.history?.at(-1)?.deployedAt).toBe(
      new Date(Date.parse(repo.authorDate(merge)) + 70_000)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    );

    const sets = await get('local', '/applicationsets/environments');
    expect(sets.json.spec.generators[0].git.repoURL).toBe(
      pathToFileURL(repo.dir).href,
    );
  });

  it('answers revision metadata from the real commits', async () => {
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    const meta = await get(
      'local',
      `/applications/dev-workloads/revisions/${merge}/metadata`,
    );
    expect(meta).toEqual({
      status: 200,
      json: {
        author: 'Ada Lovelace <ada@example.com>',
        date: repo.authorDate(merge),
        message: 'Merge environment dev\n\nReviewed.',
        tags: [],
      },
    });
    const first = await get(
      'local',
      `/applications/dev-workloads/revisions/${bootstrap}/metadata`,
    );
    expect(first.json.author).toBe('Grace Hopper <grace@example.com>');
    expect(first.json.tags.sort()).toEqual(['seed', 'v1.0.0']);
    // Any commit of the repository, also off the first-parent line.
    const onBranch = await get(
      'local',
      `/applications/dev-workloads/revisions/${branchCommit.slice(
        0,
        7,
      )}/metadata`,
    );
    expect(onBranch.json.message).toBe('Add environment dev');
    // An invented SHA (as the default data uses) is not in the repository.
    const unknown = await get(
      'local',
      `/applications/dev-workloads/revisions/${'ab'.repeat(20)}/metadata`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.message).toMatch(/not found/);
  });

  it('answers commits of the repositories it does not hold as given, never "not found" for them', async () => {
    fake = await startFakeArgoCd({
      gitopsRepo: repo.dir,
      instances: ['local', 'cloud', realWorldArgoCdInstance()],
    });
    const { values, manifestsOld } = REAL_WORLD_REVISIONS;
    const checkout = (revision: string, sourceIndex: number) =>
      get(
        REAL_WORLD_INSTANCE,
        `/applications/checkout/revisions/${revision}/metadata?appNamespace=team-a&sourceIndex=${sourceIndex}`,
      );
    expect(await checkout(values, 1)).toEqual({
      status: 200,
      json: {
        author: 'Ada Lovelace <ada@acme.example>',
        date: '2026-12-01T08:52:10Z',
        message: 'checkout: raise the prod replica count to 4',
        tags: [],
      },
    });
    expect((await checkout(manifestsOld, 2)).json.tags).toEqual(['v2.14.0']);
    // the GitOps repository's own applications still read its commits
    const own = await get(
      'local',
      `/applications/dev-workloads/revisions/${'ab'.repeat(20)}/metadata`,
    );
    expect(own.status).toBe(404);
  });

  it('follows new commits on the branch and keeps a running operation', async () => {
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    const token = await login('local');
    const sync = await fetch(
      `${fake.url('local')}/api/v1/applications/dev-workloads/sync`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{}',
      },
    );
    expect(sync.status).toBe(200);
    const live = fake
      .applications('local')
      .find(a => a.metadata?.name === 'orders-api-dev');

    const next = repo.commit('Add environment e2e-review', {
      'environments/e2e-review/environment.yaml': 'name: e2e-review\n',
    });
    const dev = await apps('local');
    for (const app of dev) expect(gitRevision(app)).toBe(next);
    const orders = dev.find(a => a.metadata?.name === 'orders-api-dev')!;
    // The live objects are updated in place.
    expect(live && gitRevision(live)).toBe(next);
    expect(orders.status?.history?.at(-1)?.id).toBe(4);
    expect(historyRevisions(orders).slice(-2)).toEqual([merge, next]);
    const workloads = dev.find(a => a.metadata?.name === 'dev-workloads')!;
    expect(workloads.status?.operationState?.phase).toBe('Running');
    expect((await apps('cloud')).every(a => gitRevision(a) === merge)).toBe(
      true,
    );
  });

  it('reports a repository that cannot be read', async () => {
    await expect(
      startFakeArgoCd({ gitopsRepo: `${repo.dir}/missing` }),
    ).rejects.toThrow(
      /Cannot read branch main of the GitOps repository .*missing/,
    );
    await expect(
      startFakeArgoCd({ gitopsRepo: repo.dir, gitopsBranch: 'release' }),
    ).rejects.toThrow(/Cannot read branch release/);

    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    fs.renameSync(`${repo.dir}/.git`, `${repo.dir}/.git-moved`);
    const res = await get('local', '/applications');
    expect(res.status).toBe(500);
    expect(res.json.message).toMatch(/Cannot read branch main/);
    fs.renameSync(`${repo.dir}/.git-moved`, `${repo.dir}/.git`);
    expect((await get('local', '/applications')).status).toBe(200);
  });

  it('keeps invented GitHub commits without a repository', async () => {
    fake = await startFakeArgoCd({ instances: ['local'] });
    const [app] = await apps('local');
    expect(app.spec?.source?.repoURL ?? app.spec?.sources?.[1].repoURL).toBe(
      GITOPS_REPO_URL,
    );
    expect(fake.gitops).toBeUndefined();
  });
});

describe('deploymentsFor', () => {
  const commits: GitOpsCommit[] = [
    { sha: 'c'.repeat(40), index: 2, committedAt: Date.UTC(2026, 0, 3) },
    { sha: 'b'.repeat(40), index: 1, committedAt: Date.UTC(2026, 0, 2) },
    { sha: 'a'.repeat(40), index: 0, committedAt: Date.UTC(2026, 0, 1) },
  ];
  const spec = (environment: string): AppSpec => ({
    name: `${environment}-workloads`,
    labels: { 'epicshelter.io/environment': environment },
    path: `environments/overlays/${environment}/workloads`,
    destinationNamespace: environment,
    project: 'platform',
    applicationSet: 'environments',
    layer: 'workloads',
  });

  it('puts each environment at its lag, oldest deployment first', () => {
    expect(deploymentsFor(spec('dev'), commits).map(d => d.id)).toEqual([
      0, 1, 2,
    ]);
    expect(deploymentsFor(spec('staging'), commits)).toEqual([
      {
        id: 0,
        revision: 'a'.repeat(40),
        deployStartedAt: '2026-01-01T00:00:30Z',
        deployedAt: '2026-01-01T00:01:10Z',
      },
      {
        id: 1,
        revision: 'b'.repeat(40),
        deployStartedAt: '2026-01-02T00:00:30Z',
        deployedAt: '2026-01-02T00:01:10Z',
      },
    ]);
    expect(deploymentsFor(spec('prod'), commits).map(d => d.id)).toEqual([0]);
  });

  it('never dates a deployment in the future', () => {
    const now = Date.UTC(2026, 0, 3, 0, 0, 10);
    expect(deploymentsFor(spec('dev'), commits, now).at(-1)).toEqual({
      id: 2,
      revision: 'c'.repeat(40),
      deployStartedAt: '2026-01-03T00:00:00Z',
      deployedAt: '2026-01-03T00:00:10Z',
    });
  });

  it('never goes past the root commit', () => {
    expect(
      deploymentsFor(spec('prod'), commits.slice(2)).map(d => d.revision),
    ).toEqual(['a'.repeat(40)]);
    expect(() => deploymentsFor(spec('dev'), [])).toThrow(/no commit/);
  });
});
