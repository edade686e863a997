import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { CacheService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import type { CrossplaneNode } from '@epicshelter/plugin-crossplane-common';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { DecommissionTracker } from './DecommissionTracker';
import { PortalClient } from './portal';

const server = setupServer();
registerMswTestHooks(server);

function git(cwd: string, ...args: string[]) {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();
}

/** A memory cache shared by the trackers of one test (one backend's cache). */
function memoryCache(): CacheService {
  const data = new Map<string, any>();
  const cache: CacheService = {
    get: async (k: string) => data.get(k),
    set: async (k: string, v: any) => {
      data.set(k, v);
    },
    delete: async (k: string) => {
      data.delete(k);
    },
    withOptions: () => cache,
  } as CacheService;
  return cache;
}

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'qa', namespace: 'default' },
  spec: { type: 'environment', owner: 'group:default/team-qa' },
};

const node = (
  kind: string,
  name: string,
  role: CrossplaneNode['role'],
  over: Partial<CrossplaneNode> = {},
): CrossplaneNode => ({
  id: `local:v1:${kind}:qa:${name}`,
  cluster: 'local',
  apiVersion: 'platform.epicshelter.io/v1alpha1',
  kind,
  name,
  namespace: 'qa',
  role,
  conditions: [],
  ready: 'True',
  synced: 'True',
  status: { health: 'healthy' },
  labels: {},
  ...over,
});

function crossplane(
  nodes: CrossplaneNode[],
  edges: Array<[CrossplaneNode, CrossplaneNode]> = [],
): CrossplaneResourcesResponse {
  return {
    entityRef: 'resource:default/qa',
    environment: 'qa',
    selector: 'epicshelter.io/environment=qa',
    sandbox: true,
    liveAvailable: true,
    clusters: [
      {
        cluster: 'local',
        nodes,
        edges: edges.map(([from, to]) => ({ from: from.id, to: to.id })),
        roots: [],
        requestCount: 1,
      },
    ],
    desired: { resources: [] },
    comparison: [],
    yamlAllowed: false,
  };
}

const argo = (names: string[]) => ({
  items: names.map(name => ({
    instance: 'local',
    name,
    namespace: 'argocd',
    labels: {},
    layer: 'workloads',
    sources: [],
    multiSource: false,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    conditions: [],
  })),
  instances: [{ name: 'local', status: 'ok', sandbox: true }],
  sandbox: true,
  canAct: false,
});

