import crypto from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import type { ChangeFile, ChangeGuard } from './types';

/** A guarded file that differs between two commits: its blob there, or undefined if removed. */
export type GuardedChange = { path: string; sha?: string };

/** The object id git gives a file's content. */
export function gitBlobId(content: string): string {
  const data = Buffer.from(content, 'utf8');
  return crypto
    .createHash('sha1')
    .update(`blob ${data.length}\0`)
    .update(data)
    .digest('hex');
}

/**
 * Whether the guarded changes between the base and a head are exactly this
 * change's files (a retried task finding its own work), not someone else's.
 */
export function isSameChange(
  changes: GuardedChange[],
  files: ChangeFile[],
  paths: string[],
  deletions: string[] = [],
): boolean {
  const ours = new Map<string, string | undefined>([
    ...files
      .filter(f => isGuarded(f.path, paths))
      .map(f => [f.path, gitBlobId(f.content)] as const),
    ...deletions
      .filter(p => isGuarded(p, paths))
      .map(p => [p, undefined] as const),
  ]);
  return (
    changes.length === ours.size &&
    changes.every(c => ours.has(c.path) && ours.get(c.path) === c.sha)
  );
}

/** Whether a request holds nothing to write and nothing to delete. */
export function isEmptyChange(request: {
  files: ChangeFile[];
  deletions?: string[];
}): boolean {
  return request.files.length === 0 && (request.deletions ?? []).length === 0;
}

/** Whether `file` is one of the guarded paths or lies inside one of them. */
export function isGuarded(file: string, paths: string[]): boolean {
  return paths.some(p => {
    const dir = p.replace(/\/+$/, '');
    return file === dir || file.startsWith(`${dir}/`);
  });
}

/**
 * The error of a change that lost a race: what it was about, which commit
 * got there first, and that nothing was written.
 */
export function lostRaceError(options: {
  environment: string;
  guard: ChangeGuard;
  /** The commit (or pending branch) that changed the guarded paths. */
  by: { commit: string; branch?: string };
}): ConflictError {
  const { environment, guard, by } = options;
  const where = by.branch
    ? `the pending change on branch ${by.branch} (commit ${by.commit.slice(
        0,
        7,
      )})`
    : `another change (commit ${by.commit.slice(0, 7)})`;
  return new ConflictError(
    `Environment '${environment}' was ${
      guard.kind
    } meanwhile by ${where}; nothing was written. Run the template again to start from the current state${
      by.branch ? ', once that change is merged or closed' : ''
    }.`,
  );
}
