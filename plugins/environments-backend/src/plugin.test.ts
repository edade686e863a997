import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  ApplicationSummary,
  EntityApplicationsResponse,
} from '@epicshelter/plugin-argocd-common';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import environmentsPlugin from './index';

jest.setTimeout(30_000);

// supertest talks to the test backend on 127.0.0.1: let those requests through.
const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);

function git(cwd: string, ...args: string[]) {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  ).trim();
}

function commitFiles(
  dir: string,
  files: Record<string, string>,
  message: string,
) {
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--allow-empty', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

const spec = parseEnvironmentSpec({
  name: 'dev',
  owner: 'group:default/checkout-team',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api'],
  workloadOverrides: { 'orders-api': { imageTag: '1.2.0' } },
  resources: { databases: [{ name: 'orders-db', engine: 'postgres' }] },
});

function app(over: Partial<ApplicationSummary>): ApplicationSummary {
  return {
    instance: 'local',
    name: 'dev-workloads',
    namespace: 'argocd',
    labels: { 'epicshelter.io/environment': 'dev' },
    environment: 'dev',
    layer: 'workloads',
    sources: [],
    multiSource: false,
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    conditions: [],
    destination: { server: 'https://kubernetes.default.svc', namespace: 'dev' },
    ...over,
  };
}

function argo(items: ApplicationSummary[]): EntityApplicationsResponse {
  return {
    items,
    instances: [{ name: 'local', status: 'ok', sandbox: true }],
    sandbox: true,
    canAct: false,
  };
}

function crossplane(
  status: 'ready' | 'failing' | 'not-created',
  message?: string,
): CrossplaneResourcesResponse {
  return {
    entityRef: 'resource:default/dev',
    environment: 'dev',
    selector: 'epicshelter.io/environment=dev',
    sandbox: true,
    liveAvailable: true,
    clusters: [],
    desired: { resources: [] },
    comparison: [
      {
        kind: 'Database',
        name: 'dev-orders-db',
        namespace: 'dev',
        resourceName: 'orders-db',
        status,
        message,
      },
    ],
    yamlAllowed: false,
  };
}

describe('environments backend', () => {
  registerMswTestHooks(server);
  let tmp: string;
  let repoDir: string;
  let first: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-backend-'));
    repoDir = path.join(tmp, 'gitops');
    fs.mkdirSync(repoDir);
    git(repoDir, 'init', '-q', '-b', 'main');
    first = commitFiles(repoDir, { 'README.md': 'gitops\n' }, 'bootstrap');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function start(handlers: {
    argocd?: () => Response | HttpResponse<any>;
    crossplane?: () => Response | HttpResponse<any>;
    tasks?: unknown[];
  }) {
    server.use(
      http.get(
        '*/api/epicshelter-argocd/entities/resource/default/dev/applications',
        ({ request: r }) => {
          expect(r.headers.get('authorization')).toMatch(/^Bearer /);
          return handlers.argocd
            ? handlers.argocd()
            : HttpResponse.json(argo([]));
        },
      ),
      http.get(
        '*/api/epicshelter-crossplane/entity/resource/default/dev/resources',
        () =>
          handlers.crossplane
            ? handlers.crossplane()
            : HttpResponse.json(crossplane('not-created')),
      ),
      http.get('*/api/scaffolder/v2/tasks', () =>
        HttpResponse.json({ tasks: handlers.tasks ?? [], totalTasks: 0 }),
      ),
    );
    const repo = {
      kind: 'local' as const,
      location: repoDir,
      branch: 'main',
      branchPrefix: 'epicshelter/',
    };
    const { server: http_ } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({
          entities: environmentEntities(spec, repo),
        }),
        mockServices.rootConfig.factory({
          data: { gitops: { repository: repoDir } },
        }),
      ],
    });
    const get = (p: string) =>
      request(http_)
        .get(`/api/environments${p}`)
        .set('authorization', mockCredentials.user.header());
    return { get };
  }

  it('is blocked at merge while the change is on an unmerged branch (local "pull request")', async () => {
    git(repoDir, 'checkout', '-q', '-b', 'epicshelter/dev');
    const sha = commitFiles(
      repoDir,
      generateEnvironment(spec),
      'Add environment dev',
    );
    git(repoDir, 'checkout', '-q', 'main');
    const { get } = await start({
      tasks: [
        {
          id: 'task-1',
          status: 'completed',
          createdAt: '2026-01-01T10:00:00Z',
          spec: {
            parameters: { name: 'dev' },
            steps: [{ action: 'epicshelter:environment:create' }],
            templateInfo: { entityRef: 'template:default/create-environment' },
          },
        },
        {
          id: 'task-other',
          status: 'completed',
          createdAt: '2026-01-02T10:00:00Z',
          spec: {
            parameters: { name: 'qa' },
            steps: [{ action: 'epicshelter:environment:create' }],
          },
        },
      ],
    });
    const res = await get('/environments/dev/lifecycle');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: 'in-progress',
      blockedAt: 'merged',
      reason: 'Branch epicshelter/dev is not merged into main',
    });
    expect(res.body.steps[0]).toMatchObject({
      state: 'done',
      message: 'Task task-1 completed',
      url: '/create/tasks/task-1',
    });
    expect(res.body.steps[1]).toMatchObject({
      state: 'done',
      message: `Commit ${sha.slice(0, 7)} on branch epicshelter/dev`,
    });
  });

  it('is blocked at sync when merged but Argo CD is at an older revision, and reports behind-by counts', async () => {
    const added = commitFiles(
      repoDir,
      generateEnvironment(spec),
      'Add environment dev',
    );
    const head = commitFiles(
      repoDir,
      { 'README.md': 'gitops repository\n' },
      'docs',
    );
    const { get } = await start({
      argocd: () =>
        HttpResponse.json(
          argo([
            app({ revision: first, syncStatus: 'OutOfSync' }),
            app({
              name: 'dev-infrastructure',
              layer: 'infrastructure',
              revision: first,
            }),
          ]),
        ),
    });
    const lifecycle = await get('/environments/dev/lifecycle');
    expect(lifecycle.body).toMatchObject({
      state: 'in-progress',
      blockedAt: 'synced',
    });
    expect(lifecycle.body.reason).toBe(
      `dev-workloads on local is at revision ${first.slice(
        0,
        7,
      )}, which does not contain commit ${added.slice(0, 7)} yet (OutOfSync)`,
    );
    expect(lifecycle.body.steps[2]).toMatchObject({
      state: 'done',
      message: `Commit ${added.slice(0, 7)} on main`,
    });

    const deployments = await get('/environments/dev/deployments');
    expect(deployments.status).toBe(200);
    expect(deployments.body.head).toEqual({ branch: 'main', sha: head });
    expect(deployments.body.items[0]).toMatchObject({
      name: 'dev-workloads',
      cluster: 'https://kubernetes.default.svc',
      comparison: {
        revision: first,
        head,
        status: 'behind',
        behindBy: 2,
        aheadBy: 0,
      },
    });
  });

  it('fails at ready when synced but a Crossplane resource is failing', async () => {
    const added = commitFiles(
      repoDir,
      generateEnvironment(spec),
      'Add environment dev',
    );
    const { get } = await start({
      argocd: () =>
        HttpResponse.json(
          argo([
            app({ revision: added, lastSyncedAt: '2026-01-01T10:07:00Z' }),
            app({
              name: 'dev-infrastructure',
              layer: 'infrastructure',
              revision: added,
            }),
          ]),
        ),
      crossplane: () =>
        HttpResponse.json(
          crossplane(
            'failing',
            'Synced=False ReconcileError: cannot connect to provider',
          ),
        ),
    });
    const status = await get('/environments/dev/status');
    expect(status.status).toBe(200);
    expect(status.body.status).toMatchObject({
      status: 'Failed',
      reason:
        'Lifecycle step “Resources ready” failed: Database dev-orders-db is not ready: Synced=False ReconcileError: cannot connect to provider.',
    });
    expect(status.body.placement).toMatchObject({
      phase: 'local',
      argoCdInstance: 'local',
    });
    expect(status.body.lifecycle.state).toBe('failed');
    const res = await get('/environments/dev/lifecycle');
    expect(res.body).toMatchObject({
      state: 'failed',
      blockedAt: 'ready',
      reason:
        'Database dev-orders-db is not ready: Synced=False ReconcileError: cannot connect to provider',
    });
    expect(res.body.steps.map((s: { state: string }) => s.state)).toEqual([
      'skipped',
      'skipped',
      'done',
      'done',
      'failed',
    ]);
    const deployments = await get('/environments/dev/deployments');
    expect(deployments.body.items[0].comparison).toMatchObject({
      status: 'in-sync',
      behindBy: 0,
      aheadBy: 0,
    });
  });

  it('keeps answering with the reason when Argo CD and Crossplane are down', async () => {
    commitFiles(repoDir, generateEnvironment(spec), 'Add environment dev');
    const { get } = await start({
      argocd: () =>
        HttpResponse.json(
          { error: { name: 'ServiceUnavailableError', message: 'down' } },
          { status: 503 },
        ),
      crossplane: () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        ),
    });
    const res = await get('/environments/dev/lifecycle');
    expect(res.body).toMatchObject({
      blockedAt: 'synced',
      steps: expect.any(Array),
    });
    expect(res.body.reason).toMatch(
      /^Argo CD applications could not be read: /,
    );
    const deployments = await get('/environments/dev/deployments');
    expect(deployments.body.error).toMatch(
      /^Argo CD applications could not be read/,
    );
  });

  it('gives one verdict from all applications: a healthy workloads app does not hide a progressing infrastructure app', async () => {
    const added = commitFiles(
      repoDir,
      generateEnvironment(spec),
      'Add environment dev',
    );
    const { get } = await start({
      argocd: () =>
        HttpResponse.json(
          argo([
            app({ revision: added }),
            app({
              name: 'dev-infrastructure',
              layer: 'infrastructure',
              revision: added,
              healthStatus: 'Progressing',
              healthMessage: 'waiting for Database dev-orders-db',
            }),
          ]),
        ),
      crossplane: () => HttpResponse.json(crossplane('ready')),
    });
    const expected = {
      environment: 'dev',
      status: 'Progressing',
      reason:
        'dev-infrastructure on Argo CD instance local is Progressing: waiting for Database dev-orders-db.',
    };
    const status = await get('/environments/dev/status');
    expect(status.body.status).toMatchObject(expected);
    expect(status.body.lifecycle.state).toBe('ready');
    const matrix = await get('/matrix');
    expect(matrix.body.matrix.columns[0].status).toMatchObject(expected);
  });

  it('leaves Crossplane out of the verdict when the crossplane plugin is not installed', async () => {
    const added = commitFiles(
      repoDir,
      generateEnvironment(spec),
      'Add environment dev',
    );
    const { get } = await start({
      argocd: () =>
        HttpResponse.json(
          argo([
            app({ revision: added }),
            app({
              name: 'dev-infrastructure',
              layer: 'infrastructure',
              revision: added,
            }),
          ]),
        ),
      crossplane: () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no such route' } },
          { status: 404 },
        ),
    });
    const status = await get('/environments/dev/status');
    expect(status.body.status.findings).toEqual([
      expect.objectContaining({ source: 'lifecycle', status: 'Unknown' }),
    ]);
  });

  it('lists the apps of the GitOps repository for the forms, to signed-in callers only', async () => {
    commitFiles(
      repoDir,
      {
        'apps/storefront/base/kustomization.yaml': 'resources: []\n',
        'apps/orders-api/base/kustomization.yaml': 'resources: []\n',
        'apps/README.md': 'apps\n',
      },
      'apps',
    );
    const { get } = await start({});
    const res = await get('/apps');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ name: 'orders-api' }, { name: 'storefront' }],
    });
    const { server: backend } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: { gitops: { repository: repoDir } },
        }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    expect((await request(backend).get('/api/environments/apps')).status).toBe(
      401,
    );
  });

  it('builds the promotion matrix and rejects bad names', async () => {
    commitFiles(repoDir, generateEnvironment(spec), 'Add environment dev');
    const { get } = await start({
      argocd: () =>
        HttpResponse.json(
          argo([app({ revision: first, healthStatus: 'Degraded' })]),
        ),
    });
    const res = await get('/matrix');
    expect(res.body).toEqual({
      matrix: {
        columns: [
          {
            name: 'dev',
            target: 'local',
            provider: 'local',
            deployment: {
              instance: 'local',
              syncStatus: 'Synced',
              healthStatus: 'Degraded',
              revision: first,
            },
            status: expect.objectContaining({
              environment: 'dev',
              status: 'Degraded',
              reason: 'dev-workloads on Argo CD instance local is Degraded.',
            }),
          },
        ],
        rows: [
          {
            workload: 'orders-api',
            cells: [
              {
                imageTag: '1.2.0',
                revision: first,
                syncStatus: 'Synced',
                healthStatus: 'Degraded',
                instance: 'local',
                differsFromPrevious: false,
              },
            ],
          },
        ],
      },
      errors: [],
    });
    expect((await get('/environments/Dev/lifecycle')).status).toBe(400);
    expect((await get('/environments/nope/lifecycle')).status).toBe(404);
  });
});
