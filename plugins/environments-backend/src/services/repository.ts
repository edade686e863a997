import nodePath from 'node:path';
import { NotFoundError, isError } from '@backstage/errors';
import type {
  GitOpsChangedFiles,
  GitOpsCommitCounts,
  GitOpsHistoryCommit,
  GitOpsRepository,
} from '@epicshelter/plugin-gitops-node';
import type {
  LifecycleChange,
  LifecycleCommit,
} from '@epicshelter/plugin-environments-common';

/** Commit counts of a revision relative to a base. @public */
export type CommitCounts = GitOpsCommitCounts;

/** The Git questions the environments backend asks of the GitOps repository. @public */
export interface GitOpsRepositoryReader {
  readonly kind: GitOpsRepository['kind'];
  readonly defaultBranch: string;
  readonly branchPrefix: string;
  /** Head commit of the GitOps branch; NotFoundError while there is none. */
  head(): Promise<{ sha: string; url?: string }>;
  /** Counts of `revision` relative to `base`; throws NotFoundError for an unknown revision. */
  compare(base: string, revision: string): Promise<CommitCounts>;
  /** The oldest commit on the branch that touched `path` (the one that added it). */
  firstCommit(path: string): Promise<LifecycleCommit | undefined>;
  /** The pull/merge request (hosted) or branch (local) that proposes changes on `branch`. */
  findChange(branch: string): Promise<LifecycleChange | undefined>;
  /** Link to a commit, when the repository has a web UI. */
  commitUrl(sha: string): string | undefined;
  /** Names of the apps on the GitOps branch: folders `apps/<name>` with a `base` folder, sorted. */
  listApps(): Promise<string[]>;
  /** The head commit of another branch (a change branch); undefined when it does not exist. */
  branchHead(branch: string): Promise<string | undefined>;
  /** The newest `limit` commits of the GitOps branch that touched `path`, newest first, whole messages included. */
  history(path: string, limit: number): Promise<GitOpsHistoryCommit[]>;
  /** Text of a file at a commit; undefined when there is none. */
  readFile(commit: string, path: string): Promise<string | undefined>;
  /** The files `revision` changes since its merge base with `base`. */
  changedFiles(base: string, revision: string): Promise<GitOpsChangedFiles>;
}

/** The folder of the GitOps repository that holds one folder per app. */
const APPS_DIR = 'apps';
/** The folder inside an app that environments' overlays build on. */
const APP_BASE_DIR = 'base';

/**
 * The environments backend's questions, answered by the GitOps repository
 * service (`gitopsRepositoryServiceRef` of gitops-node).
 * @public
 */
export function gitOpsRepositoryReader(
  repository: GitOpsRepository,
): GitOpsRepositoryReader {
  const head = async () => {
    const found = await repository.head();
    if (!found) {
      throw new NotFoundError(
        repository.kind === 'local'
          ? `GitOps repository ${nodePath.basename(
              repository.location,
            )} does not exist yet; it is created when the first environment is published`
          : `GitOps repository ${repository.location} has no commit yet`,
      );
    }
    return found;
  };
  return {
    kind: repository.kind,
    defaultBranch: repository.defaultBranch,
    branchPrefix: repository.branchPrefix,
    head,
    compare: (base, revision) => repository.compare(base, revision),
    firstCommit: path => repository.firstCommit(path),
    findChange: branch => repository.findChange(branch),
    commitUrl: sha => repository.commitUrl(sha),
    async branchHead(branch) {
      try {
        return (await repository.head(branch))?.sha;
      } catch (e) {
        if (isError(e) && e.name === 'NotFoundError') return undefined;
        throw e;
      }
    },
    history: (path, limit) => repository.history(path, { limit }),
    readFile: (commit, path) => repository.readFile(commit, path),
    changedFiles: (base, revision) => repository.changedFiles(base, revision),
    async listApps() {
      const { sha } = await head();
      const folders = new Set(
        (await repository.readTree(sha, APPS_DIR))
          .filter(e => e.type === 'tree')
          .map(e => e.path),
      );
      return [...folders]
        .filter(p => !p.includes('/') && folders.has(`${p}/${APP_BASE_DIR}`))
        .sort();
    },
  };
}
