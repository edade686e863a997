import { InputError } from '@backstage/errors';
import type { GitOpsRepositoryLocation } from '@epicshelter/plugin-gitops-node';

/** A Git host whose changes are reviewed (GitHub pull requests, GitLab merge requests). */
export type ReviewHost = {
  /** The `integrations.<integration>` key the host is configured under. */
  integration: 'github' | 'gitlab';
  /** The host's name in messages ("GitHub"). */
  title: string;
  /** What a repository is called there ("repository", "project"). */
  repositoryNoun: string;
  /** What a reviewed change is called there ("pull requests"). */
  changeNoun: string;
};

/** True for a remote location of the host's integration. */
export function isOnReviewHost(
  host: ReviewHost,
  location: GitOpsRepositoryLocation,
): boolean {
  return (
    location.type === 'remote' && location.integration === host.integration
  );
}

/**
 * The remote location a review-host publisher was given, after refusing a
 * local one and a publish mode other than a reviewed change.
 */
export function requireReviewedChange(
  host: ReviewHost,
  location: GitOpsRepositoryLocation,
  mode: string | undefined,
): Extract<GitOpsRepositoryLocation, { type: 'remote' }> {
  if (location.type !== 'remote') {
    throw new InputError(
      `The ${host.title} publisher needs a ${host.title} ${host.repositoryNoun}`,
    );
  }
  if (mode && mode !== 'pull-request') {
    throw new InputError(
      `mode "${mode}" is only for local repositories; ${host.title} changes are always ${host.changeNoun}`,
    );
  }
  return location;
}
