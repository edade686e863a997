import type { GitOpsRepositoryLocation } from '../extensions';

/** One entry of a tree listing. @public */
export interface GitOpsTreeEntry {
  /** POSIX path relative to the folder that was listed. */
  path: string;
  type: 'blob' | 'tree';
  /** Git object id: changes whenever the file or anything in the folder changes. */
  sha: string;
}

/** A commit as the history shows it. @public */
export interface GitOpsCommitInfo {
  sha: string;
  /** Committer date, ISO 8601. */
  at?: string;
  /** First line of the message. */
  message?: string;
  /** Web page of the commit, when the host has one. */
  url?: string;
}

/** Commit counts of a revision relative to a base. @public */
export interface GitOpsCommitCounts {
  /** Commits in `revision` that `base` lacks. */
  aheadBy: number;
  /** Commits in `base` that `revision` lacks. */
  behindBy: number;
}

/** A commit of a path's history, with its whole message. @public */
export interface GitOpsHistoryCommit extends GitOpsCommitInfo {
  /** The whole commit message, trailers (`Requested-by:` …) included. */
  fullMessage: string;
}

/** One file a change adds, modifies or removes (a rename is a removal and an addition). @public */
export interface GitOpsChangedFile {
  /** Path inside the repository. */
  path: string;
  /** What the change did to the file. */
  status: 'added' | 'modified' | 'removed';
}

/** What a revision changes since its merge base with a base branch or commit. @public */
export interface GitOpsChangedFiles {
  /** The merge base the change is compared with. */
  mergeBase: string;
  /** The files the revision changes, sorted by path. */
  files: GitOpsChangedFile[];
  /**
   * True when the host listed only some of the changed files (GitHub's
   * comparison stops at 300); `files` then holds only those.
   */
  truncated?: boolean;
}

/** The author or committer of a commit. @public */
export interface GitOpsCommitPerson {
  /** Name as the commit records it. */
  name: string;
  /** E-mail address as the commit records it. */
  email: string;
  /** ISO 8601. */
  date: string;
}

/** A trailer of a commit message, e.g. `Requested-by: Ada <ada@example.com>`. @public */
export interface GitOpsCommitTrailer {
  /** e.g. `Requested-by`, as written. */
  key: string;
  /** The value, folded continuation lines joined by a space. */
  value: string;
}

/** One commit with what its header and message say. @public */
export interface GitOpsCommitDetails {
  /** The full commit SHA. */
  sha: string;
  /** The whole message, as committed. */
  message: string;
  /** First line of the message. */
  subject: string;
  /** The rest of the message (trailers included), trimmed. */
  body: string;
  /** The trailers of the message's last paragraph, in order. */
  trailers: GitOpsCommitTrailer[];
  /** Who wrote the change, and when (author date). */
  author: GitOpsCommitPerson;
  /** Who committed it, and when (committer date). */
  committer: GitOpsCommitPerson;
  /** Parent commit SHAs; empty for a root commit, two or more for a merge. */
  parents: string[];
  /** Web page of the commit, when the host has one. */
  url?: string;
}

/** Lines one file of a commit gained and lost. @public */
export interface GitOpsFileStat extends GitOpsChangedFile {
  /** Lines added (0 for a binary file). */
  additions: number;
  /** Lines removed (0 for a binary file). */
  deletions: number;
  /** Whether either side of the file is binary (holds a NUL byte). */
  binary: boolean;
}

/**
 * What proposes the changes of a branch: a pull request (GitHub), a merge
 * request (GitLab, reported with `kind: 'pull-request'` and its iid as
 * `number`) or, for a local repository, the branch itself.
 * @public
 */
export type GitOpsChange =
  | {
      kind: 'pull-request';
      number: number;
      url: string;
      state: 'open' | 'closed' | 'merged';
      draft?: boolean;
      createdAt: string;
      mergedAt?: string;
    }
  | { kind: 'branch'; branch: string; sha: string; at?: string };

/**
 * Read access to one GitOps repository. Everything read at a full commit
 * SHA is immutable and cached by it; only {@link GitOpsRepository.head}
 * and the history questions reach the host each time.
 * @public
 */
