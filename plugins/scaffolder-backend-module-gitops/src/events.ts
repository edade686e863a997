import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  GITOPS_CHANGED_TOPIC,
  type GitOpsChangedEventPayload,
} from '@epicshelter/plugin-gitops-node';

export { GITOPS_CHANGED_TOPIC } from '@epicshelter/plugin-gitops-node';
export type { GitOpsChangedEventPayload } from '@epicshelter/plugin-gitops-node';

/**
 * Publishes {@link GITOPS_CHANGED_TOPIC}. A failure is logged, never thrown:
 * the commit is made; the catalog's schedule picks it up anyway.
 */
export async function publishGitOpsChanged(
  events: EventsService | undefined,
  payload: GitOpsChangedEventPayload,
  logger: LoggerService,
): Promise<void> {
  if (!events) return;
  try {
    await events.publish({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: payload,
    });
  } catch (e) {
    logger.warn(
      `Could not publish ${GITOPS_CHANGED_TOPIC} for ${payload.repository}@${payload.commitSha}; the catalog will see the change on its next scheduled refresh: ${e}`,
    );
  }
}
