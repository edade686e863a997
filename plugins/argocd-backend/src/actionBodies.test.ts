import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { fakeApplication } from './__testUtils__/applications';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

/**
 * Issue #12, point 2: action routes take application/json only and never
 * drop a field, so a dry run can never become a real sync.
 */
describe('action request bodies', () => {
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
  beforeEach(() => {
    fake.resetStats();
    const app = fake.applications('one')[0];
    delete app.operation;
    app.status!.operationState!.phase = 'Succeeded';
  });

  const upstreamSyncs = () =>
    fake.requests.filter(r => r.path === '/api/v1/applications/shop/sync');

  it.each([
    ['text/plain', 'text/plain', '{"dryRun":true}', '"text/plain"'],
    [
      'form-encoded',
      'application/x-www-form-urlencoded',
      'dryRun=true',
      '"application/x-www-form-urlencoded"',
    ],
    [
      'JSON-like but not JSON',
      'application/merge-patch+json',
      '{"dryRun":true}',
      '"application/merge-patch+json"',
    ],
  ])(
    'refuses a sync sent as %s with 415 and syncs nothing',
    async (_, type, body, named) => {
      const api = await startArgoCdBackend({ fake, entities });
      const res = await api
        .post(`${APP}/sync`)
        .set('content-type', type)
        .send(body);
      expect(res.status).toBe(415);
      expect(res.body.error.message).toBe(
        `The sync request must be sent as application/json, not ${named}; nothing was done`,
      );
      expect(upstreamSyncs()).toEqual([]);
    },
  );

  it('refuses a body without a content type with 415', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const req = api.post(`${APP}/sync`);
    // supertest would add a content type for a string body: write raw bytes.
    const res = await req
      .send(Buffer.from('{"dryRun":true}'))
      .unset('content-type');
    expect([res.status, res.body.error.message]).toEqual([
      415,
      'The sync request must be sent as application/json, not a body without a content type; nothing was done',
    ]);
    expect(upstreamSyncs()).toEqual([]);
  });

  it('refuses unknown fields with 400 naming them, on every action route', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const sync = await api
      .post(`${APP}/sync`)
      .send({ dryRun: true, dry_run: true });
    expect([sync.status, sync.body.error.message]).toEqual([
      400,
      'Invalid sync request: unknown field "dry_run"',
    ]);
    const refresh = await api
      .post(`${APP}/refresh`)
      .send({ type: 'hard', force: true });
    expect([refresh.status, refresh.body.error.message]).toEqual([
      400,
      'Invalid refresh request: unknown field "force"',
    ]);
    const terminate = await api.delete(`${APP}/operation`).send({ now: true });
    expect([terminate.status, terminate.body.error.message]).toEqual([
      400,
      'Invalid terminate request: unknown field "now"',
    ]);
    const typed = await api.post(`${APP}/sync`).send({ dryRun: 'yes' });
    expect(typed.status).toBe(400);
    expect(typed.body.error.message).toMatch(/^Invalid sync request: dryRun: /);
    const broken = await api
      .post(`${APP}/sync`)
      .set('content-type', 'application/json')
      .send('{"dryRun": tru');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(
      /^The sync request is not valid JSON: /,
    );
    expect(
      fake.requests.filter(r => r.path.startsWith('/api/v1/applications/')),
    ).toEqual([]);
  });

  it('passes a dry run to Argo CD as a dry run', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const res = await api
      .post(`${APP}/sync`)
      .send({ dryRun: true, prune: true });
    expect(res.status).toBe(200);
    expect(upstreamSyncs().map(r => r.body)).toEqual([
      { name: 'shop', appNamespace: 'argocd', prune: true, dryRun: true },
    ]);
    expect(fake.applications('one')[0].operation?.sync).toMatchObject({
      dryRun: true,
      prune: true,
    });
  });

  it('takes an action sent without a body with its defaults', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    expect((await api.delete(`${APP}/operation`)).status).toBe(409);
    // As browsers send it: a JSON content type and no body.
    const typedEmpty = await api
      .delete(`${APP}/operation`)
      .set('content-type', 'application/json');
    expect([typedEmpty.status, typedEmpty.body.error.message]).toEqual([
      409,
      'Argo CD instance "one": Unable to terminate operation. No operation is in progress',
    ]);
    const res = await api.post(`${APP}/refresh`);
    expect(res.status).toBe(200);
    expect(
      fake.requests.find(r => r.path === '/api/v1/applications/shop')?.query
        .refresh,
    ).toEqual(['normal']);
  });
});
