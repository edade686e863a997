import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { argoCdError, readArgoCdError } from './errors';
import { fakeApplication } from './__testUtils__/applications';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

describe('readArgoCdError', () => {
  it.each([
    [
      'flat grpc-gateway body',
      {
        code: 9,
        error: 'another operation is already in progress',
        message: 'another operation is already in progress',
        details: [],
      },
      { code: 9, message: 'another operation is already in progress' },
    ],
    [
      'nested under error',
      { error: { code: 7, message: 'permission denied: applications, sync' } },
      { code: 7, message: 'permission denied: applications, sync' },
    ],
    [
      'details with field violations',
      {
        code: 3,
        message: 'invalid request',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: [
              { field: 'revision', description: 'unknown revision' },
            ],
          },
        ],
      },
      { code: 3, message: 'invalid request; revision: unknown revision' },
    ],
    [
      'objects where text was expected',
      { code: 13, message: { nested: true }, error: 'rpc error: internal' },
      { code: 13, message: 'rpc error: internal' },
    ],
    [
      'plain text',
      'upstream connect error',
      { message: 'upstream connect error' },
    ],
    [
      'nothing readable',
      { message: {} },
      { code: undefined, message: undefined },
    ],
  ])('reads %s', (_, body, expected) => {
    expect(readArgoCdError(body)).toEqual(expected);
  });
});

describe('argoCdError', () => {
  const statusOf = (e: Error) =>
    (e as { statusCode?: number }).statusCode ??
    {
      InputError: 400,
      NotAllowedError: 403,
      NotFoundError: 404,
      ConflictError: 409,
      NotImplementedError: 501,
      ServiceUnavailableError: 503,
    }[e.name];

  it.each([
    [400, { code: 3, message: 'bad' }, 400],
    [
      400,
      { code: 9, message: 'another operation is already in progress' },
      409,
    ],
    [404, { code: 5, message: 'applications.argoproj.io "x" not found' }, 404],
    [403, { code: 7, message: 'permission denied' }, 403],
    [401, { code: 16, message: 'invalid session' }, 502],
    [503, { code: 14, message: 'connection refused' }, 503],
    [409, { code: 6, message: 'exists' }, 409],
    [500, { code: 13, message: 'rpc error' }, 502],
    [501, { code: 12, message: 'not implemented' }, 501],
    [504, 'gateway timeout', 503],
    [502, '<html><body>Bad gateway</body></html>', 502],
  ])('HTTP %s with %j becomes %s', (status, body, expected) => {
    const error = argoCdError({
      instance: 'one',
      status,
      body,
      what: 'GET /x',
    });
    expect(statusOf(error)).toBe(expected);
    expect(error.message).toContain('Argo CD instance "one"');
    expect(error.message).not.toContain('[object Object]');
  });
});

describe('Argo CD errors through the routes', () => {
  let fake: FakeArgoCd;
  const entities = [
    component('shop', {
      'argocd/app-name': 'shop',
      'argocd/instance-name': 'one',
    }),
  ];
  const APP =
    '/entities/component/default/shop/instances/one/applications/shop';

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: [{ name: 'one', applications: [fakeApplication('shop')] }],
    });
  });
  afterAll(() => fake.stop());

  it('passes Argo CD’s own message on with the status its grpc code means', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const cases = [
      {
        status: 400,
        body: {
          code: 9,
          error: 'another operation is already in progress',
          message: 'another operation is already in progress',
          details: [],
        },
        expected: [
          409,
          'Argo CD instance "one": another operation is already in progress',
        ],
      },
      {
        status: 403,
        body: {
          error: {
            code: 7,
            message:
              'permission denied: applications, sync, default/shop, sub: portal',
          },
        },
        expected: [
          403,
          'Argo CD instance "one" denied the portal\'s account POST /one/api/v1/applications/shop/sync: permission denied: applications, sync, default/shop, sub: portal; ask the platform team to grant it in Argo CD\'s RBAC',
        ],
      },
      {
        status: 400,
        body: { code: 3, message: 'revision nope not found' },
        expected: [400, 'Argo CD instance "one": revision nope not found'],
      },
    ];
    for (const c of cases) {
      const stop = fake.failWith('one', {
        method: 'POST',
        path: '/api/v1/applications/shop/sync',
        status: c.status,
        body: c.body,
      });
      const res = await api.post(`${APP}/sync`).send({});
      stop();
      expect([res.status, res.body.error.message]).toEqual(c.expected);
    }
  });

  it('answers 503 naming an instance that is down or unreachable, not 404', async () => {
    const api = await startArgoCdBackend({
      fake,
      entities,
      argocd: { listCacheTtlSeconds: 0 },
    });
    fake.setInstanceMode('one', 'down');
    try {
      const res = await api.get(`${APP}/history`);
      expect([res.status, res.body.error.message]).toEqual([
        503,
        'Argo CD instance "one" is unavailable: connection refused (HTTP 503)',
      ]);
    } finally {
      fake.setInstanceMode('one', 'up');
    }
    const closed = await startArgoCdBackend({
      fake,
      entities,
      argocd: {
        instances: [{ name: 'one', url: 'http://127.0.0.1:9' }],
      },
    });
    const res = await closed.post(`${APP}/refresh`).send({});
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /^Argo CD instance "one" is unreachable: /,
    );
  });
});
