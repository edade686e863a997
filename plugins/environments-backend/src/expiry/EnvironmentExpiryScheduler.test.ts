import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { DEFAULT_TTL_POLICY } from '@epicshelter/plugin-environments-common';
import { EnvironmentExpiryScheduler } from './EnvironmentExpiryScheduler';
import { DatabaseExpiryEventStore, ExpiryEventStore } from './ExpiryEventStore';
import type { ExpiredEnvironmentDecommissioner } from './ScaffolderDecommissioner';

const environment = (
  name: string,
  owner: string,
  expiry?: { ttl: string; expiresAt: string },
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'environment',
    owner,
    environment: {
      target: 'local',
      provider: 'local',
      crossplaneApi: 'v2',
      workloads: [],
      resources: [],
      applications: {
        workloads: `${name}-workloads`,
        infrastructure: `${name}-infrastructure`,
      },
      ...(expiry ? { expiry } : {}),
    },
  },
});

const PREVIEW = environment('preview', 'group:default/team-a', {
  ttl: '1d',
  expiresAt: '2026-12-07T10:00:00.000Z',
});
const STAGING = environment('staging', 'group:default/platform-team');

describe('EnvironmentExpiryScheduler', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: ExpiryEventStore;
  let now: Date;
  let sent: NotificationSendOptions[];
  let decommissioned: string[];
  let failDecommission: boolean;

  const decommissioner: ExpiredEnvironmentDecommissioner = {
    async decommission(env) {
      if (failDecommission) throw new Error('scaffolder unavailable');
      decommissioned.push(env);
      return { taskId: `task-${env}`, url: `/create/tasks/task-${env}` };
    },
  };

  beforeEach(async () => {
    const knex = await databases.init('SQLITE_3');
    store = await DatabaseExpiryEventStore.create({
      getClient: async () => knex,
    });
    sent = [];
    decommissioned = [];
    failDecommission = false;
    now = new Date('2026-12-06T09:00:00.000Z');
  });

  const scheduler = (
    entities: Entity[] = [PREVIEW, STAGING],
    options: { decommission?: boolean; s?: ExpiryEventStore } = {},
  ) =>
    new EnvironmentExpiryScheduler({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      notifications: {
        async send(n) {
          sent.push(n);
        },
      },
      store: options.s ?? store,
      policy: DEFAULT_TTL_POLICY,
      logger: mockServices.logger.mock(),
      clock: () => now,
      decommissioner:
        options.decommission === false ? undefined : decommissioner,
    });

  it('does nothing before the first warning window', async () => {
    expect(await scheduler().run()).toEqual({ handled: [], failed: [] });
    expect(sent).toEqual([]);
  });

  it('warns the owner a day and an hour before, once each, then decommissions at expiry', async () => {
    const s = scheduler();
    const at = async (iso: string) => {
      now = new Date(iso);
      return (await s.run()).handled;
    };
    expect(await at('2026-12-06T10:00:00.000Z')).toEqual([
      'preview: warning 1d',
    ]);
    expect(await at('2026-12-06T12:00:00.000Z')).toEqual([]);
    expect(await at('2026-12-07T09:00:00.000Z')).toEqual([
      'preview: warning 1h',
    ]);
    expect(await at('2026-12-07T09:30:00.000Z')).toEqual([]);
    expect(await at('2026-12-07T10:00:00.000Z')).toEqual(['preview: expired']);
    expect(await at('2026-12-07T10:05:00.000Z')).toEqual([]);

    expect(decommissioned).toEqual(['preview']);
    expect(sent.map(n => n.recipients)).toEqual([
      { type: 'entity', entityRef: 'group:default/team-a' },
      { type: 'entity', entityRef: 'group:default/team-a' },
      { type: 'entity', entityRef: 'group:default/team-a' },
    ]);
    expect(sent.map(n => n.payload)).toEqual([
      {
        title: 'Environment preview expires in 24 hours',
        description:
          'Environment preview expires at 2026-12-07T10:00:00.000Z; then it will be decommissioned. Still need it? Extend it from its page (Extend).',
        link: '/catalog/default/resource/preview',
        severity: 'normal',
        topic: 'environment-expiry',
        scope: 'environment-expiry:preview:2026-12-07T10:00:00.000Z',
      },
      expect.objectContaining({
        title: 'Environment preview expires in 1 hour',
      }),
      {
        title: 'Environment preview expired: decommission started',
        description:
          'Environment preview expired at 2026-12-07T10:00:00.000Z. Its decommission change is being opened (task task-preview); follow it there.',
        link: '/create/tasks/task-preview',
        severity: 'high',
        topic: 'environment-expiry',
        scope: 'environment-expiry:preview:2026-12-07T10:00:00.000Z',
      },
    ]);
  });

  it('sends only the latest event when the backend missed the earlier ones', async () => {
    now = new Date('2026-12-07T09:45:00.000Z');
    expect((await scheduler().run()).handled).toEqual(['preview: warning 1h']);
    expect(sent).toHaveLength(1);
  });

  it('deduplicates across runners sharing the database', async () => {
    now = new Date('2026-12-07T10:00:00.000Z');
    const [a, b] = await Promise.all([scheduler().run(), scheduler().run()]);
    expect([...a.handled, ...b.handled]).toEqual(['preview: expired']);
    expect(decommissioned).toEqual(['preview']);
    expect(sent).toHaveLength(1);
  });

  it('starts afresh after an extension moved the expiry', async () => {
    now = new Date('2026-12-07T09:30:00.000Z');
    await scheduler().run();
    const extended = environment('preview', 'group:default/team-a', {
      ttl: '1d',
      expiresAt: '2026-12-08T10:00:00.000Z',
    });
    now = new Date('2026-12-08T09:30:00.000Z');
    expect((await scheduler([extended]).run()).handled).toEqual([
      'preview: warning 1h',
    ]);
    expect(sent).toHaveLength(2);
  });

  it('retries an expiry whose decommission could not be started, without notifying in between', async () => {
    now = new Date('2026-12-07T10:00:00.000Z');
    failDecommission = true;
    const first = await scheduler().run();
    expect(first).toEqual({
      handled: [],
      failed: ['preview: expired: scaffolder unavailable'],
    });
    expect(sent).toEqual([]);
    failDecommission = false;
    expect((await scheduler().run()).handled).toEqual(['preview: expired']);
    expect(decommissioned).toEqual(['preview']);
    expect(sent).toHaveLength(1);
  });

  it('notifies the full entity ref of an owner written short', async () => {
    now = new Date('2026-12-07T10:00:00.000Z');
    const short = environment('preview', 'team-a', {
      ttl: '1d',
      expiresAt: '2026-12-07T10:00:00.000Z',
    });
    await scheduler([short]).run();
    expect(sent.map(n => n.recipients)).toEqual([
      { type: 'entity', entityRef: 'group:default/team-a' },
    ]);
  });

  it('only notifies at expiry without a decommissioner', async () => {
    now = new Date('2026-12-07T10:00:00.000Z');
    await scheduler(undefined, { decommission: false }).run();
    expect(decommissioned).toEqual([]);
    expect(sent.map(n => n.payload.title)).toEqual([
      'Environment preview has expired',
    ]);
  });
});
