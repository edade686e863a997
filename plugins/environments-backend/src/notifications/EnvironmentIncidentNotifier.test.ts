import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import {
  EnvironmentStatusInput,
  computeEnvironmentStatus,
} from '@epicshelter/plugin-environments-common';
import type { Knex } from 'knex';
import { EnvironmentIncidentNotifier } from './EnvironmentIncidentNotifier';
import { DatabaseIncidentStore } from './IncidentStore';
import type { OwnedEnvironmentStatus } from './statusSource';

const healthyApp = {
  instance: 'local',
  name: 'dev-workloads',
  layer: 'workloads' as const,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
};

const dev = (
  over: Partial<EnvironmentStatusInput> = {},
): OwnedEnvironmentStatus => ({
  environment: 'dev',
  owner: 'group:default/team-a',
  status: computeEnvironmentStatus({
    environment: 'dev',
    expectedApplications: ['dev-workloads'],
    applications: [healthyApp],
    resources: [],
    ...over,
  }),
});

const notReady = dev({
  resources: [
    {
      kind: 'Database',
      name: 'dev-db',
      status: 'failing',
      message: 'cannot connect to the provider',
    },
  ],
});
const degraded = dev({
  applications: [{ ...healthyApp, healthStatus: 'Degraded' }],
});

describe('EnvironmentIncidentNotifier', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let now: Date;
  let statuses: OwnedEnvironmentStatus[];
  let sent: NotificationSendOptions[];
  let failSend: boolean;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    now = new Date('2026-12-06T10:00:00.000Z');
    statuses = [dev()];
    sent = [];
    failSend = false;
  });

  const minutesLater = (m: number) => {
    now = new Date(now.getTime() + m * 60_000);
  };

  /** A notifier as one backend replica has it; replicas share the database. */
  const replica = async () =>
    new EnvironmentIncidentNotifier({
      source: {
        statuses: async names =>
          names
            ? statuses.filter(s => names.includes(s.environment))
            : statuses,
      },
      store: await DatabaseIncidentStore.create({
        getClient: async () => knex,
      }),
      notifications: {
        async send(n) {
          if (failSend) throw new Error('notifications backend unavailable');
          sent.push(n);
        },
      },
      logger: mockServices.logger.mock(),
      clock: () => now,
      resourceGraceMs: 10 * 60_000,
    });

  it('notifies a Crossplane resource only once it is not Ready for longer than the grace time', async () => {
    const notifier = await replica();
    statuses = [notReady];
    // seen now: due when the grace time ends, if it lasts
    expect((await notifier.run()).due).toEqual([
      { environment: 'dev', at: new Date('2026-12-06T10:10:00.000Z') },
    ]);
    minutesLater(5);
    await notifier.run();
    expect(sent).toEqual([]);
    minutesLater(6);
    expect((await notifier.run()).sent).toEqual([
      'dev: resource-not-ready opened',
    ]);
    minutesLater(1);
    await notifier.run();
    statuses = [dev()];
    minutesLater(1);
    expect((await notifier.run()).sent).toEqual([
      'dev: resource-not-ready recovered',
    ]);
    expect(sent.map(n => [n.recipients, n.payload.title])).toEqual([
      [
        { type: 'entity', entityRef: 'group:default/team-a' },
        'Environment dev: a Crossplane resource is not Ready',
      ],
      [
        { type: 'entity', entityRef: 'group:default/team-a' },
        'Environment dev recovered: its Crossplane resources are Ready',
      ],
    ]);
    expect(sent[0].payload.description).toBe(
      'Database dev-db is not ready: cannot connect to the provider.',
    );
  });

  it('checks only the named environments after a live change, leaving the others’ incidents to the full check', async () => {
    const notifier = await replica();
    const staging = { ...degraded, environment: 'staging' };
    statuses = [degraded, staging];
    await notifier.run({ environments: ['dev'] });
    expect(sent.map(n => n.payload.title)).toEqual([
      'Environment dev: an Argo CD application is Degraded',
    ]);
    // staging is gone from the source's answer for dev alone, yet its
    // incident (opened by a full check) is not forgotten by dev's check
    await notifier.run();
    statuses = [dev()];
    expect((await notifier.run({ environments: ['dev'] })).sent).toEqual([
      'dev: application-degraded recovered',
    ]);
    statuses = [dev(), staging];
    expect((await notifier.run()).sent).toEqual([]);
  });

  it('sends one notification per incident from two replicas', async () => {
    const [a, b] = [await replica(), await replica()];
    statuses = [degraded];
    await Promise.all([a.run(), b.run()]);
    await b.run();
    expect(sent.map(n => n.payload.title)).toEqual([
      'Environment dev: an Argo CD application is Degraded',
    ]);
    statuses = [dev()];
    await Promise.all([a.run(), b.run()]);
    expect(sent).toHaveLength(2);
  });

  it('retries a notification that could not be sent on the next run', async () => {
    const notifier = await replica();
    statuses = [degraded];
    failSend = true;
    expect((await notifier.run()).failed).toEqual([
      'dev: application-degraded opened: notifications backend unavailable',
    ]);
    failSend = false;
    await notifier.run();
    await notifier.run();
    statuses = [dev()];
    failSend = true;
    await notifier.run();
    failSend = false;
    await notifier.run();
    await notifier.run();
    expect(sent.map(n => n.payload.severity)).toEqual(['high', 'normal']);
  });

  it('forgets the incidents of an environment that is gone, without a recovery', async () => {
    const notifier = await replica();
    statuses = [degraded];
    await notifier.run();
    statuses = [];
    await notifier.run();
    statuses = [dev()];
    await notifier.run();
    expect(sent).toHaveLength(1);
  });
});
