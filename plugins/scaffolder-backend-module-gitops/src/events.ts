import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';

/**
 * Topic of the event published after `epicshelter:gitops:publish` commits to
 * the GitOps repository (the catalog module `epicshelter-gitops` refreshes
 * on it).
 * @public
 */
export const GITOPS_CHANGED_TOPIC = 'epicshelter.gitops.changed';

/**
 * Payload of {@link GITOPS_CHANGED_TOPIC}.
 * @public
 */
export interface GitOpsChangedEventPayload {
  /** `https://<host>/<owner>/<repo>` or the absolute path of a local repository. */
  repository: string;
  repositoryType: 'github' | 'local';
  /** Branch that received the commit (the pull request's head branch on GitHub). */
  branch: string;
  commitSha: string;
  /** Environment the change is about (absent for e.g. a bootstrap change). */
  environment?: string;
  pullRequestUrl?: string;
}

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
