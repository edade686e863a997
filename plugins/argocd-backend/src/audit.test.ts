import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { fakeApplication } from './__testUtils__/applications';
import {
  DEFAULT_RECORDED_LEVELS,
  LogRecord,
  capturingRootLogger,
} from './__testUtils__/capturingLogger';
import {
  OWNER,
  component,
  startArgoCdBackend,
} from './__testUtils__/testBackend';

/**
 * Issue #12, point 3: actions and refused requests are audit events that
 * Backstage's default auditor configuration records (its root logger writes
 * info and above; `low` events go to debug).
 */
describe('audit events', () => {
  let fake: FakeArgoCd;
  const records: LogRecord[] = [];
  const entities = [
    component('shop', {
      'argocd/app-name': 'shop',
      'argocd/instance-name': 'one',
    }),
    component('cart', { 'argocd/app-name': 'shop' }),
  ];
  const APP =
    '/entities/component/default/shop/instances/one/applications/shop';

  beforeAll(async () => {
    fake = await startFakeArgoCd({
      instances: [
        { name: 'one', applications: [fakeApplication('shop')] },
        { name: 'two', applications: [fakeApplication('shop')] },
      ],
    });
  });
  afterAll(() => fake.stop());

  const start = () =>
    startArgoCdBackend({
      fake,
      entities,
      features: [auditorServiceFactory, capturingRootLogger(records)],
    });

  /** Audit lines as the default configuration records them. */
  const recorded = () =>
    records
      .filter(
        r =>
          r.meta.isAuditEvent === true &&
          DEFAULT_RECORDED_LEVELS.includes(r.level),
      )
      .map(r => {
        const meta = r.meta.meta as Record<string, unknown>;
        return {
          event: r.message,
          status: r.meta.status,
          actor: (r.meta.actor as { actorId?: string }).actorId,
          severity: r.meta.severityLevel,
          entityRef: meta?.entityRef,
          instance: meta?.instance,
          application: meta?.application,
          action: meta?.action,
          refused: meta?.refused,
          refreshType: meta?.refreshType,
          dryRun: meta?.dryRun,
          error: (r.meta.error as Error | undefined)?.message,
        };
      });

  beforeEach(() => {
    records.length = 0;
  });

  it('records refresh (normal and hard), sync and terminate with actor, entity, instance and application', async () => {
    const api = await start();
    expect((await api.post(`${APP}/refresh`).send({})).status).toBe(200);
    expect(
      (await api.post(`${APP}/refresh`).send({ type: 'hard' })).status,
    ).toBe(200);
    expect((await api.post(`${APP}/sync`).send({ dryRun: true })).status).toBe(
      200,
    );
    expect((await api.delete(`${APP}/operation`)).status).toBe(200);
    const mine = {
      actor: OWNER,
      severity: 'medium',
      entityRef: 'component:default/shop',
      instance: 'one',
      application: 'shop',
    };
    expect(recorded()).toEqual([
      expect.objectContaining({
        event: 'epicshelter-argocd.application-action',
        status: 'initiated',
        action: 'refresh',
        ...mine,
      }),
      expect.objectContaining({
        status: 'succeeded',
        action: 'refresh',
        refreshType: 'normal',
        ...mine,
      }),
      expect.objectContaining({
        status: 'initiated',
        action: 'refresh',
        ...mine,
      }),
      expect.objectContaining({
        status: 'succeeded',
        action: 'refresh',
        refreshType: 'hard',
        ...mine,
      }),
      expect.objectContaining({ status: 'initiated', action: 'sync', ...mine }),
      expect.objectContaining({
        status: 'succeeded',
        action: 'sync',
        dryRun: true,
        ...mine,
      }),
      expect.objectContaining({
        status: 'initiated',
        action: 'terminate',
        ...mine,
      }),
      expect.objectContaining({
        status: 'succeeded',
        action: 'terminate',
        ...mine,
      }),
    ]);
  });

  it('records actions refused by validation, permission and ownership, and failed upstream', async () => {
    const api = await start();
    await api
      .post(`${APP}/sync`)
      .set('content-type', 'text/plain')
      .send('{"dryRun":true}');
    await api.as('user:default/someone-else').post(`${APP}/sync`).send({});
    await api
      .post(
        '/entities/component/default/shop/instances/two/applications/shop/refresh',
      )
      .send({});
    await api.delete(`${APP}/operation`); // nothing runs: Argo CD says 409
    const failed = recorded().filter(r => r.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        action: 'sync',
        refused: 'validation',
        actor: OWNER,
        error: expect.stringContaining('must be sent as application/json'),
      }),
      expect.objectContaining({
        action: 'sync',
        refused: 'permission',
        actor: 'user:default/someone-else',
        error:
          'Only owners of component:default/shop may sync its Argo CD applications',
      }),
      expect.objectContaining({
        action: 'refresh',
        refused: 'ownership',
        instance: 'two',
        error: expect.stringContaining(
          'argocd/instance-name annotation names "one"',
        ),
      }),
      expect.objectContaining({
        action: 'terminate',
        refused: undefined,
        error: expect.stringContaining('No operation is in progress'),
      }),
    ]);
    expect(failed.every(f => f.severity === 'medium')).toBe(true);
  });

  it('records reads refused by validation (an unknown instance too), permission or ownership, not successful reads', async () => {
    const api = await start();
    await api.get(`${APP}`);
    await api.get(
      '/entities/component/default/shop/instances/two/applications/shop/history',
    );
    await api.get(`${APP}/resource-tree?appNamespace=team-x`);
    await api.get(`${APP}?unknown=1`);
    await api.get(
      '/entities/component/default/cart/instances/three/applications/shop',
    );
    const denied = await startArgoCdBackend({
      fake,
      entities,
      features: [auditorServiceFactory, capturingRootLogger(records)],
      permissions: {
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.DENY })),
      },
    });
    await denied.get(`${APP}/history`);
    const failed = recorded().filter(r => r.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({
        event: 'epicshelter-argocd.request-refused',
        refused: 'ownership',
        instance: 'two',
        actor: OWNER,
      }),
      expect.objectContaining({
        event: 'epicshelter-argocd.request-refused',
        refused: 'ownership',
        error: expect.stringContaining('in namespace "team-x"'),
      }),
      expect.objectContaining({
        event: 'epicshelter-argocd.request-refused',
        refused: 'validation',
        error: expect.stringContaining('unknown field "unknown"'),
      }),
      expect.objectContaining({
        event: 'epicshelter-argocd.request-refused',
        refused: 'validation',
        instance: 'three',
        error: expect.stringContaining(
          'No Argo CD instance named "three" is configured',
        ),
      }),
      expect.objectContaining({
        event: 'epicshelter-argocd.request-refused',
        refused: 'permission',
        error:
          'You may not read the Argo CD applications of component:default/shop',
      }),
    ]);
    // The successful read left no event: only the refusals' (initiated + failed).
    expect(recorded()).toHaveLength(2 * failed.length);
  });
});
