/**
 * Topic of the event published after a change is written to the GitOps
 * repository (by `epicshelter:gitops:publish`); the GitOps catalog provider
 * refreshes on it.
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
  /** The publisher's kind: `github`, `gitlab`, `local` or one an adopter module added. */
  repositoryType: string;
  /** Branch that received the commit (the pull request's head branch on GitHub). */
  branch: string;
  commitSha: string;
  /** Environment the change is about (absent for e.g. a bootstrap change). */
  environment?: string;
  pullRequestUrl?: string;
}
