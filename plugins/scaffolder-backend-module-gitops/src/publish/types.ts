import type { JsonObject } from '@backstage/types';

/** One file of a change: a repository-relative POSIX path and its full text. @public */
export interface ChangeFile {
  path: string;
  content: string;
}

/** Everything a publisher needs to turn a change into one commit. @public */
export interface PublishRequest {
  /** Environment name; part of the branch name and of the commit trailer. */
  environment: string;
  files: ChangeFile[];
  commitMessage: string;
  /** Branch that receives the change (GitHub: head branch of the PR). */
  branch: string;
  /** Branch the change is based on; the repository default when absent. */
  baseBranch?: string;
  /** Commit author: the person who asked, else the committer. */
  author?: { name: string; email: string };
  /** Commit committer (`scaffolder.defaultAuthor`); GitHub: the token's user when absent. */
  committer?: { name: string; email: string };
  /** Who asked, and in which task: the commit trailers and pull request body name them. */
  provenance?: ChangeProvenance;
  /**
   * What the change was computed from: it is written only if the guarded
   * paths are unchanged since then (see {@link ChangeGuard}).
   */
  guard?: ChangeGuard;
}

/**
 * The base a change was computed from. Publishing compares `baseCommit`
 * with the current head for `paths` and writes nothing when someone else
 * changed them meanwhile (unless exactly this change is already there).
 * @public
 */
export interface ChangeGuard {
  /** The commit the change was computed from; empty when the repository did not exist yet. */
  baseCommit: string;
  /** Repository paths (files or folders) the change depends on. */
  paths: string[];
  /** How the error names the competing change: the environment was `created` or `changed` meanwhile. */
  kind: 'created' | 'changed';
}

/** Pull request settings (GitHub only). @public */
export interface PullRequestOptions {
  title: string;
  body: string;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
  draft: boolean;
}

/**
 * Side-effect wrapper: `ctx.checkpoint` in a task, a plain call elsewhere.
 * @public
 */
export type CheckpointFn = <T extends JsonObject>(
  key: string,
  fn: () => Promise<T>,
) => Promise<T>;

/** A checkpoint function that simply runs the side effect. @public */
export const runWithoutCheckpoint: CheckpointFn = (_key, fn) => fn();

/** Who asked for a change and in which scaffolder task. @public */
export interface ChangeProvenance {
  /** The requester: entity ref, display name and e-mail from the catalog profile. */
  requester?: { ref: string; name?: string; email?: string };
  /** The scaffolder task id. */
  taskId?: string;
}

/** `Requested-by:` and `Scaffolder-Task:` trailers of a change. @public */
export function provenanceTrailers(provenance?: ChangeProvenance): string[] {
  const trailers: string[] = [];
  const who = provenance?.requester;
  if (who) {
    trailers.push(
      `Requested-by: ${
        who.email
          ? `${who.name ?? who.ref} <${who.email}>`
          : who.name ?? who.ref
      }`,
    );
  }
  if (provenance?.taskId) {
    trailers.push(`Scaffolder-Task: ${provenance.taskId}`);
  }
  return trailers;
}

/** Trailer that marks commits made by this module, keyed by branch. @public */
export function changeTrailer(branch: string): string {
  return `Epicshelter-Change: ${branch}`;
}

/** Whether a commit message carries our trailer for a branch. @public */
export function hasChangeTrailer(message: string, branch: string): boolean {
  return message
    .split('\n')
    .some(line => line.trim() === changeTrailer(branch));
}

/** Full commit message: subject/body plus our trailers. @public */
export function commitMessageWithTrailer(
  message: string,
  branch: string,
  provenance?: ChangeProvenance,
): string {
  return `${message.trimEnd()}\n\n${[
    ...provenanceTrailers(provenance),
    changeTrailer(branch),
  ].join('\n')}\n`;
}