describe('DecommissionTracker', () => {
  let tmp: string;
  let repoDir: string;
  const cache = memoryCache();
  const live: { apps: string[]; resources: CrossplaneResourcesResponse } = {
    apps: [],
    resources: crossplane([]),
  };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'decommission-'));
    repoDir = path.join(tmp, 'gitops');
    fs.mkdirSync(path.join(repoDir, 'environments/qa'), { recursive: true });
    git(repoDir, 'init', '-q', '-b', 'main');
    fs.writeFileSync(
      path.join(repoDir, 'environments/qa/environment.yaml'),
      'spec: {}\n',
    );
    git(repoDir, 'add', '-A');
    git(repoDir, 'commit', '-qm', 'Add qa');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Who asked the snapshot routes, and about which entity. */
  const snapshotCalls: Array<{ path: string; token: string; body: any }> = [];
  beforeEach(() => {
    const asService = async (
      request: Request,
      answer: Parameters<typeof HttpResponse.json>[0],
    ) => {
      snapshotCalls.push({
        path: new URL(request.url).pathname,
        token: request.headers.get('authorization') ?? '',
        body: await request.json(),
      });
      return HttpResponse.json(answer);
    };
    server.use(
      http.get(
        '*/api/epicshelter-argocd/entities/resource/default/qa/applications',
        () => HttpResponse.json(argo(live.apps)),
      ),
      http.get(
        '*/api/epicshelter-crossplane/entity/resource/default/qa/resources',
        () => HttpResponse.json(live.resources),
      ),
      http.post(
        '*/api/epicshelter-argocd/entity-snapshots/applications',
        ({ request }) => asService(request, argo(live.apps)),
      ),
      http.post(
        '*/api/epicshelter-crossplane/entity-snapshots/resources',
        ({ request }) => asService(request, live.resources),
      ),
    );
  });

  const tracker = (withEntity: boolean, now = '2026-12-06T10:00:00Z') =>
    new DecommissionTracker({
      catalog: catalogServiceMock({ entities: withEntity ? [entity] : [] }),
      repository: DefaultGitOpsRepositoryService.fromConfig(
        new ConfigReader({ gitops: { repository: repoDir } }),
      ).configured(),
      portal: new PortalClient({
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
      }),
      logger: mockServices.logger.mock(),
      cache,
      now: () => new Date(now),
    });
  const follow = (withEntity: boolean, now?: string) =>
    tracker(withEntity, now).lifecycle('qa', mockCredentials.user());

  it('never having seen the entity, asks about the environment as the catalog provider describes it', async () => {
    snapshotCalls.length = 0;
    const l = await follow(false);
    expect(l.steps.map(s => [s.id, s.state])).toEqual([
      ['proposed', 'pending'],
      ['merged', 'pending'],
      ['pruned', 'done'],
      ['resources-gone', 'done'],
      ['entity-removed', 'done'],
    ]);
    expect(snapshotCalls).toHaveLength(2);
    for (const call of snapshotCalls) {
      expect(call.body.entity).toEqual({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'qa',
          namespace: 'default',
          annotations: {
            'epicshelter.io/environment': 'qa',
            'argocd/app-selector': 'epicshelter.io/environment=qa',
            'crossplane.epicshelter.io/namespace': 'qa',
          },
        },
        spec: { type: 'environment' },
      });
    }
  });

  it('follows a decommission from proposal to removal, and says where it is stuck', async () => {
    live.apps = ['qa-workloads', 'qa-infrastructure'];
    const db = node('Database', 'qa-orders-db', 'composite');
    const rds = node('Instance', 'qa-orders-db-x7k2p', 'managed');
    live.resources = crossplane([db, rds], [[db, rds]]);

    // proposed on a branch (a local "pull request")
    git(repoDir, 'checkout', '-q', '-b', 'epicshelter/qa');
    git(repoDir, 'rm', '-rq', 'environments/qa');
    git(repoDir, 'commit', '-qm', 'Environment qa: decommission');
    git(repoDir, 'checkout', '-q', 'main');
    expect(await follow(true)).toMatchObject({
      state: 'in-progress',
      blockedAt: 'merged',
      reason: 'environments/qa/environment.yaml is still on main',
    });

    // merged
    git(repoDir, 'merge', '-q', '--ff-only', 'epicshelter/qa');
    let l = await follow(true);
    expect(l.steps.map(s => s.state)).toEqual([
      'done',
      'done',
      'pending',
      'pending',
      'pending',
    ]);
    expect(l.reason).toBe(
      'Waiting: Application argocd/qa-workloads still exists; Application argocd/qa-infrastructure still exists',
    );

    // pruned; the managed resource will not go
    live.apps = [];
    live.resources = crossplane(
      [
        db,
        {
          ...rds,
          deletionTimestamp: '2026-12-06T09:40:00Z',
          problem: 'cannot delete DB instance: deletion protection is on',
        },
      ],
      [[db, rds]],
    );
    l = await follow(true);
    expect(l).toMatchObject({ state: 'stuck', blockedAt: 'resources-gone' });
    expect(l.reason).toContain(
      'Instance qa/qa-orders-db-x7k2p is stuck deleting (requested 20 min ago): cannot delete DB instance: deletion protection is on',
    );

    // everything gone, the entity not yet
    live.resources = crossplane([]);
    expect(await follow(true)).toMatchObject({
      state: 'in-progress',
      blockedAt: 'entity-removed',
    });
    // the entity removed: asked about the entity as last seen
    l = await follow(false);
    expect(l.state).toBe('removed');
  });

  it('follows pruning and deletion after the catalog has dropped the entity, asking about the entity it last saw as this backend', async () => {
    const tmpCache = memoryCache();
    const follower = (withEntity: boolean) =>
      new DecommissionTracker({
        catalog: catalogServiceMock({ entities: withEntity ? [entity] : [] }),
        repository: DefaultGitOpsRepositoryService.fromConfig(
          new ConfigReader({ gitops: { repository: repoDir } }),
        ).configured(),
        portal: new PortalClient({
          discovery: mockServices.discovery(),
          auth: mockServices.auth({ pluginId: 'environments' }),
        }),
        logger: mockServices.logger.mock(),
        cache: tmpCache,
        now: () => new Date('2026-12-06T10:00:00Z'),
      }).lifecycle('qa', mockCredentials.user());
    snapshotCalls.length = 0;
    const db = node('Database', 'qa-orders-db', 'composite');
    live.apps = ['qa-workloads', 'qa-infrastructure'];
    live.resources = crossplane([db]);
    // seen once while the catalog still held it (the merge has landed)
    expect((await follower(true)).blockedAt).toBe('pruned');
    expect(snapshotCalls).toEqual([]);

    // the catalog drops it at once; Argo CD is still pruning
    let l = await follower(false);
    expect(l).toMatchObject({ state: 'in-progress', blockedAt: 'pruned' });
    expect(l.reason).toContain('qa-workloads still exists');
    expect(snapshotCalls.map(c => c.path).sort()).toEqual([
      '/api/epicshelter-argocd/entity-snapshots/applications',
      '/api/epicshelter-crossplane/entity-snapshots/resources',
    ]);
    for (const call of snapshotCalls) {
      // the backend's own service token, not the user's
      expect(call.token).toContain('"sub":"plugin:environments"');
      expect(call.token).not.toContain('user:');
      expect(call.body).toEqual({ entity });
    }

    live.apps = [];
    l = await follower(false);
    expect(l.blockedAt).toBe('resources-gone');
    expect(l.steps.map(s => s.state)).toEqual([
      'done',
      'done',
      'done',
      'pending',
      'done',
    ]);

    live.resources = crossplane([]);
    expect((await follower(false)).state).toBe('removed');
  });

  it('refuses a caller who cannot see an environment the catalog still holds, and asks nothing as this backend', async () => {
    snapshotCalls.length = 0;
    const visible = catalogServiceMock({ entities: [entity] });
    // the catalog shows the environment to this backend, not to the caller
    const catalog = {
      ...visible,
      getEntityByRef: async (ref: string, options: any) =>
        options.credentials.principal.type === 'service'
          ? visible.getEntityByRef(ref, options)
          : undefined,
    } as unknown as typeof visible;
    const refused = new DecommissionTracker({
      catalog,
      repository: DefaultGitOpsRepositoryService.fromConfig(
        new ConfigReader({ gitops: { repository: repoDir } }),
      ).configured(),
      portal: new PortalClient({
        discovery: mockServices.discovery(),
        auth: mockServices.auth({ pluginId: 'environments' }),
      }),
      logger: mockServices.logger.mock(),
      cache: memoryCache(),
      auth: mockServices.auth({ pluginId: 'environments' }),
    }).lifecycle('qa', mockCredentials.user('user:default/mallory'));
    await expect(refused).rejects.toThrow(
      "You may not follow the decommission of environment 'qa'",
    );
    expect(snapshotCalls).toEqual([]);
  });
});
