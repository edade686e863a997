import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The header of a signed-in user, for the scaffolder and catalog routes. */
export const userAuth = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

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
        `${kind} ${name} never appeared in the catalog: ${res.status}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Starts a task through `POST /api/scaffolder/v2/tasks`, waits until it ends
 * and returns its final status and events.
 */
export async function runTask(
  server: any,
  templateRef: string,
  values: Record<string, unknown>,
): Promise<{ status: string; events: TaskEvent[] }> {
  const created = await request(server)
    .post('/api/scaffolder/v2/tasks')
    .set(userAuth)
    .send({ templateRef, values });
  if (created.status !== 201) {
    throw new Error(
      `POST /api/scaffolder/v2/tasks answered ${
        created.status
      }: ${JSON.stringify(created.body)}`,
    );
  }
  const taskId = created.body.id;
  let task: any;
  for (let i = 0; ; i++) {
    task = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}`)
        .set(userAuth)
    ).body;
    if (task.status === 'completed' || task.status === 'failed') break;
    if (i > 600) throw new Error(`task did not finish: ${task.status}`);
    await sleep(100);
  }
  const events = (
    await request(server)
      .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
      .set(userAuth)
  ).body as TaskEvent[];
  return { status: task.status, events };
}

/** The last log messages of a task, to explain a failure. */
export function lastMessages(events: TaskEvent[], count = 8): string {
  return events
    .filter(e => e.body?.message)
    .map(e => e.body.message)
    .slice(-count)
    .join('\n');
}
