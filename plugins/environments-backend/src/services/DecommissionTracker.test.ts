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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
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

/** What the trackers of these tests share: the repository at `dir`, the portal and this backend's own identity. */
const backendDeps = (dir: string) => ({
  repository: DefaultGitOpsRepositoryService.fromConfig(
    new ConfigReader({ gitops: { repository: dir } }),
  ).configured(),
  portal: new PortalClient({
    discovery: mockServices.discovery(),
    auth: mockServices.auth({ pluginId: 'environments' }),
  }),
  logger: mockServices.logger.mock(),
  cache: memoryCache(),
  auth: mockServices.auth({ pluginId: 'environments' }),
});

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
      // a platform admin may follow any decommission
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
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
    git(
      repoDir,
      'commit',
      '-qm',
      'Environment qa: decommission',
      '-m',
      'Decommission-Requested-By: user:default/mock\nDecommission-Owner: group:default/team-qa',
    );
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
      ...backendDeps(repoDir),
      catalog,
    }).lifecycle('qa', mockCredentials.user('user:default/mallory'));
    await expect(refused).rejects.toThrow(
      "You may not follow the decommission of environment 'qa'",
    );
    expect(snapshotCalls).toEqual([]);
  });

  describe('once the catalog has dropped the environment, only its requester, its owners at decommission time and platform admins may follow it', () => {
    const groups = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'qa-oncall', namespace: 'default' },
        spec: { type: 'team', children: [] },
        relations: [{ type: 'childOf', targetRef: 'group:default/team-qa' }],
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'team-qa', namespace: 'default' },
        spec: { type: 'team', children: ['qa-oncall'] },
      },
    ];
    const as = (
      user: string,
      options: { groups?: string[]; admin?: boolean } = {},
    ) =>
      new DecommissionTracker({
        ...backendDeps(repoDir),
        catalog: catalogServiceMock({ entities: groups }),
        permissions: mockServices.permissions({
          result: options.admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
        userInfo: mockServices.userInfo({
          userEntityRef: user,
          ownershipEntityRefs: [user, ...(options.groups ?? [])],
        }),
      }).lifecycle('qa', mockCredentials.user(user));

    it('refuses anyone else with 404, asking nothing about the leftovers', async () => {
      snapshotCalls.length = 0;
      await expect(
        as('user:default/mallory', { groups: ['group:default/other'] }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message:
          "No decommission of environment 'qa' that you may follow: only its requester, its owners at decommission time and platform admins may follow it once the catalog has removed it",
      });
      expect(snapshotCalls).toEqual([]);
    });

    it.each([
      ['the requester', 'user:default/mock', {}],
      [
        'a member of the owner group',
        'user:default/ada',
        { groups: ['group:default/team-qa'] },
      ],
      [
        'a member of a group below the owner',
        'user:default/bo',
        { groups: ['group:default/qa-oncall'] },
      ],
      ['a platform admin', 'user:default/root', { admin: true }],
    ])('answers %s', async (_who, user, options) => {
      expect((await as(user, options)).environment).toBe('qa');
    });
  });
});

