import fs from 'node:fs';
import os from 'node:os';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  ARGOCD_APPLICATION_EVENT_TOPIC,
  ApplicationSummary,
  ArgoCdApplicationChangedEvent,
  EntityApplicationsResponse,
} from '@epicshelter/plugin-argocd-common';
import { CROSSPLANE_RESOURCE_EVENT_TOPIC } from '@epicshelter/plugin-crossplane-common';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import {
  EnvironmentSpec,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  git,
  initEnvironmentRepository,
  writeEnvironment,
} from '../__testUtils__/environmentRepository';
import { startScheduledEnvironmentsBackend } from '../__testUtils__/scheduledBackend';

jest.setTimeout(30_000);

const SECRET = 'webhook-secret-for-tests';

const server = setupServer(
  // supertest's requests to the test backend itself
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);

const environment = (name: string): EnvironmentSpec =>
  parseEnvironmentSpec({
    name,
    owner: 'group:default/team-a',
    target: 'local',
    provider: 'local',
    workloads: ['orders-api'],
  });

/** An application of an environment as the argocd plugin lists it. */
const application = (
  env: string,
  layer: 'workloads' | 'infrastructure',
  healthStatus: string,
): ApplicationSummary => ({
  instance: 'local',
  name: `${env}-${layer}`,
  namespace: 'argocd',
  project: 'default',
  labels: { 'epicshelter.io/environment': env },
  environment: env,
  layer,
  sources: [],
  multiSource: false,
  conditions: [],
  syncStatus: 'Synced',
  healthStatus,
});

/** What argocd-backend's watch publishes when an application changes. */
const changed = (
  name: string,
  healthStatus: string,
): ArgoCdApplicationChangedEvent => ({
  type: 'MODIFIED',
  instance: 'local',
  namespace: 'argocd',
  name,
  labels: {},
  syncStatus: 'Synced',
  healthStatus,
});

/** Resolves once `done()` holds, polling; fails after 5 s. */
async function eventually(done: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise(r => setTimeout(r, 10));
  }
}

/**
 * The environments backend reacting to live changes: argocd-backend's and
 * crossplane-backend's change events on the events service (here one
 * in-process events service shared by the test and the plugin), and Argo CD
 * Notifications webhooks. The scheduled incident check is never run here:
 * whatever is notified, the live path notified it.
 */
