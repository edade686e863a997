import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { git, seedRepository } from './__testUtils__/localRepo';
import { platformFixture } from './__testUtils__/platformFixture';
import {
  TaskEvent,
  authAs,
  failureOf,
  lastMessages,
  runTask,
  waitForTask,
} from './__testUtils__/scaffolderBackend';
import { FakeGithub } from './__testUtils__/fakeGithub';
import { validateGithubResponse } from './__testUtils__/githubOpenApi';
import {
  environmentSpec,
  startGitopsBackend,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(180_000);

const ALICE = 'user:default/alice';
const OWNER = 'group:default/checkout-team';
const FIXTURES = path.resolve(__dirname, '__fixtures__/templates');

/** How often the notify step failed; it fails while this is below `failures`. */
const notify = { calls: 0, failures: 0 };

/**
 * The test's steps: `test:notify`, a step after the publish that fails as
 * often as a test asks, and `test:write-environment`, which writes an
 * environment's file into the workspace (a change to publish without
 * reading the repository).
 */
const testStepsModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'test-steps',
  register(reg) {
    reg.registerInit({
      deps: { actions: scaffolderActionsExtensionPoint },
      async init({ actions }) {
        actions.addActions(
          createTemplateAction({
            id: 'test:notify',
            description: 'Tells the team; fails while a test asks it to',
            schema: { input: { commitSha: z => z.string() } },
            async handler(ctx) {
              notify.calls += 1;
              if (notify.calls <= notify.failures) {
                throw new Error('The notification service did not answer');
              }
              ctx.logger.info(`Notified the team of ${ctx.input.commitSha}`);
            },
          }),
          createTemplateAction({
            id: 'test:write-environment',
            description: "Writes an environment's file into the workspace",
            schema: { input: { environment: z => z.string() } },
            async handler(ctx) {
              const dir = path.join(
                ctx.workspacePath,
                'gitops/environments',
                ctx.input.environment,
              );
              fs.mkdirSync(dir, { recursive: true });
              fs.writeFileSync(
                path.join(dir, 'environment.yaml'),
                `name: ${ctx.input.environment}\n`,
              );
            },
          }),
        );
      },
    });
  },
});

/**
 * Retries a task with `POST /api/scaffolder/v2/tasks/:taskId/retry` (the
 * scaffolder reopens a completed or failed task, keeping its checkpoints)
 * and waits until it ends. Returns its status and the events of the retry
 * (those after the `recovered` event).
 */
async function retryTask(
  server: any,
  taskId: string,
  user: string,
  secrets?: Record<string, string>,
): Promise<{ status: string; events: TaskEvent[] }> {
  const retried = await request(server)
    .post(`/api/scaffolder/v2/tasks/${taskId}/retry`)
    .set(authAs(user))
    .send(secrets ? { secrets } : {});
  expect(retried.status).toBe(201);
  const { status, events } = await waitForTask(server, taskId, user);
  const recovered = events.findIndex(e => e.type === 'recovered');
  expect(recovered).toBeGreaterThanOrEqual(0);
  return { status, events: events.slice(recovered) };
}

/** The task failed in its step after the publish, as the test asked. */
function expectFailedAfterPublishing(task: {
  status: string;
  events: TaskEvent[];
}) {
  expect(task.status).toBe('failed');
  expect(failureOf(task.events)).toContain(
    'The notification service did not answer',
  );
}

