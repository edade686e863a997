import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import type {
  ApplicationSummary,
  EntityApplicationsResponse,
} from '@epicshelter/plugin-argocd-common';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import { parseEnvironmentSpec } from '@epicshelter/plugin-gitops-common';
import { startScheduledEnvironmentsBackend } from '../__testUtils__/scheduledBackend';
import { INCIDENT_TASK_ID } from './scheduleIncidentNotifications';

jest.setTimeout(30_000);

const server = setupServer();

// An environment as the catalog provider emits it; its owner written short.
const spec = parseEnvironmentSpec({
  name: 'dev',
  owner: 'team-a',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api'],
});
const entities = environmentEntities(spec, {
  kind: 'local',
  location: '/srv/gitops',
  branch: 'main',
  branchPrefix: 'epicshelter/',
});

/** An application of the environment as the argocd plugin lists it. */
const application = (
  name: string,
  layer: ApplicationSummary['layer'],
  health: Pick<ApplicationSummary, 'healthStatus' | 'healthMessage'>,
): ApplicationSummary => ({
  instance: 'local',
  name,
  namespace: 'argocd',
  project: 'default',
  labels: { 'epicshelter.io/environment': 'dev' },
  environment: 'dev',
  layer,
  sources: [],
  multiSource: false,
  conditions: [],
  syncStatus: 'Synced',
  ...health,
});

/**
 * The plugin schedules one global incident check; it reads the verdicts the
 * backend computes from Argo CD (here a fake argocd plugin whose workloads
 * application goes Degraded, then Healthy) and notifies the owner once per
 * incident and once at its recovery.
 */
describe('incident notifications in the environments backend', () => {
  registerMswTestHooks(server);

  async function start(notifications: object = {}) {
    let workloadsHealth: Pick<
      ApplicationSummary,
      'healthStatus' | 'healthMessage'
    > = { healthStatus: 'Healthy' };
    server.use(
      http.get(
        /^http:\/\/localhost:\d+\/api\/epicshelter-argocd\/entities\/resource\/default\/dev\/applications$/,
        () =>
          HttpResponse.json<EntityApplicationsResponse>({
            items: [
              application('dev-workloads', 'workloads', workloadsHealth),
              application('dev-infrastructure', 'infrastructure', {
                healthStatus: 'Healthy',
              }),
            ],
            instances: [{ name: 'local', status: 'ok', sandbox: false }],
            sandbox: false,
            canAct: false,
          }),
      ),
      // No crossplane plugin in this portal.
      http.get(
        /^http:\/\/localhost:\d+\/api\/epicshelter-crossplane\//,
        () => new HttpResponse(null, { status: 404 }),
      ),
      http.get(/^http:\/\/localhost:\d+\/api\/scaffolder\/v2\/tasks/, () =>
        HttpResponse.json({ tasks: [], totalTasks: 0 }),
      ),
    );
    const { tasks, sent, run } = await startScheduledEnvironmentsBackend({
      entities,
      config: { epicshelter: { environments: { notifications } } },
    });
    const task = tasks.find(t => t.id === INCIDENT_TASK_ID);
    return {
      task,
      run: () => run(INCIDENT_TASK_ID),
      sent,
      setHealth: (h: typeof workloadsHealth) => {
        workloadsHealth = h;
      },
    };
  }

  it('notifies the owner once when an application is Degraded and once when it recovers', async () => {
    const { task, run, sent, setHealth } = await start({ checkEvery: '2m' });
    expect(task).toMatchObject({
      scope: 'global',
      frequency: { milliseconds: 120_000 },
    });

    await run(); // healthy: nothing to say
    setHealth({
      healthStatus: 'Degraded',
      healthMessage: 'Deployment orders-api exceeded its progress deadline',
    });
    await run();
    await run(); // still Degraded: no second notification
    setHealth({ healthStatus: 'Healthy' });
    await run();
    await run();

    expect(sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'group:default/team-a' },
        payload: expect.objectContaining({
          title: 'Environment dev: an Argo CD application is Degraded',
          description:
            'dev-workloads on Argo CD instance local is Degraded: Deployment orders-api exceeded its progress deadline.',
          link: '/catalog/default/resource/dev',
          severity: 'high',
        }),
      },
      {
        recipients: { type: 'entity', entityRef: 'group:default/team-a' },
        payload: expect.objectContaining({
          title:
            'Environment dev recovered: its Argo CD applications are no longer Degraded',
          link: '/catalog/default/resource/dev',
          severity: 'normal',
        }),
      },
    ]);
  });

  it('schedules nothing when disabled', async () => {
    const { task } = await start({ enabled: false });
    expect(task).toBeUndefined();
  });

  it('refuses a bad setting at start-up, naming it', async () => {
    await expect(start({ crossplaneGracePeriod: 'soon' })).rejects.toThrow(
      'epicshelter.environments.notifications.crossplaneGracePeriod: "soon" is not a whole number',
    );
  });
});
