import { FakeArgoCd, startFakeArgoCd } from './server';
import { commitSha } from './data';
import { argoCdSwagger, readReferenceJson } from './swagger';
import { TestGitRepo } from './__testUtils__/gitRepo';

// Argo CD's own OpenAPI description and recorded payloads, vendored in
// reference/ (see reference/PROVENANCE.md).
const { operationFor, validator: validatorFor, errorsOf } = argoCdSwagger();
const readJson = readReferenceJson;

describe('fake Argo CD responses validate against Argo CD swagger.json', () => {
  let fake: FakeArgoCd;
  let base: string;
  let token: string;
  const seen = new Set<string>();

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: ['local'],
      staticTokens: ['static-token'],
    });
    base = fake.url('local');
  });
  afterAll(() => fake.stop());

  async function call(
    method: string,
    path: string,
    body?: unknown,
    auth = true,
  ): Promise<{ status: number; json: any }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(auth && token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json: any = await res.json();
    const { template, op } = operationFor(method, path.split('?')[0]);
    const response = op.responses[String(res.status)] ?? op.responses.default;
    const errors = errorsOf(response.schema.$ref, json);
    if (errors) {
      throw new Error(
        `${method} ${path} (${res.status}) does not match ${response.schema.$ref}: ${errors}`,
      );
    }
    seen.add(`${method} ${template} ${res.status === 200 ? 200 : 'error'}`);
    return { status: res.status, json };
  }

  it('serves every kind of response in the shape Argo CD documents', async () => {
    expect(
      (await call('GET', '/api/v1/applications', undefined, false)).status,
    ).toBe(401);
    expect(
      (
        await call('POST', '/api/v1/session', {
          username: 'admin',
          password: 'nope',
        })
      ).status,
    ).toBe(401);
    const login = await call('POST', '/api/v1/session', {
      username: 'admin',
      password: 'password',
    });
    token = login.json.token;
    expect(token.split('.')).toHaveLength(3);

    const list = await call('GET', '/api/v1/applications');
    expect(list.json.items.length).toBeGreaterThanOrEqual(8);
    const projected = await call(
      'GET',
      '/api/v1/applications?selector=app.kubernetes.io/name%3Dorders-api&fields=items.metadata.name,items.metadata.labels,items.status.sync.status,items.status.health',
    );
    expect(
      projected.json.items.map((a: any) => a.metadata.name).sort(),
    ).toEqual(['orders-api-dev', 'orders-api-staging']);
    expect(projected.json.items[0].spec).toBeUndefined();
    expect(
      (await call('GET', '/api/v1/applications?selector=in%20(')).status,
    ).toBe(400);

    for (const app of list.json.items) {
      const name = app.metadata.name;
      await call('GET', `/api/v1/applications/${name}`);
      await call('GET', `/api/v1/applications/${name}/resource-tree`);
      for (const h of app.status.history) {
        for (const rev of h.revisions ?? [h.revision]) {
          await call(
            'GET',
            `/api/v1/applications/${name}/revisions/${rev}/metadata`,
          );
        }
      }
    }
    await call('GET', '/api/v1/applications/dev-workloads?refresh=hard');
    expect((await call('GET', '/api/v1/applications/nope')).status).toBe(404);

    const synced = await call(
      'POST',
      '/api/v1/applications/dev-workloads/sync',
      {
        name: 'dev-workloads',
        prune: true,
        dryRun: false,
      },
    );
    expect(synced.json.status.operationState.phase).toBe('Running');
    expect(
      (await call('POST', '/api/v1/applications/dev-workloads/sync', {}))
        .status,
    ).toBe(400);
    await call('DELETE', '/api/v1/applications/dev-workloads/operation');
    expect(
      (await call('DELETE', '/api/v1/applications/dev-workloads/operation'))
        .status,
    ).toBe(409);

    const sets = await call('GET', '/api/v1/applicationsets');
    expect(sets.json.items.map((s: any) => s.metadata.name)).toContain(
      'environments',
    );
    await call('GET', '/api/v1/applicationsets/environments');
    expect(
      (
        await call(
          'GET',
          `/api/v1/applications/dev-workloads/revisions/${'0'.repeat(
            7,
          )}/metadata`,
        )
      ).status,
    ).toBe(404);

    token = 'static-token';
    expect(
      (await call('GET', '/api/v1/applications/dev-workloads')).status,
    ).toBe(200);

    fake.setInstanceMode('local', 'down');
    expect((await call('GET', '/api/v1/applications')).status).toBe(503);
    fake.setInstanceMode('local', 'up');

    expect([...seen].sort()).toEqual(
      [
        'DELETE /api/v1/applications/{name}/operation 200',
        'DELETE /api/v1/applications/{name}/operation error',
        'GET /api/v1/applications 200',
        'GET /api/v1/applications error',
        'GET /api/v1/applications/{applicationName}/resource-tree 200',
        'GET /api/v1/applications/{name} 200',
        'GET /api/v1/applications/{name} error',
        'GET /api/v1/applications/{name}/revisions/{revision}/metadata 200',
        'GET /api/v1/applications/{name}/revisions/{revision}/metadata error',
        'GET /api/v1/applicationsets 200',
        'GET /api/v1/applicationsets/{name} 200',
        'POST /api/v1/applications/{name}/sync 200',
        'POST /api/v1/applications/{name}/sync error',
        'POST /api/v1/session 200',
        'POST /api/v1/session error',
      ].sort(),
    );
  });

  it('validates the recorded Argo CD payload with the same strict schema', () => {
    // Guards the guard: a real payload passes, an invented field fails.
    const recorded = readJson('recorded/argocd-application-get.json');
    const validate = validatorFor('#/definitions/v1alpha1Application');
    validate(recorded);
    expect(validate.errors ?? []).toEqual([]);
    expect(
      validate({ ...recorded, status: { ...recorded.status, invented: 1 } }),
    ).toBe(false);
  });

  it('issues expiring session tokens and honours revocation', async () => {
    const res = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'password' }),
    });
    const { token: t } = await res.json();
    const claims = JSON.parse(
      Buffer.from(t.split('.')[1], 'base64url').toString(),
    );
    expect(claims.exp - claims.iat).toBe(3600);
    fake.revokeSessions();
    const after = await fetch(`${base}/api/v1/applications`, {
      headers: { authorization: `Bearer ${t}` },
    });
    expect(after.status).toBe(401);
    expect(commitSha(1)).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('fake Argo CD deploying a GitOps repository validates against swagger.json', () => {
  let repo: TestGitRepo;
  let fake: FakeArgoCd;

  beforeAll(async () => {
    repo = new TestGitRepo();
    repo.commit('Bootstrap the GitOps repository', { 'README.md': '# x\n' });
    repo.git('tag', 'v1.0.0');
    repo.commit('Add environment dev', { 'environments/dev/a.yaml': 'a\n' });
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
  });
  afterAll(async () => {
    await fake.stop();
    repo.remove();
  });

  it('serves real commits in the shape Argo CD documents', async () => {
    let checked = 0;
    const get = async (
      base: string,
      token: string,
      path: string,
    ): Promise<{ status: number; json: any }> => {
      const res = await fetch(`${base}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const json: any = await res.json();
      const { op } = operationFor('GET', path);
      const response = op.responses[String(res.status)] ?? op.responses.default;
      const errors = errorsOf(response.schema.$ref, json);
      if (errors) {
        throw new Error(
          `GET ${path} (${res.status}) does not match ${response.schema.$ref}: ${errors}`,
        );
      }
      checked++;
      return { status: res.status, json };
    };
    for (const instance of fake.instanceNames) {
      const base = fake.url(instance);
      const session = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        body: JSON.stringify({ username: 'admin', password: 'password' }),
      });
      const { token } = await session.json();
      const list = await get(base, token, '/api/v1/applications');
      await get(base, token, '/api/v1/applicationsets');
      for (const app of list.json.items) {
        await get(base, token, `/api/v1/applications/${app.metadata.name}`);
        for (const h of app.status.history) {
          const sha = h.revisions ? h.revisions[1] : h.revision;
          const meta = await get(
            base,
            token,
            `/api/v1/applications/${app.metadata.name}/revisions/${sha}/metadata`,
          );
          expect(meta.status).toBe(200);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
