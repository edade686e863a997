import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { startArgoCdBackend } from './__testUtils__/testBackend';

jest.setTimeout(60_000);

/** What the gitops catalog provider gives an environment (the locator reads the annotations). */
const review = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'review',
    namespace: 'default',
    annotations: {
      'argocd/app-selector': 'epicshelter.io/environment=review',
    },
  },
  spec: { type: 'environment', owner: 'group:default/team-a' },
};

const ENVIRONMENT_YAML = `apiVersion: epicshelter.io/v1alpha1
kind: Environment
metadata:
  name: review
spec:
  name: review
  owner: group:default/team-a
  target: local
  provider: local
  workloads: [storefront]
`;

function git(cwd: string, ...args: string[]) {
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd },
  );
}

describe('POST /entity-snapshots/applications (an entity the catalog dropped)', () => {
  let dir: string;
  let fake: FakeArgoCd;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argocd-snapshot-'));
    fs.mkdirSync(path.join(dir, 'environments/review'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'environments/review/environment.yaml'),
      ENVIRONMENT_YAML,
    );
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'Add environment review');
    fake = await startFakeArgoCd({ gitopsRepo: dir, instances: ['local'] });
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function backend(
    decision:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const { server } = await startArgoCdBackend({
      fake,
      // the catalog no longer holds the environment
      entities: [],
      argocd: { listCacheTtlSeconds: 0 },
      permissions: {
        authorize: async requests => requests.map(() => ({ result: decision })),
      },
    });
    return (credentials: string) =>
      request(server)
        .post('/api/epicshelter-argocd/entity-snapshots/applications')
        .set('authorization', credentials)
        .send({ entity: review });
  }
  const asService = mockCredentials.service.header({
    onBehalfOf: mockCredentials.service('plugin:environments'),
    targetPluginId: 'epicshelter-argocd',
  });
  const names = (res: request.Response) =>
    res.body.items.map((a: { name: string }) => a.name).sort();

  it('follows the applications of a removed environment as Argo CD prunes them', async () => {
    const post = await backend();
    let res = await post(asService);
    expect(res.status).toBe(200);
    expect(names(res)).toEqual(['review-infrastructure', 'review-workloads']);
    expect(res.body.canAct).toBe(false);

    git(dir, 'rm', '-qr', 'environments/review');
    git(dir, 'commit', '-qm', 'Environment review: decommission');
    res = await post(asService);
    expect(names(res)).toEqual(['review-infrastructure', 'review-workloads']);

    // the fake prunes them after a few seconds
    const until = Date.now() + 30_000;
    while (names(res).length > 0 && Date.now() < until) {
      await new Promise(r => setTimeout(r, 500));
      res = await post(asService);
    }
    expect(res.status).toBe(200);
    expect(names(res)).toEqual([]);
  });

  it('answers only backend plugins, and only with the read permission', async () => {
    let post = await backend();
    const user = await post(mockCredentials.user.header());
    expect(user.status).toBe(403);
    post = await backend(AuthorizeResult.DENY);
    const denied = await post(asService);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You may not read the Argo CD applications of resource:default/review',
    );
  });

  it('refuses a body that is not an entity snapshot', async () => {
    const { server } = await startArgoCdBackend({ fake, entities: [] });
    const res = await request(server)
      .post('/api/epicshelter-argocd/entity-snapshots/applications')
      .set('authorization', asService)
      .send({ entity: { kind: 'Resource' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Invalid entity snapshot: /);
  });
});
