import { InputError, NotFoundError, isError } from '@backstage/errors';
import type {
  GitOpsCommitDetails,
  GitOpsCommitFile,
} from '@epicshelter/plugin-environments-common';
import type {
  GitOpsFileStat,
  GitOpsRepository,
} from '@epicshelter/plugin-gitops-node';

const SHA = /^[0-9a-f]{7,40}$/;

/** A file's change as the commit page names it. */
const CHANGE: Record<GitOpsFileStat['status'], GitOpsCommitFile['change']> = {
  added: 'added',
  modified: 'modified',
  removed: 'deleted',
};

/**
 * Whether a commit's diff stat leaves files out: the host listed only some
 * of the changed files, or the stat counted only its first ones. Asks only
 * what the stat has read already (cached by commit).
 */
async function statLeavesFilesOut(
  repository: GitOpsRepository,
  commit: { sha: string; parents: string[] },
  stat: GitOpsFileStat[],
): Promise<boolean> {
  const parent = commit.parents[0];
  if (!parent) {
    const tree = await repository.readTree(commit.sha);
    return tree.filter(e => e.type === 'blob').length > stat.length;
  }
  const changed = await repository.changedFiles(parent, commit.sha);
  return changed.truncated === true || changed.files.length > stat.length;
}

/**
 * One commit of the GitOps repository, read through the GitOps repository
 * service whatever its host (local git, GitHub, GitLab): message, author,
 * committer, parents and the files it changed against its first parent,
 * with line counts (saying when some are left out). Throws InputError for something that is not a commit
 * id, NotFoundError when the repository has no such commit (without the
 * repository's location, which may be a server path).
 */
export async function readCommitDetails(
  repository: GitOpsRepository,
  sha: string,
): Promise<GitOpsCommitDetails> {
  if (!SHA.test(sha)) {
    throw new InputError(
      `"${sha}" is not a commit id: give 7 to 40 lowercase hexadecimal characters`,
    );
  }
  try {
    const commit = await repository.commit(sha);
    const files = await repository.commitStat(commit.sha);
    const truncated = await statLeavesFilesOut(repository, commit, files);
    return {
      sha: commit.sha,
      subject: commit.subject,
      body: commit.body,
      author: commit.author,
      committer: commit.committer,
      parents: commit.parents,
      files: files.map(f => ({
        path: f.path,
        change: CHANGE[f.status],
        additions: f.additions,
        deletions: f.deletions,
      })),
      ...(truncated ? { filesTruncated: true } : {}),
    };
  } catch (e) {
    if (isError(e) && e.name === 'NotFoundError') {
      throw new NotFoundError(
        `The GitOps repository has no commit ${sha.slice(0, 12)}`,
      );
    }
    throw e;
  }
}
