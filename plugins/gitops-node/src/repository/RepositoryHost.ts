import type {
  GitOpsChange,
  GitOpsChangedFiles,
  GitOpsCommitCounts,
  GitOpsCommitDetails,
  GitOpsCommitInfo,
  GitOpsHistoryCommit,
  GitOpsTreeEntry,
} from './types';

/** A commit as a host reads it; the message is parsed above the hosts. */
export type HostCommit = Pick<
  GitOpsCommitDetails,
  'sha' | 'message' | 'author' | 'committer' | 'parents'
>;

/**
 * The questions one kind of host (local git, GitHub, GitLab) answers about
 * one repository, without caching: {@link CachingGitOpsRepository} adds the
 * cache by commit and the conveniences on top.
 */
export interface RepositoryHost {
  readonly kind: 'local' | 'github' | 'gitlab';
  /** URL or absolute path; also part of the cache keys. */
  readonly location: string;
  /**
   * The head commit of `branch`; undefined while the repository has no
   * commit at all (a local one not created yet, or an empty one).
   * @throws NotFoundError when the branch does not exist
   */
  head(branch: string): Promise<string | undefined>;
  /**
   * The commit a branch or (abbreviated) commit SHA names.
   * @throws NotFoundError when the repository has no such commit
   */
  resolve(ref: string): Promise<string>;
  /**
   * The entries of the folder `path` ('' for the root) at `commit`, with
   * paths relative to it; with `recursive`, those of every subfolder too.
   * Empty when the folder does not exist.
   */
  listTree(
    commit: string,
    path: string,
    recursive: boolean,
  ): Promise<GitOpsTreeEntry[]>;
  /** The text of a blob. */
  readBlob(sha: string): Promise<string>;
  compare(base: string, revision: string): Promise<GitOpsCommitCounts>;
  /** The oldest commit reachable from the branch `ref` that touched `path`. */
  firstCommit(ref: string, path: string): Promise<GitOpsCommitInfo | undefined>;
  findChange(branch: string): Promise<GitOpsChange | undefined>;
  commitUrl(sha: string): string | undefined;
  /** The newest `limit` commits reachable from `ref` that touched `path`, newest first. */
  history(
    ref: string,
    path: string,
    limit: number,
  ): Promise<GitOpsHistoryCommit[]>;
  /** The files `revision` changes since its merge base with `base`. */
  changedFiles(base: string, revision: string): Promise<GitOpsChangedFiles>;
  /**
   * The commit a branch or (abbreviated) commit SHA names.
   * @throws NotFoundError when the repository has no such commit
   */
  readCommit(ref: string): Promise<HostCommit>;
}