describe('live changes in the environments backend', () => {
  registerMswTestHooks(server);
  let tmp: string;
  let repo: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(`${os.tmpdir()}/env-live-`);
    repo = initEnvironmentRepository(tmp, environment('dev'));
    writeEnvironment(repo, environment('staging'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'Environment staging');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function start(notifications: object = {}) {
    const health: Record<string, string> = {
      dev: 'Healthy',
      staging: 'Healthy',
    };
    const reads: Record<string, number> = { dev: 0, staging: 0 };
    server.use(
      http.get(
        '*/api/epicshelter-argocd/entities/resource/default/:env/applications',
        ({ params }) => {
          const env = params.env as string;
          reads[env]++;
          return HttpResponse.json<EntityApplicationsResponse>({
            items: [
              application(env, 'workloads', health[env]),
              application(env, 'infrastructure', 'Healthy'),
            ],
            instances: [{ name: 'local', status: 'ok', sandbox: false }],
            sandbox: false,
            canAct: false,
          });
        },
      ),
      http.get(
        '*/api/epicshelter-crossplane/*',
        () => new HttpResponse(null, { status: 404 }),
      ),
      http.get('*/api/scaffolder/v2/tasks', () =>
        HttpResponse.json({ tasks: [], totalTasks: 0 }),
      ),
    );
    const events = mockServices.events();
    const location = {
      kind: 'local' as const,
      location: repo,
      branch: 'main',
      branchPrefix: 'epicshelter/',
    };
    const backend = await startScheduledEnvironmentsBackend({
      entities: ['dev', 'staging'].flatMap(name =>
        environmentEntities(environment(name), location),
      ),
      config: {
        gitops: { repository: repo },
        epicshelter: {
          environments: {
            notifications: { liveCheckDelay: '20ms', ...notifications },
          },
        },
      },
      features: [
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
      ],
    });
    const publish = (topic: string, eventPayload: object) =>
      events.publish({ topic, eventPayload });
    const matrix = () =>
      request(backend.server)
        .get('/api/environments/matrix')
        .set('authorization', mockCredentials.user.header());
    return { ...backend, health, reads, publish, matrix };
  }

  it('forgets the cached snapshots of the changed environment only', async () => {
    const { reads, publish, matrix } = await start({ enabled: false });
    await matrix();
    await matrix();
    expect(reads).toEqual({ dev: 1, staging: 1 });

    await publish(
      ARGOCD_APPLICATION_EVENT_TOPIC,
      changed('dev-workloads', 'Degraded'),
    );
    await matrix();
    expect(reads).toEqual({ dev: 2, staging: 1 });

    // A Crossplane object of staging, labelled with its environment.
    await publish(CROSSPLANE_RESOURCE_EVENT_TOPIC, {
      type: 'MODIFIED',
      cluster: 'local',
      apiVersion: 'platform.epicshelter.io/v1alpha1',
      kind: 'Database',
      name: 'orders-db',
      namespace: 'staging',
      labels: { 'epicshelter.io/environment': 'staging' },
      ready: 'False',
    });
    await matrix();
    expect(reads).toEqual({ dev: 2, staging: 2 });
  });

  it('notifies the owner of a Degraded application and of its recovery within moments of the change events', async () => {
    const { health, reads, publish, sent, tasks } = await start();
    expect(tasks.map(t => t.id)).toContain(
      'environments:incident-notifications',
    );

    health.dev = 'Degraded';
    await publish(
      ARGOCD_APPLICATION_EVENT_TOPIC,
      changed('dev-workloads', 'Degraded'),
    );
    await eventually(() => sent.length === 1);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'group:default/team-a' },
      payload: {
        title: 'Environment dev: an Argo CD application is Degraded',
        link: '/catalog/default/resource/dev',
      },
    });
    // only the changed environment was read
    expect(reads.staging).toBe(0);

    health.dev = 'Healthy';
    await publish(
      ARGOCD_APPLICATION_EVENT_TOPIC,
      changed('dev-workloads', 'Healthy'),
    );
    await eventually(() => sent.length === 2);
    expect(sent[1].payload.title).toBe(
      'Environment dev recovered: its Argo CD applications are no longer Degraded',
    );
  });

  it('ignores changes of objects that belong to no environment', async () => {
    const { reads, publish, sent } = await start();
    await publish(
      ARGOCD_APPLICATION_EVENT_TOPIC,
      changed('argocd-self', 'Degraded'),
    );
    await new Promise(r => setTimeout(r, 100));
    expect(reads).toEqual({ dev: 0, staging: 0 });
    expect(sent).toEqual([]);
  });

  describe('Argo CD Notifications webhook', () => {
    const notification = {
      app: 'dev-workloads',
      namespace: 'argocd',
      instance: 'local',
      labels: { 'epicshelter.io/environment': 'dev' },
      health: 'Degraded',
      sync: 'Synced',
      operation: '',
    };
    const post = (
      target: Awaited<ReturnType<typeof start>>,
      body: object,
      authorization?: string,
    ) => {
      const req = request(target.server).post(
        '/api/environments/argocd-notifications',
      );
      return (
        authorization ? req.set('authorization', authorization) : req
      ).send(body);
    };

    it('takes a notification with the shared secret, without a Backstage token, down the same path', async () => {
      const started = await start({ argocdWebhook: { secret: SECRET } });
      started.health.dev = 'Degraded';
      const res = await post(started, notification, `Bearer ${SECRET}`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ environment: 'dev' });
      await eventually(() => started.sent.length === 1);
      expect(started.sent[0].payload.title).toBe(
        'Environment dev: an Argo CD application is Degraded',
      );
    });

    it('refuses a missing or wrong secret and a malformed body, doing nothing', async () => {
      const started = await start({ argocdWebhook: { secret: SECRET } });
      started.health.dev = 'Degraded';
      expect((await post(started, notification)).status).toBe(401);
      expect(
        (await post(started, notification, `Bearer ${SECRET}x`)).status,
      ).toBe(401);
      // a Backstage user token is not the secret
      expect(
        (await post(started, notification, mockCredentials.user.header()))
          .status,
      ).toBe(401);
      const bad = await post(
        started,
        { ...notification, health: 'Broken', app: 'Dev Workloads', extra: 1 },
        `Bearer ${SECRET}`,
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'Argo CD notification rejected, nothing done: unknown field(s) extra; app must be an application name; health must be one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown',
      );
      await new Promise(r => setTimeout(r, 100));
      expect(started.reads.dev).toBe(0);
      expect(started.sent).toEqual([]);
    });

    it('asks for the secret before reading the body, and refuses a body that is not JSON in a sentence', async () => {
      const started = await start({ argocdWebhook: { secret: SECRET } });
      const raw = (authorization?: string) => {
        const req = request(started.server)
          .post('/api/environments/argocd-notifications')
          .set('content-type', 'application/json');
        return (
          authorization ? req.set('authorization', authorization) : req
        ).send('{"app": ');
      };
      expect((await raw()).status).toBe(401);
      const bad = await raw(`Bearer ${SECRET}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(
        /^Argo CD notification rejected, nothing done: the body must be JSON of at most 64kb \(/,
      );
      expect(started.reads.dev).toBe(0);
    });

    it('does not exist without a configured secret', async () => {
      const started = await start();
      // Backstage asks for a token first; even with one, there is no route.
      expect(
        (await post(started, notification, `Bearer ${SECRET}`)).status,
      ).toBe(401);
      expect(
        (await post(started, notification, mockCredentials.user.header()))
          .status,
      ).toBe(404);
    });
  });
});
