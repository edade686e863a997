import {
  createExtensionPoint,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

/** One file of a change: a repository-relative POSIX path and its full text. @public */
export interface ChangeFile {
  path: string;
  content: string;
}

/** Who asked for a change and in which scaffolder task. @public */
export interface ChangeProvenance {
  /** The requester: entity ref, display name and e-mail from the catalog profile. */
  requester?: { ref: string; name?: string; email?: string };
  /** The scaffolder task id. */
  taskId?: string;
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

/** Everything a publisher needs to turn a change into one commit. @public */
export interface PublishRequest {
  /** Environment name; part of the branch name and of the commit trailer. */
  environment: string;
  files: ChangeFile[];
  /**
   * Repository paths of files the change deletes (each a file, not a
   * folder), in the same commit as `files`; a folder left empty goes too.
   */
  deletions?: string[];
  commitMessage: string;
  /** Branch that receives the change (the head branch of a pull/merge request). */
  branch: string;
  /** Branch the change is based on; the repository default when absent. */
  baseBranch?: string;
  /** Commit author: the person who asked, else the committer. */
  author?: { name: string; email: string };
  /** Commit committer (`scaffolder.defaultAuthor`); the token's user when absent. */
  committer?: { name: string; email: string };
  /** Who asked, and in which task: the commit trailers and request body name them. */
  provenance?: ChangeProvenance;
  /**
   * What the change was computed from: it is written only if the guarded
   * paths are unchanged since then (see {@link ChangeGuard}).
   */
  guard?: ChangeGuard;
}

/** Pull request (GitHub) or merge request (GitLab) settings. @public */
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

/**
 * Where the GitOps repository lives: a local git repository, or a
 * repository on a host of one of the `integrations` of app-config
 * (`integration` is its type: `github`, `gitlab`, ...). `owner` is
 * everything before the repository name (a GitLab group path may hold
 * several segments).
 * @public
 */
export type GitOpsRepositoryLocation =
  | { type: 'local'; path: string }
  | {
      type: 'remote';
      integration: string;
      host: string;
      owner: string;
      repo: string;
      url: string;
    };

/** What the publish action hands a publisher. @public */
export interface GitOpsPublishOptions {
  location: GitOpsRepositoryLocation;
  request: PublishRequest;
  pullRequest: PullRequestOptions;
  /** The task's `mode` input; undefined lets the publisher use its default. */
  mode?: 'pull-request' | 'branch' | 'direct';
  /** Local repositories: the task asked to create the repository from its files. */
  initialize: boolean;
  /** The location is `gitops.repository` of app-config (not named by the task). */
  fromConfig: boolean;
  /** A token of the user the task passed; else the integration's credentials. */
  token?: string;
  logger: LoggerService;
  checkpoint: CheckpointFn;
}

/** What a publisher wrote. @public */
export interface GitOpsPublishResult {
  /** Kind of repository, reported as the action output `repositoryType` (e.g. `github`, `gitlab`, `local`). */
  repositoryType: string;
  /** The repository URL (`https://<host>/<path>`) or absolute path of a local one. */
  repository: string;
  branch: string;
  commitSha: string;
  /**
   * Where a person sees the change: the pull/merge request, or the commit.
   * Absent for a local repository other than the portal's own: it has no
   * page, and its path on the server is never shown.
   */
  webUrl?: string;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
}

/**
 * Writes a GitOps change to one kind of repository as one commit (and, for
 * hosted repositories, one pull or merge request), idempotently: a re-run
 * with the same change reports what is already there.
 * @public
 */
export interface GitOpsPublisher {
  /** Short name used in messages, e.g. `github`. */
  readonly type: string;
  /** Whether this publisher writes to the repository at `location`. */
  supports(location: GitOpsRepositoryLocation): boolean;
  /** Publishes the change; each side effect runs inside `options.checkpoint`. */
  publish(options: GitOpsPublishOptions): Promise<GitOpsPublishResult>;
}

/**
 * Lets backend modules add publishers to `epicshelter:gitops:publish`.
 * @public
 */
export interface GitOpsPublishersExtensionPoint {
  /**
   * Adds publishers. They are asked before the built-in ones (local git,
   * GitHub, GitLab), in the order added; the first whose `supports` answers
   * true publishes.
   */
  addPublishers(...publishers: GitOpsPublisher[]): void;
}

/**
 * Extension point of the Epicshelter GitOps scaffolder module
 * (`@epicshelter/plugin-scaffolder-backend-module-gitops`) for publishers.
 * @public
 */
export const gitopsPublishersExtensionPoint =
  createExtensionPoint<GitOpsPublishersExtensionPoint>({
    id: 'scaffolder.epicshelter-gitops.publishers',
  });
