import type { LifecycleChange } from './lifecycle';

/**
 * A change proposed for an environment and not merged yet: an open pull or
 * merge request (GitHub, GitLab) or, for the local repository, a change
 * branch (`<branchPrefix><env>`, as publish names it) with commits the
 * GitOps branch does not have.
 * @public
 */
export type OpenChange =
  | { kind: 'pull-request'; number: number; url: string; draft?: boolean }
  | { kind: 'branch'; branch: string; sha: string };

/**
 * The open change among what was found on an environment's change branch:
 * an open (or draft) pull request; a branch only when `branchAhead` says it
 * has commits the GitOps branch lacks (a merged branch that was kept is not
 * open). Undefined when nothing is open.
 * @public
 */
export function openChangeOf(
  change: LifecycleChange | undefined,
  branchAhead?: boolean,
): OpenChange | undefined {
  if (!change) return undefined;
  if (change.kind === 'pull-request') {
    return change.state === 'open'
      ? {
          kind: 'pull-request',
          number: change.number,
          url: change.url,
          ...(change.draft ? { draft: true } : {}),
        }
      : undefined;
  }
  return branchAhead
    ? { kind: 'branch', branch: change.branch, sha: change.sha }
    : undefined;
}
