import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import { parse as parseYaml } from 'yaml';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
// The sweep reads every page's data as a portal serves it: the three
// backends together, each calling the others as in production.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import argocdPlugin from '@epicshelter/plugin-argocd-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import crossplanePlugin from '@epicshelter/plugin-crossplane-backend';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import { parseEnvironmentSpec } from '@epicshelter/plugin-gitops-common';
import {
  git,
  initEnvironmentRepository,
  writeEnvironment,
} from './__testUtils__/environmentRepository';
import environmentsPlugin from './index';

jest.setTimeout(60_000);

/**
 * Issue #11, "no server paths on any page", at the API: every GET route of
 * the environments, Argo CD and Crossplane backends that the portal's pages
 * read, for an environment and a component, answers without naming the
 * local GitOps repository's folder (a temporary directory here), the
 * checkout the portal runs from, or a `file://` URL.
 */

const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');
/** The demo's dev environment, as the sandbox seeds it. */
const devDocument = parseYaml(
  fs.readFileSync(
    path.join(REPOSITORY_ROOT, 'examples/gitops/dev.yaml'),
    'utf8',
  ),
);
const dev = parseEnvironmentSpec(devDocument);
const ordersApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'orders-api',
      'argocd/app-selector': 'app.kubernetes.io/name=orders-api',
      'epicshelter.io/environment': 'dev',
      'crossplane.epicshelter.io/selector':
        'epicshelter.io/environment=dev,epicshelter.io/resource in (orders-db,orders-cache)',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'checkout-team' },
};

/** The backends and fakes answer on this machine; the scaffolder has dev's creation task. */
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/(?!api\/scaffolder)/, () =>
    passthrough(),
  ),
  http.get('*/api/scaffolder/v2/tasks', () =>
    HttpResponse.json({
      totalTasks: 1,
      tasks: [
        {
          id: 'task-1',
          status: 'completed',
          createdAt: '2026-01-01T10:00:00Z',
          spec: {
            steps: [{ action: 'epicshelter:environment:create' }],
            parameters: { name: 'dev' },
          },
        },
      ],
    }),
  ),
);

/** The server locations no answer may name, and what names them. */
function serverPathsIn(text: string, tmp: string): string[] {
  const forbidden = new Set([
    tmp,
    fs.realpathSync(tmp),
    REPOSITORY_ROOT,
    'file://',
  ]);
  return [...forbidden].filter(p => text.includes(p));
}

/** Every `id` of a Crossplane node (an object with cluster, kind and name) in `value`. */
function nodeIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach(v => nodeIds(v, into));
  } else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.id === 'string' && o.cluster && o.kind && o.name) {
      into.add(o.id);
    }
    Object.values(o).forEach(v => nodeIds(v, into));
  }
  return into;
}

