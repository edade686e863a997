import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  FakeKubernetesServer,
  KUBERNETES_TAB_TYPES,
  blueprintPlatformObjects,
  followGitOpsRepository,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { crossplanePlugin } from './plugin';

jest.setTimeout(60_000);

const TOKEN = 'sandbox-token';

/** What the gitops catalog provider gives an environment. */
const review = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'review',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'review' },
  },
  spec: { type: 'environment', owner: 'group:default/team-a' },
};

function git(cwd: string, ...args: string[]) {
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd },
  );
}

describe('POST /entity-snapshots/resources (an entity the catalog dropped)', () => {
  let dir: string;
  let fake: FakeKubernetesServer;
  let stop: () => void = () => undefined;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossplane-snapshot-'));
    git(dir, 'init', '-q', '-b', 'main');
    for (const [p, content] of Object.entries(
      generateEnvironment(
        parseEnvironmentSpec({
          name: 'review',
          owner: 'group:default/team-a',
          target: 'local',
          provider: 'local',
          workloads: ['storefront'],
          resources: { databases: [{ name: 'orders-db', engine: 'postgres' }] },
        }),
      ),
    )) {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), content);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'Add environment review');
    fake = await startFakeKubernetes({
      port: 0,
      objects: blueprintPlatformObjects(),
      extraTypes: KUBERNETES_TAB_TYPES,
      token: TOKEN,
    });
    stop = followGitOpsRepository(fake, {
      dir,
      appearAfterMs: 0,
      readyAfterMs: 0,
      pollMs: 50,
    });
  });
  afterEach(async () => {
    stop();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function backend(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const { server } = await startTestBackend({
      features: [
        crossplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'sandbox',
                      url: fake.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: TOKEN,
                    },
                  ],
                },
              ],
            },
            // no tree cache: every answer is the cluster's
            crossplane: {
              sandbox: true,
              watch: { enabled: false },
              cacheTtlSeconds: 0,
            },
            gitops: { repository: dir },
          },
        }),
        // the catalog no longer holds the environment
        catalogServiceMock.factory({ entities: [] }),
        mockServices.permissions.factory({ result }),
      ],
    });
    return (credentials: string, body: unknown = { entity: review }) =>
      request(server)
        .post('/api/epicshelter-crossplane/entity-snapshots/resources')
        .set('authorization', credentials)
        .send(body as object);
  }
  const asService = mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:environments'),
    targetPluginId: 'epicshelter-crossplane',
  });
  const composites = (res: request.Response): string[] =>
    res.body.clusters
      .flatMap((c: { nodes: Array<{ role: string; name: string }> }) =>
        c.nodes.filter(n => n.role === 'composite').map(n => n.name),
      )
      .sort();

  it('follows the resources of a removed environment until they are deleted', async () => {
    const post = await backend();
    let res = await post(asService);
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!done() && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 200));
        res = await post(asService);
      }
    };
    await until(() => composites(res).includes('review-orders-db'));
    expect(res.status).toBe(200);
    expect(composites(res)).toContain('review-orders-db');
    expect(res.body.yamlAllowed).toBe(false);

    git(dir, 'rm', '-qr', 'environments/review');
    git(dir, 'commit', '-qm', 'Environment review: decommission');
    const deleting = () =>
      res.body.clusters.some(
        (c: { nodes: Array<{ deletionTimestamp?: string }> }) =>
          c.nodes.some(n => n.deletionTimestamp),
      );
    await until(deleting);
    expect(deleting()).toBe(true);
    await until(() => composites(res).length === 0);
    expect(res.status).toBe(200);
    expect(composites(res)).toEqual([]);
  });

  it('answers only backend plugins, with the read permission, about a valid snapshot', async () => {
    let post = await backend();
    expect((await post(mockCredentials.user.header())).status).toBe(403);
    const invalid = await post(asService, { entity: { kind: 'Resource' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/^Invalid entity snapshot: /);
    post = await backend(AuthorizeResult.DENY);
    const denied = await post(asService);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'Not allowed to read Crossplane resources of resource:default/review',
    );
  });
});
