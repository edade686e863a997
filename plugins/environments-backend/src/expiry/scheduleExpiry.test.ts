import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { entitiesForEnvironmentFile } from '@epicshelter/plugin-catalog-backend-module-gitops';
import { startScheduledEnvironmentsBackend } from '../__testUtils__/scheduledBackend';
import { EXPIRY_TASK_ID } from './scheduleExpiry';

const server = setupServer();

// An expired environment as the catalog provider emits it from its file.
const expired = parseEnvironmentSpec({
  name: 'preview',
  owner: 'group:default/team-a',
  target: 'local',
  provider: 'local',
  expiry: { ttl: '4h', expiresAt: '2026-01-01T00:00:00.000Z' },
});
const { entities } = entitiesForEnvironmentFile(
  'preview',
  generateEnvironment(expired)['environments/preview/environment.yaml'],
  {
    kind: 'local',
    location: '/srv/gitops',
    branch: 'main',
    branchPrefix: 'epicshelter/',
    argoCdUrls: [],
  },
);

/**
 * The plugin schedules one global expiry task; running it starts the
 * decommission template through the scaffolder REST API and notifies the
 * owner, once.
 */
describe('environment expiry in the environments backend', () => {
  registerMswTestHooks(server);

  async function start(ttl: object = {}) {
    const scaffolderCalls: Array<{ body: unknown; auth: string | null }> = [];
    server.use(
      http.post(
        // the test backend's discovery: its own random port
        /^http:\/\/localhost:\d+\/api\/scaffolder\/v2\/tasks$/,
        async ({ request }) => {
          scaffolderCalls.push({
            body: await request.json(),
            auth: request.headers.get('authorization'),
          });
          return HttpResponse.json({ id: 'task-1' }, { status: 201 });
        },
      ),
    );
    const { tasks, sent } = await startScheduledEnvironmentsBackend({
      entities,
      config: {
        // the incident check is a task of its own (notifications/)
        epicshelter: {
          environments: { ttl, notifications: { enabled: false } },
        },
      },
    });
    return { tasks, sent, scaffolderCalls };
  }

  it('schedules one global task that decommissions an expired environment once', async () => {
    const { tasks, sent, scaffolderCalls } = await start({ checkEvery: '2m' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: EXPIRY_TASK_ID,
      scope: 'global',
      frequency: { milliseconds: 120_000 },
    });
    await tasks[0].fn(new AbortController().signal);
    await tasks[0].fn(new AbortController().signal);
    expect(scaffolderCalls).toEqual([
      {
        body: {
          templateRef: 'template:default/decommission-environment',
          values: {
            environment: 'resource:default/preview',
            previewOnly: false,
            confirmation: 'preview',
          },
        },
        auth: expect.stringMatching(/^Bearer /),
      },
    ]);
    expect(sent).toEqual([
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: 'group:default/team-a' },
        payload: expect.objectContaining({
          title: 'Environment preview expired: decommission started',
          link: '/create/tasks/task-1',
        }),
      }),
    ]);
  });

  it('only notifies with onExpiry: notify', async () => {
    const { tasks, sent, scaffolderCalls } = await start({
      onExpiry: 'notify',
    });
    await tasks[0].fn(new AbortController().signal);
    expect(scaffolderCalls).toEqual([]);
    expect(sent.map(n => n.payload.title)).toEqual([
      'Environment preview has expired',
    ]);
  });

  it('refuses a bad setting at start-up, naming it', async () => {
    await expect(start({ checkEvery: 'often' })).rejects.toThrow(
      'epicshelter.environments.ttl.checkEvery: "often" is not a whole number',
    );
  });
});