describe('DecommissionTracker: the protect step of a decommission that keeps a database', () => {
  let dir: string;
  const live: {
    app?: { syncStatus: string; revision?: string };
    resources: CrossplaneResourcesResponse;
  } = { resources: crossplane([]) };
  const db = node('Database', 'qa-orders-db', 'composite');
  const rds = node('Instance', 'qa-orders-db-x7k2p', 'managed');
  const database = (annotations: Record<string, string>) =>
    `apiVersion: platform.epicshelter.io/v1alpha1\nkind: Database\nmetadata:\n  name: qa-orders-db\n  namespace: qa\n${
      Object.keys(annotations).length > 0
        ? `  annotations:\n${Object.entries(annotations)
            .map(([k, v]) => `    ${k}: "${v}"\n`)
            .join('')}`
        : ''
    }spec:\n  parameters:\n    engine: postgres\n`;
  const marks = {
    'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
    'crossplane.io/paused': 'true',
    'epicshelter.io/orphaned-from': 'qa',
  };
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'protect-'));
    git(dir, 'init', '-q', '-b', 'main');
    write('environments/qa/environment.yaml', 'spec: {owner: team-qa}\n');
    write('environments/qa/infrastructure/database.yaml', database({}));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'Add qa');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    server.use(
      http.get(
        '*/api/epicshelter-argocd/entities/resource/default/qa/applications',
        () => {
          const answer = argo(live.app ? ['qa-infrastructure'] : []);
          answer.items = answer.items.map(i => ({ ...i, ...live.app }));
          return HttpResponse.json(answer);
        },
      ),
      http.get(
        '*/api/epicshelter-crossplane/entity/resource/default/qa/resources',
        () => HttpResponse.json(live.resources),
      ),
    );
  });

  const follow = () =>
    new DecommissionTracker({
      ...backendDeps(dir),
      catalog: catalogServiceMock({ entities: [entity] }),
      now: () => new Date('2026-12-06T10:00:00Z'),
    }).lifecycle('qa', mockCredentials.user());
  const protectedStep = async () => {
    const l = await follow();
    return { step: l.steps[0], lifecycle: l };
  };

  it('without orphans there is no protect step', async () => {
    live.app = {
      syncStatus: 'Synced',
      revision: git(dir, 'rev-parse', 'HEAD'),
    };
    live.resources = crossplane([db, rds], [[db, rds]]);
    expect((await follow()).steps.map(s => s.id)).toEqual([
      'proposed',
      'merged',
      'pruned',
      'resources-gone',
      'entity-removed',
    ]);
  });

  it('is done only once Argo CD synced the marks and the live database carries them; the removal comes after', async () => {
    const before = git(dir, 'rev-parse', 'HEAD');
    // proposed on the change branch
    git(dir, 'checkout', '-q', '-b', 'epicshelter/qa');
    write('environments/qa/infrastructure/database.yaml', database(marks));
    git(dir, 'commit', '-qam', 'Environment qa: protect what is kept');
    git(dir, 'checkout', '-q', 'main');
    let { step, lifecycle } = await protectedStep();
    expect(step).toMatchObject({
      id: 'protected',
      state: 'pending',
      message:
        'Protection of Database/qa-orders-db is proposed; waiting for it to be merged',
    });
    expect(lifecycle.blockedAt).toBe('protected');

    // merged; Argo CD still at the old revision
    git(dir, 'merge', '-q', '--ff-only', 'epicshelter/qa');
    git(dir, 'branch', '-q', '-D', 'epicshelter/qa');
    const protectedAt = git(dir, 'rev-parse', 'HEAD');
    ({ step } = await protectedStep());
    expect(step.state).toBe('pending');
    expect(step.message).toBe(
      `Waiting for Argo CD to sync qa-infrastructure with the protection (head ${protectedAt.slice(
        0,
        7,
      )}; the application is Synced at ${before.slice(0, 7)})`,
    );

    // synced at the protection revision, but the live object is not paused yet
    live.app = { syncStatus: 'Synced', revision: protectedAt };
    ({ step } = await protectedStep());
    expect(step.message).toBe(
      'Waiting for the live objects to carry the protection: Database/qa-orders-db not paused yet',
    );

    // the live database carries the marks
    live.resources = crossplane(
      [
        {
          ...db,
          status: { health: 'paused', message: 'Reconciliation paused' },
        } as CrossplaneNode,
        rds,
      ],
      [[db, rds]],
    );
    ({ step, lifecycle } = await protectedStep());
    expect(step.state).toBe('done');
    expect(step.message).toContain('The removal can be proposed now.');
    expect(lifecycle.blockedAt).toBe('proposed');

    // the removal merged: the protect step stays done, naming what was kept
    git(dir, 'rm', '-rq', 'environments/qa');
    write('orphaned/qa/database-qa-orders-db.yaml', database(marks));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'Environment qa: decommission');
    ({ step } = await protectedStep());
    expect(step).toMatchObject({
      state: 'done',
      message:
        'Protected before the removal; kept: Database/qa-orders-db, Instance/qa-orders-db-x7k2p (records under orphaned/qa/)',
    });
  });
});
