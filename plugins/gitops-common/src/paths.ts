/**
 * POSIX path helpers for repository-relative paths (isomorphic: no `node:path`).
 */

/**
 * Normalises a repository-relative path: collapses `.`/`..`/duplicate
 * slashes. Returns undefined when the path is absolute or escapes the root.
 * @public
 */
export function normalizeRepoPath(path: string): string | undefined {
  if (
    path.startsWith('/') ||
    path.includes('\0') ||
    /^[A-Za-z]:[\\/]/.test(path)
  ) {
    return undefined;
  }
  const out: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(part);
    }
  }
  return out.join('/');
}

/** Resolves `relative` against directory `dir` (both repository-relative). @public */
export function resolveRepoPath(
  dir: string,
  relative: string,
): string | undefined {
  return normalizeRepoPath(dir === '' ? relative : `${dir}/${relative}`);
}

/** The directory part of a repository-relative path (`''` for the root). @public */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** The last segment of a repository-relative path. @public */
export function basenameOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** Whether `path` equals `dir` or lies inside it. @public */
export function isInside(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}
