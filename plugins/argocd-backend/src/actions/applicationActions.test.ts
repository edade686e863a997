import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { mockCredentials } from '@backstage/backend-test-utils';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import request from 'supertest';
import { fakeApplication } from '../__testUtils__/applications';
import {
  OWNER,
  component,
  ownerMayActPermissions,
  startArgoCdBackend,
} from '../__testUtils__/testBackend';
import { argocdApplicationToolsPermission } from '@epicshelter/plugin-argocd-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionsService } from '@backstage/backend-plugin-api';

type AuditRecord = {
  eventId: string;
  meta?: Record<string, unknown>;
  outcome?: 'success' | 'fail';
  failMeta?: Record<string, unknown>;
  error?: string;
};

/** An auditor that keeps every event. */
function capturingAuditor(records: AuditRecord[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent(options) {
        const record: AuditRecord = {
          eventId: options.eventId,
          meta: options.meta as Record<string, unknown>,
        };
        records.push(record);
        return {
          async success(o) {
            record.outcome = 'success';
            record.meta = { ...record.meta, ...o?.meta };
          },
          async fail(o) {
            record.outcome = 'fail';
            record.failMeta = o.meta as Record<string, unknown>;
            record.error = o.error.message;
          },
        };
      },
    }),
  });
}

/**
 * sync-application and refresh-application through the real actions
 * registry's HTTP API (what the MCP actions backend calls): the routes'
 * checks, Argo CD calls and audit events.
 */