describe('no server paths in any answer of the portal backends', () => {
  registerMswTestHooks(server);
  let tmp: string;
  let repo: string;
  let argocd: FakeArgoCd;
  let kubernetes: FakeKubernetesServer;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'no-server-paths-'));
    repo = initEnvironmentRepository(tmp, dev);
    // An open change of dev: a cache more, on its change branch.
    git(repo, 'checkout', '-q', '-b', 'epicshelter/dev');
    writeEnvironment(
      repo,
      parseEnvironmentSpec({
        ...devDocument,
        resources: {
          ...devDocument.resources,
          caches: [...devDocument.resources.caches, { name: 'sessions' }],
        },
      }),
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'Add a cache to dev');
    git(repo, 'checkout', '-q', 'main');
    argocd = await startFakeArgoCd({
      instances: ['local'],
      gitopsRepo: repo,
      gitopsRepoUrl: `local:${path.basename(repo)}`,
    });
    kubernetes = await startFakeKubernetes({ objects: demoObjects('dev') });
  });
  afterAll(async () => {
    await argocd?.stop();
    await kubernetes?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /**
   * The three backends on the GitOps repository `repository`, with dev and
   * orders-api in the catalog; `get` calls a route as a user and keeps
   * its answer in `answers`.
   */
  async function startPortal(repository: string) {
    const { server: backend } = await startTestBackend({
      features: [
        environmentsPlugin,
        argocdPlugin,
        crossplanePlugin,
        catalogServiceMock.factory({
          entities: [
            ...environmentEntities(dev, {
              kind: 'local',
              location: repo,
              branch: 'main',
              branchPrefix: 'epicshelter/',
            }),
            ordersApi,
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        mockServices.rootConfig.factory({
          data: {
            gitops: { repository },
            argocd: {
              sandbox: true,
              username: 'admin',
              password: 'password',
              instances: [{ name: 'local', url: argocd.url('local') }],
              prefetch: { enabled: false },
              watch: { enabled: false },
            },
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sandbox',
                      url: kubernetes.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'sandbox',
                    },
                  ],
                },
              ],
            },
            crossplane: { sandbox: true, watch: { enabled: false } },
          },
        }),
      ],
    });
    const answers: { route: string; status: number; text: string }[] = [];
    const get = async (route: string, query: Record<string, string> = {}) => {
      const res = await request(backend)
        .get(route)
        .query(query)
        .set('authorization', mockCredentials.user.header());
      answers.push({ route, status: res.status, text: res.text });
      return res;
    };

    return { get, answers };
  }

  /** The answers that name a server path, with the paths they name. */
  const leaksIn = (answers: { route: string; text: string }[]) =>
    answers
      .map(a => ({ route: a.route, leaks: serverPathsIn(a.text, tmp) }))
      .filter(a => a.leaks.length > 0);

  it('answers every GET route for an environment and a component without a server path', async () => {
    const { get, answers } = await startPortal(repo);
    const head = git(repo, 'rev-parse', 'HEAD');
    for (const route of [
      '/environments/dev/deployments',
      '/environments/dev/lifecycle',
      '/environments/dev/decommission',
      '/environments/dev/status',
      '/environments/dev/workloads',
      '/apps',
      '/repositories',
      '/matrix',
      `/commits/${head}`,
    ]) {
      expect((await get(`/api/environments${route}`)).status).toBe(200);
    }

    // What the pages show when the thing asked for is not there.
    for (const route of [
      `/commits/${'0'.repeat(40)}`,
      '/commits/abc1234',
      '/environments/gone/deployments',
      '/environments/gone/lifecycle',
      '/environments/gone/decommission',
      '/environments/gone/status',
      '/environments/gone/workloads',
    ]) {
      await get(`/api/environments${route}`);
    }

    for (const entity of [
      'resource/default/dev',
      'component/default/orders-api',
    ]) {
      const apps = await get(
        `/api/epicshelter-argocd/entities/${entity}/applications`,
      );
      for (const app of apps.body.items ?? []) {
        const appPath = `/api/epicshelter-argocd/entities/${entity}/instances/${app.instance}/applications/${app.name}`;
        for (const suffix of ['', '/resource-tree', '/history']) {
          await get(`${appPath}${suffix}`, { appNamespace: app.namespace });
        }
      }

      const crossplane = `/api/epicshelter-crossplane/entity/${entity}`;
      const resources = await get(`${crossplane}/resources`);
      await get(`${crossplane}/events`);
      for (const node of nodeIds(resources.body)) {
        await get(`${crossplane}/yaml`, { node });
        await get(`${crossplane}/events`, { node });
      }
    }

    // The sweep read real data: the environment, its commit, applications
    // and Crossplane nodes of both entities.
    const ok = (prefix: string) =>
      answers.filter(a => a.route.startsWith(prefix) && a.status === 200)
        .length;
    const lifecycle = answers.find(a => a.route.endsWith('/dev/lifecycle'))!;
    expect(JSON.parse(lifecycle.text).steps[0].url).toBe(
      '/create/tasks/task-1',
    );
    const deployments = answers.find(a => a.route.endsWith('/deployments'))!;
    expect(JSON.parse(deployments.text).items.length).toBeGreaterThanOrEqual(2);
    expect(ok('/api/epicshelter-argocd/entities/resource')).toBeGreaterThan(3);
    expect(ok('/api/epicshelter-argocd/entities/component')).toBeGreaterThan(3);
    expect(ok('/api/epicshelter-crossplane/entity/resource')).toBeGreaterThan(
      4,
    );
    expect(ok('/api/epicshelter-crossplane/entity/component')).toBeGreaterThan(
      4,
    );

    expect(leaksIn(answers)).toEqual([]);
  });

  it('says a local repository does not exist yet without naming its path (a new portal)', async () => {
    const { get, answers } = await startPortal(path.join(tmp, 'not-yet'));
    for (const route of [
      '/environments/dev/deployments',
      '/environments/dev/lifecycle',
      '/environments/dev/decommission',
      '/environments/dev/status',
      '/environments/dev/workloads',
      '/apps',
      '/matrix',
      `/commits/${git(repo, 'rev-parse', 'HEAD')}`,
    ]) {
      await get(`/api/environments${route}`);
    }
    await get(
      '/api/epicshelter-crossplane/entity/resource/default/dev/resources',
    );
    // The pages say why: the repository is named by its folder.
    const apps = answers.find(a => a.route.endsWith('/apps'))!;
    expect(JSON.parse(apps.text).error.message).toBe(
      'GitOps repository not-yet does not exist yet; it is created when the first environment is published',
    );
    expect(leaksIn(answers)).toEqual([]);
  });
});
