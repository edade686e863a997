import fs from 'node:fs';
import git from 'isomorphic-git';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  GitOpsCommitDetails,
  GitOpsCommitFile,
} from '@epicshelter/plugin-environments-common';

const SHA = /^[0-9a-f]{7,40}$/;

/**
 * Lines added and removed between two texts, counted as `git diff --numstat`
 * does for changes that move no lines: each line's occurrences before and
 * after are compared.
 */
export function lineChanges(
  before: string,
  after: string,
): { additions: number; deletions: number } {
  const count = (text: string) => {
    const counts = new Map<string, number>();
    if (!text) return counts;
    for (const line of text.replace(/\n$/, '').split('\n')) {
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    return counts;
  };
  const a = count(before);
  const b = count(after);
  let additions = 0;
  let deletions = 0;
  for (const [line, n] of b) additions += Math.max(0, n - (a.get(line) ?? 0));
  for (const [line, n] of a) deletions += Math.max(0, n - (b.get(line) ?? 0));
  return { additions, deletions };
}

/** How a file changed, from its entry type before and after the commit. */
function changeOf(
  before: string | undefined,
  after: string | undefined,
): GitOpsCommitFile['change'] {
  if (before === undefined) return 'added';
  if (after === undefined) return 'deleted';
  return 'modified';
}

const isText = (bytes: Uint8Array) => !bytes.subarray(0, 8000).includes(0);

/**
 * Reads one commit of the local git repository `dir`: message, author,
 * committer, parents and the files it changed against its first parent,
 * with line counts. Throws InputError for something that is not a commit
 * id, NotFoundError when the repository has no such commit.
 */
export async function readLocalCommit(
  dir: string,
  sha: string,
): Promise<GitOpsCommitDetails> {
  if (!SHA.test(sha)) {
    throw new InputError(
      `"${sha}" is not a commit id: give 7 to 40 lowercase hexadecimal characters`,
    );
  }
  const cache = {};
  let oid: string;
  let commit;
  try {
    oid = await git.expandOid({ fs, dir, oid: sha, cache });
    ({ commit } = await git.readCommit({ fs, dir, oid, cache }));
  } catch {
    throw new NotFoundError(
      `The GitOps repository has no commit ${sha.slice(0, 12)}`,
    );
  }
  const parent = commit.parent[0];
  const files: GitOpsCommitFile[] = [];
  const trees = parent
    ? [git.TREE({ ref: parent }), git.TREE({ ref: oid })]
    : [git.TREE({ ref: oid })];
  await git.walk({
    fs,
    dir,
    cache,
    trees,
    map: async (filepath, entries) => {
      if (filepath === '.') return true;
      const [before, after] = parent ? entries : [null, entries[0]];
      const typeOf = async (e: typeof before) => (e ? e.type() : undefined);
      const [tb, ta] = [await typeOf(before), await typeOf(after)];
      if (tb === 'tree' || ta === 'tree') {
        // descend only where something changed
        const [ob, oa] = [await before?.oid(), await after?.oid()];
        return ob !== oa ? true : null;
      }
      const [ob, oa] = [await before?.oid(), await after?.oid()];
      if (ob === oa) return null;
      const bytes = async (e: typeof before) =>
        e ? (await e.content()) ?? new Uint8Array() : new Uint8Array();
      const [b, a] = [await bytes(before), await bytes(after)];
      const text = isText(b) && isText(a);
      files.push({
        path: filepath,
        change: changeOf(tb, ta),
        ...(text
          ? lineChanges(
              Buffer.from(b).toString('utf8'),
              Buffer.from(a).toString('utf8'),
            )
          : { additions: 0, deletions: 0 }),
      });
      return null;
    },
  });
  const [subject, ...rest] = commit.message.trimEnd().split('\n');
  const when = (t: { timestamp: number }) =>
    new Date(t.timestamp * 1000).toISOString();
  return {
    sha: oid,
    subject,
    body: rest.join('\n').trim(),
    author: {
      name: commit.author.name,
      email: commit.author.email,
      date: when(commit.author),
    },
    committer: {
      name: commit.committer.name,
      email: commit.committer.email,
      date: when(commit.committer),
    },
    parents: commit.parent,
    files: files.sort((x, y) => x.path.localeCompare(y.path)),
  };
}