export interface GitOpsRepository {
  /** `local`, `github` or `gitlab`. */
  readonly kind: 'local' | 'github' | 'gitlab';
  /** The repository URL (`https://<host>/<path>`) or the absolute local path. */
  readonly location: string;
  /** The branch environments live on (`gitops.defaultBranch`, default `main`). */
  readonly defaultBranch: string;
  /** Prefix of the branches Epicshelter proposes changes on. */
  readonly branchPrefix: string;
  /**
   * The head commit of `branch` (default {@link GitOpsRepository.defaultBranch}),
   * or undefined while the repository has no commit at all (a local
   * repository the scaffolder has not created yet, or an empty one).
   * @throws NotFoundError when the branch does not exist
   */
  head(branch?: string): Promise<{ sha: string; url?: string } | undefined>;
  /**
   * Every file and folder below `path` (default: the whole repository) at
   * `commit`, sorted by path; empty when `path` does not exist there.
   */
  readTree(commit: string, path?: string): Promise<GitOpsTreeEntry[]>;
  /** Text of the file at `path` at `commit`, undefined when there is none. */
  readFile(commit: string, path: string): Promise<string | undefined>;
  /**
   * Text of every file below `path` at `commit` (keys relative to `path`)
   * for which `filter` (given that relative path) answers true.
   */
  readFiles(
    commit: string,
    path?: string,
    filter?: (path: string) => boolean,
  ): Promise<Record<string, string>>;
  /**
   * Counts of `revision` relative to `base` (commit SHAs or branches).
   * @throws NotFoundError for a revision the repository does not have
   */
  compare(base: string, revision: string): Promise<GitOpsCommitCounts>;
  /** The oldest commit on the default branch that touched `path` (the one that added it). */
  firstCommit(path: string): Promise<GitOpsCommitInfo | undefined>;
  /** The pull/merge request (hosted) or branch (local) that proposes changes on `branch`. */
  findChange(branch: string): Promise<GitOpsChange | undefined>;
  /** Web page of a commit, when the repository has a web UI. */
  commitUrl(sha: string): string | undefined;
  /**
   * The newest commits (at most `limit`, default 20, at most 100) on `ref`
   * (default {@link GitOpsRepository.defaultBranch}) that touched `path`,
   * newest first, with their whole messages: one request to a hosted
   * repository.
   */
  history(
    path: string,
    options?: { ref?: string; limit?: number },
  ): Promise<GitOpsHistoryCommit[]>;
  /**
   * The files `revision` changes since its merge base with `base` (commit
   * SHAs or branches); cached when both are full commit SHAs. GitHub lists
   * at most 300 files of a comparison.
   * @throws NotFoundError for a revision the repository does not have
   */
  changedFiles(base: string, revision: string): Promise<GitOpsChangedFiles>;
  /**
   * The commit `ref` (a full or abbreviated SHA, or a branch) names: its
   * message, subject, body and trailers, author, committer and parents;
   * cached by SHA.
   * @throws NotFoundError when the repository has no such commit
   */
  commit(ref: string): Promise<GitOpsCommitDetails>;
  /**
   * The diff stat of a commit: the files it changed against its first
   * parent (all of its files for a root commit), with lines added and
   * removed, counted from the file contents the same way on every host
   * (a rename is a removal and an addition); sorted by path, cached by SHA.
   * The first 300 files only: fewer than {@link GitOpsRepository.changedFiles}
   * lists against the parent (or `truncated` there) means some are left out.
   * @throws NotFoundError when the repository has no such commit
   */
  commitStat(ref: string): Promise<GitOpsFileStat[]>;
}

/**
 * The GitOps repository service: the `gitops.repository` of app-config and
 * any other repository a task may name, read through one implementation per
 * kind of host.
 * @public
 */
export interface GitOpsRepositoryService {
  /**
   * `gitops.repository`, or undefined when app-config has no `gitops` section.
   * @throws InputError for a malformed `gitops` section or a repository on a
   * host no implementation reads
   */
  configured(): GitOpsRepository | undefined;
  /**
   * A repository at `location` (e.g. one of `gitops.allowedRepositories`),
   * with the configured branch settings unless given.
   * @throws InputError for a host without an implementation
   */
  open(
    location: GitOpsRepositoryLocation,
    options?: { defaultBranch?: string; branchPrefix?: string },
  ): GitOpsRepository;
}