describe('Argo CD actions of the actions registry', () => {
  let fake: FakeArgoCd;
  const audits: AuditRecord[] = [];
  const entities = [
    component('shop', { 'argocd/app-name': 'shop' }),
    component('cart', { 'argocd/app-name': 'cart' }),
  ];
  const ACTIONS = '/api/epicshelter-argocd/.backstage/actions/v1/actions';

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: [
        { name: 'one', applications: [fakeApplication('shop')] },
        {
          name: 'two',
          applications: [fakeApplication('cart')],
        },
        {
          name: 'three',
          applications: [fakeApplication('cart')],
        },
      ],
    });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    audits.length = 0;
    fake.resetStats();
  });

  const start = async () => {
    const { server } = await startArgoCdBackend({
      fake,
      entities,
      features: [actionsRegistryServiceFactory, capturingAuditor(audits)],
    });
    const invoke = (user: string, name: string, input: object) =>
      request(server)
        .post(
          `${ACTIONS}/${encodeURIComponent(
            `epicshelter-argocd:${name}`,
          )}/invoke`,
        )
        .set('authorization', mockCredentials.user.header(user))
        .send(input);
    return { server, invoke };
  };
  it('registers sync and refresh with truthful attributes', async () => {
    const { server } = await start();
    const res = await request(server)
      .get(ACTIONS)
      .set('authorization', mockCredentials.user.header(OWNER));
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      res.body.actions.map((a: any) => [a.name, a.attributes]),
    );
    expect(byName).toEqual({
      'sync-application': {
        readOnly: false,
        destructive: true,
        idempotent: false,
      },
      'refresh-application': {
        readOnly: false,
        destructive: false,
        idempotent: true,
      },
    });
  });

  it('hides both tools from a caller denied their visibility permission, and answers not found to a call', async () => {
    const NOBODY = 'user:default/nobody';
    // The policy's decision stood in for: nobody owns an entity with Argo CD applications.
    const authorize: PermissionsService['authorize'] = async (
      requests,
      options,
    ) => {
      const decisions = await ownerMayActPermissions.authorize!(
        requests,
        options,
      );
      return requests.map((r, i) =>
        r.permission.name === argocdApplicationToolsPermission.name &&
        (options.credentials.principal as { userEntityRef?: string })
          .userEntityRef === NOBODY
          ? { result: AuthorizeResult.DENY }
          : decisions[i],
      );
    };
    const { server } = await startArgoCdBackend({
      fake,
      entities,
      permissions: { authorize } as Partial<PermissionsService>,
      features: [actionsRegistryServiceFactory, capturingAuditor(audits)],
    });
    const list = (user: string) =>
      request(server)
        .get(ACTIONS)
        .set('authorization', mockCredentials.user.header(user));
    expect((await list(NOBODY)).body.actions).toEqual([]);
    expect(
      (await list(OWNER)).body.actions.map((a: { name: string }) => a.name),
    ).toEqual(['sync-application', 'refresh-application']);
    const res = await request(server)
      .post(`${ACTIONS}/epicshelter-argocd:sync-application/invoke`)
      .set('authorization', mockCredentials.user.header(NOBODY))
      .send({ entityRef: 'component:default/shop', application: 'shop' });
    expect(res.status).toBe(404);
    expect(fake.requests.filter(r => r.method === 'POST')).toEqual([]);
  });

  it("lets the owner sync an entity's application, finding its instance, audited with the actor", async () => {
    const { invoke } = await start();
    const res = await invoke(OWNER, 'sync-application', {
      entityRef: 'component:default/shop',
      application: 'shop',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      instance: 'one',
      application: 'shop',
      action: 'sync',
      syncStatus: expect.any(String),
    });
    const synced = fake.requests.filter(
      r => r.path === '/api/v1/applications/shop/sync',
    );
    expect(synced).toHaveLength(1);
    expect(audits).toEqual([
      expect.objectContaining({
        eventId: 'application-action',
        outcome: 'success',
        meta: expect.objectContaining({
          action: 'sync',
          actor: OWNER,
          entityRef: 'component:default/shop',
          instance: 'one',
          application: 'shop',
          dryRun: true,
        }),
      }),
    ]);
  });

  it('lets the owner refresh (hard)', async () => {
    const { invoke } = await start();
    const res = await invoke(OWNER, 'refresh-application', {
      entityRef: 'component:default/shop',
      application: 'shop',
      instance: 'one',
      type: 'hard',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      instance: 'one',
      application: 'shop',
      action: 'refresh',
    });
    expect(audits[0]).toMatchObject({
      outcome: 'success',
      meta: { action: 'refresh', refreshType: 'hard', actor: OWNER },
    });
  });

  it('refuses someone who does not own the entity, asks Argo CD nothing and audits the refusal', async () => {
    const { invoke } = await start();
    const res = await invoke('user:default/mallory', 'sync-application', {
      entityRef: 'component:default/shop',
      application: 'shop',
      instance: 'one',
    });
    expect([res.status, res.body.error.name, res.body.error.message]).toEqual([
      403,
      'NotAllowedError',
      'Only owners of component:default/shop may sync its Argo CD applications',
    ]);
    expect(fake.requests.filter(r => r.path.endsWith('/sync'))).toEqual([]);
    expect(audits).toEqual([
      expect.objectContaining({
        outcome: 'fail',
        failMeta: { refused: 'permission' },
        meta: expect.objectContaining({ actor: 'user:default/mallory' }),
      }),
    ]);
  });

  it('asks for the instance when the application is on several, and refuses one the entity does not have', async () => {
    const { invoke } = await start();
    const ambiguous = await invoke(OWNER, 'refresh-application', {
      entityRef: 'component:default/cart',
      application: 'cart',
    });
    expect([ambiguous.status, ambiguous.body.error.message]).toEqual([
      400,
      'component:default/cart has applications named "cart" on several Argo CD instances (two, three); say which with instance',
    ]);
    const foreign = await invoke(OWNER, 'refresh-application', {
      entityRef: 'component:default/cart',
      application: 'shop',
      instance: 'one',
    });
    expect(foreign.status).toBe(404);
    expect(audits.map(a => a.failMeta)).toEqual([
      { refused: 'ownership' },
      { refused: 'ownership' },
    ]);
  });
});
