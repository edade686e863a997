import { repositorySnapshot } from './localRepo';
import {
  TaskEvent,
  failureOf,
  lastMessages,
  taskOutputText,
} from './scaffolderBackend';

/**
 * Runs a task against the local GitOps repository `repo` and tells what
 * a test asserts about it: the final status (with the last log lines, to
 * explain an unexpected one), the line of the step that failed, whether
 * the repository is unchanged, and the task's text output.
 */
export async function runOnRepository(
  repo: string,
  task: () => Promise<{ status: string; events: TaskEvent[] }>,
) {
  const before = repositorySnapshot(repo);
  const { status, events } = await task();
  return {
    status,
    log: lastMessages(events),
    failure: status === 'failed' ? failureOf(events) : undefined,
    unchanged:
      JSON.stringify(repositorySnapshot(repo)) === JSON.stringify(before),
    text: taskOutputText(events) ?? [],
  };
}
