import path from 'node:path';
import request from 'supertest';
import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from './__testUtils__/localRepo';
import { platformFixture } from './__testUtils__/platformFixture';
import {
  TaskEvent,
  failureOf,
  lastMessages,
  waitForEntity,
} from './__testUtils__/scaffolderBackend';
import { startGitopsBackend } from './__testUtils__/gitopsBackend';
import {
  catalogFile,
  ephemeralEnvironmentEntity,
} from './__testUtils__/catalogEntities';

jest.setTimeout(180_000);

const OWNER = 'group:default/checkout-team';
const EXPIRED = { ttl: '4h', expiresAt: '2020-01-01T00:00:00.000Z' };
const LATER = { ttl: '4h', expiresAt: '2999-01-01T00:00:00.000Z' };
const ephemeral = (name: string, expiry: typeof EXPIRED) =>
  generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner: OWNER,
      target: 'local',
      provider: 'local',
      expiry,
    }),
  );

/** The token the environments backend sends to the scaffolder. */
const environmentsBackend = (subject = 'plugin:environments') => ({
  Authorization: mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'scaffolder',
  }),
});

/**
 * What the expiry scheduler of the environments backend does at expiry, end
 * to end in the scaffolder: `POST /api/scaffolder/v2/tasks` of the real
 * templates/decommission-environment as its service principal.
 */
describe('decommission of an expired environment by the environments backend', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...ephemeral('expired', EXPIRED),
      ...ephemeral('later', LATER),
    });
    server = await startGitopsBackend({ repository: repo }, [
      catalogFile(dir.path, [
        ephemeralEnvironmentEntity('expired', OWNER, EXPIRED),
        ephemeralEnvironmentEntity('later', OWNER, LATER),
      ]),
    ]);
    await waitForEntity(server, 'template', 'decommission-environment');
    await waitForEntity(server, 'resource', 'expired');
    await waitForEntity(server, 'resource', 'later');
  });

  async function decommission(environment: string, subject?: string) {
    const auth = environmentsBackend(subject);
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(auth)
      .send({
        templateRef: 'template:default/decommission-environment',
        values: {
          environment: `resource:default/${environment}`,
          previewOnly: false,
          confirmation: environment,
        },
      });
    expect(created.status).toBe(201);
    let task: any;
    for (let i = 0; i < 600; i++) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set(auth)
      ).body;
      if (task.status === 'completed' || task.status === 'failed') break;
      await new Promise(r => setTimeout(r, 100));
    }
    const events = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set(auth)
    ).body as TaskEvent[];
    return { status: task.status as string, events };
  }

  it('refuses an environment that has not expired yet, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await decommission('later');
    expect(status).toBe('failed');
    expect(failureOf(events)).toBe(
      "The environments backend may not decommission environment 'later' yet: it expires at 2999-01-01T00:00:00.000Z; nothing was changed.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses another service, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await decommission('expired', 'plugin:catalog');
    expect(status).toBe('failed');
    expect(failureOf(events)).toMatch(
      /^Only a signed-in user may make a decommission change/,
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('removes an expired environment in one change', async () => {
    const { status, events } = await decommission('expired');
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    expect(
      git(repo, 'ls-tree', '-r', '--name-only', 'main', 'environments/expired'),
    ).toBe('');
    expect(
      git(repo, 'ls-tree', '-r', '--name-only', 'main', 'environments/later'),
    ).not.toBe('');
  });
});