/** The log lines of `events` as the task page shows them (no colour codes). */
const logOf = (events: TaskEvent[]) =>
  events
    .filter(e => e.type === 'log')
    // eslint-disable-next-line no-control-regex
    .map(e => (e.body.message ?? '').replace(/\u001b\[[0-9;]*m/g, ''));

/**
 * Retrying a task whose change is published, through the scaffolder REST
 * API of the real scaffolder, catalog and permission backends, on a real
 * local git repository: the retry succeeds, writes no second commit, and
 * says in its log that the change was published by the earlier run.
 */
describe('retrying a Create environment task through the scaffolder REST API', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;
  let base: string;

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, platformFixture());
    base = git(repo, 'rev-parse', 'main');
    server = await startGitopsBackend(
      { repository: repo },
      [path.join(FIXTURES, 'create-then-notify.yaml')],
      [testStepsModule],
    );
  });

  /** Runs `template` for a new environment `name` as alice. */
  const create = (name: string, template = 'test-create') =>
    runTask(
      server,
      `template:default/${template}`,
      { spec: environmentSpec(name, OWNER) },
      ALICE,
    );

  const commitsSinceSeed = () =>
    Number(git(repo, 'rev-list', '--count', `${base}..main`));

  it('a task that succeeded, retried, succeeds again without a second commit and says so', async () => {
    const first = await create('retried');
    expect(first.status).toBe('completed');
    const before = commitsSinceSeed();
    const head = git(repo, 'rev-parse', 'main');

    const retry = await retryTask(server, first.taskId, ALICE);

    expect(retry.status).toBe('completed');
    expect(git(repo, 'rev-parse', 'main')).toBe(head);
    expect(commitsSinceSeed()).toBe(before);
    expect(logOf(retry.events)).toContain(
      `info: Already published by an earlier run of this task: commit ${head} on branch main; nothing was written again.`,
    );
    // not the name-taken answer of a second request
    expect(JSON.stringify(retry.events)).not.toMatch(/already exists/);
    expect(JSON.stringify(retry.events)).not.toContain(dir.path);
  });

  it('a task that failed after publishing, retried, completes without a second commit and says so', async () => {
    notify.calls = 0;
    notify.failures = 1;
    const first = await create('notified', 'test-create-then-notify');
    expectFailedAfterPublishing(first);
    const head = git(repo, 'rev-parse', 'main');
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toContain('notified');
    const before = commitsSinceSeed();

    const retry = await retryTask(server, first.taskId, ALICE);

    expect({ status: retry.status, log: lastMessages(retry.events) }).toEqual(
      expect.objectContaining({ status: 'completed' }),
    );
    expect(commitsSinceSeed()).toBe(before);
    expect(git(repo, 'rev-parse', 'main')).toBe(head);
    expect(logOf(retry.events)).toEqual(
      expect.arrayContaining([
        `info: Already published by an earlier run of this task: commit ${head} on branch main; nothing was written again.`,
        `info: Notified the team of ${head}`,
      ]),
    );
  });

  it('a second task with the same input is a new request: it is refused in a sentence and writes nothing', async () => {
    const first = await create('twice');
    expect(first.status).toBe('completed');
    const head = git(repo, 'rev-parse', 'main');

    const second = await create('twice');

    expect(second.status).toBe('failed');
    expect(failureOf(second.events)).toBe(
      'Invalid environment: spec.name: environment "twice" already exists in the repository (environments/twice); choose another name',
    );
    expect(git(repo, 'rev-parse', 'main')).toBe(head);
  });
});

/**
 * The same through the GitHub publisher, against the fake GitHub that
 * answers as GitHub's OpenAPI description says: a task that failed after
 * its pull request was opened, retried, completes with the same commit and
 * the same single pull request.
 */
describe('retrying a task that published to GitHub, through the scaffolder REST API', () => {
  const gh = new FakeGithub();
  const github = setupServer(...gh.handlers());
  const TOKEN = { githubToken: 'ghp_test_token' };
  let server: any;

  beforeAll(async () => {
    github.listen({ onUnhandledRequest: 'bypass' });
    server = await startGitopsBackend(
      {
        repository: 'https://github.com/epicshelter/gitops',
        branchPrefix: 'epicshelter/',
      },
      [path.join(FIXTURES, 'publish-then-notify.yaml')],
      [testStepsModule],
    );
  });
  afterAll(() => github.close());

  it('completes on retry with the same commit and one pull request, and says so', async () => {
    notify.calls = 0;
    notify.failures = 1;
    const first = await runTask(
      server,
      'template:default/test-publish-then-notify',
      { environment: 'gh-retried' },
      ALICE,
      TOKEN,
    );
    expectFailedAfterPublishing(first);
    expect(gh.pulls).toHaveLength(1);
    const head = gh.refs.get('epicshelter/gh-retried')!;
    const writes = gh.writes().length;

    const retry = await retryTask(server, first.taskId, ALICE, TOKEN);

    expect(retry.status).toBe('completed');
    expect(gh.writes()).toHaveLength(writes);
    expect(gh.refs.get('epicshelter/gh-retried')).toBe(head);
    expect(gh.commits.get(head)!.parents).toEqual([gh.refs.get('main')]);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0]).toMatchObject({ state: 'open', headSha: head });
    expect(logOf(retry.events)).toEqual(
      expect.arrayContaining([
        `info: Already published by an earlier run of this task: commit ${head} on branch epicshelter/gh-retried, pull request https://github.com/epicshelter/gitops/pull/1; nothing was written again.`,
        `info: Notified the team of ${head}`,
      ]),
    );
    expect(JSON.stringify(retry.events)).not.toContain('ghp_test_token');
    expect(
      gh.exchanges
        .filter(e => e.status !== 0 && e.operation !== '/graphql')
        .flatMap(e => validateGithubResponse(e)),
    ).toEqual([]);
  });
});
