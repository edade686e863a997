import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The header of a signed-in user, for the scaffolder and catalog routes. */
export const userAuth = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

/** The header of the given signed-in user. */
export function authAs(userEntityRef: string) {
  return { Authorization: mockCredentials.user.header(userEntityRef) };
}

/** A task event as `GET /api/scaffolder/v2/tasks/:id/events` returns it. */
export type TaskEvent = {
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message?: string;
    stepId?: string;
    status?: string;
    output?: any;
  };
};

/** Polls the catalog until the entity exists (the file provider is async). */
export async function waitForEntity(
  server: any,
  kind: string,
  name: string,
): Promise<any> {
  for (let i = 0; ; i++) {
    const res = await request(server)
      .get(`/api/catalog/entities/by-name/${kind}/default/${name}`)
      .set(userAuth);
    if (res.status === 200) return res.body;
    if (i > 200) {
      throw new Error(
        `${kind} ${name} never appeared in the catalog: ${
          res.status
        } ${JSON.stringify(res.body)}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Starts a task through `POST /api/scaffolder/v2/tasks` as `user` (default
 * alice), waits until it ends and returns its final status and events.
 */
export async function runTask(
  server: any,
  templateRef: string,
  values: Record<string, unknown>,
  user = 'user:default/alice',
  /** Task secrets, as the form sends them (e.g. a user's Git host token). */
  secrets?: Record<string, string>,
): Promise<{ status: string; events: TaskEvent[]; taskId: string }> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set(authAs(user))
    .send({ templateRef, values, ...(secrets ? { secrets } : {}) });
  if (created.status !== 201) {
    throw new Error(
      `POST /api/scaffolder/v2/tasks answered ${
        created.status
      }: ${JSON.stringify(created.body)}`,
    );
  }
  const taskId = created.body.id;
  return { ...(await waitForTask(server, taskId, user)), taskId };
}

/** Waits until a task ends; returns its final status and all its events. */
export async function waitForTask(
  server: any,
  taskId: string,
  user = 'user:default/alice',
): Promise<{ status: string; events: TaskEvent[] }> {
  let task: any;
  for (let i = 0; ; i++) {
    task = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}`)
        .set(authAs(user))
    ).body;
    if (task.status === 'completed' || task.status === 'failed') break;
    if (i > 600) throw new Error(`task did not finish: ${task.status}`);
    await sleep(100);
  }
  const events = (
    await request(server)
      .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
      .set(authAs(user))
  ).body as TaskEvent[];
  return { status: task.status, events };
}

/** The log line of the step that failed (what the task page shows in red). */
export function failureOf(events: TaskEvent[]): string {
  const failed = events.filter(
    e => e.type === 'log' && e.body.status === 'failed' && e.body.message,
  );
  if (failed.length === 0) {
    throw new Error(`no step failed:\n${lastMessages(events)}`);
  }
  return failed[failed.length - 1].body.message!;
}

/** The `text` output of a finished task (the tabs its page shows). */
export function taskOutputText(
  events: TaskEvent[],
): Array<{ title: string; content: string }> {
  return events.find(e => e.type === 'completion')?.body.output?.text;
}

/** The last log messages of a task, to explain a failure. */
export function lastMessages(events: TaskEvent[], count = 8): string {
  return events
    .filter(e => e.body?.message)
    .map(e => e.body.message)
    .slice(-count)
    .join('\n');
}
