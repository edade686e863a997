import { parseCommitMessage } from './commitMessage';
import { isBinaryText, lineChanges } from './lineChanges';
import { mapLimited } from './mapLimited';
import type { HostCommit } from './RepositoryHost';
import type {
  GitOpsChangedFile,
  GitOpsCommitDetails,
  GitOpsFileStat,
  GitOpsRepository,
} from './types';

/** How many files a diff stat reads at a time. */
const FILE_CONCURRENCY = 8;

/**
 * Files a diff stat counts lines of at most (two reads each): as many as
 * GitHub lists of a comparison, so every host reports the same first files.
 */
const MAX_STAT_FILES = 300;

/** An ISO 8601 date in one form whatever the host wrote (`…Z` or `….000Z`). */
function isoDate(date: string): string {
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? date : new Date(ms).toISOString();
}

/** A commit as a host read it, with its message parsed and its web page. */
export function commitDetails(
  commit: HostCommit,
  url: string | undefined,
): GitOpsCommitDetails {
  return {
    sha: commit.sha,
    message: commit.message,
    ...parseCommitMessage(commit.message),
    author: { ...commit.author, date: isoDate(commit.author.date) },
    committer: { ...commit.committer, date: isoDate(commit.committer.date) },
    parents: commit.parents,
    ...(url ? { url } : {}),
  };
}

/**
 * The diff stat of commit `sha` against `parent` (every file added for a
 * root commit): the changed files from the host, the lines counted from
 * both sides' contents, so every host reports the same numbers; the first
 * {@link MAX_STAT_FILES} files only, so a huge commit costs a bounded
 * number of reads.
 */
export async function diffStat(
  repository: Pick<GitOpsRepository, 'changedFiles' | 'readTree' | 'readFile'>,
  sha: string,
  parent: string | undefined,
): Promise<GitOpsFileStat[]> {
  const changed: GitOpsChangedFile[] = parent
    ? (await repository.changedFiles(parent, sha)).files
    : (await repository.readTree(sha))
        .filter(e => e.type === 'blob')
        .map(e => ({ path: e.path, status: 'added' }));
  const text = async (commit: string | undefined, path: string) =>
    commit ? (await repository.readFile(commit, path)) ?? '' : '';
  return mapLimited(
    changed.slice(0, MAX_STAT_FILES),
    FILE_CONCURRENCY,
    async file => {
      const [before, after] = await Promise.all([
        text(file.status === 'added' ? undefined : parent, file.path),
        text(file.status === 'removed' ? undefined : sha, file.path),
      ]);
      const binary = isBinaryText(before) || isBinaryText(after);
      return {
        ...file,
        ...(binary
          ? { additions: 0, deletions: 0 }
          : lineChanges(before, after)),
        binary,
      };
    },
  );
}
