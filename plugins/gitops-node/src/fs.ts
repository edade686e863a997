import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { normalizeRepoPath } from '@epicshelter/plugin-gitops-common';

const SKIP_DIRS = new Set(['.git', 'node_modules']);

/**
 * Reads every regular file under `dir` into a map of POSIX relative path →
 * UTF-8 content. Skips `.git` and `node_modules`; does not follow symlinks.
 * @public
 */
export async function readTreeFromDir(
  dir: string,
): Promise<Record<string, string>> {
  const root = path.resolve(dir);
  const out: Record<string, string> = {};
  async function walk(rel: string): Promise<void> {
    const entries = await fs.readdir(path.join(root, rel), {
      withFileTypes: true,
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(childRel);
      } else if (entry.isFile()) {
        out[childRel] = await fs.readFile(path.join(root, childRel), 'utf8');
      }
    }
  }
  await walk('');
  return out;
}

/**
 * Resolves the repository-relative `file` inside `dir`, refusing absolute
 * paths and paths that escape `dir`.
 * @public
 */
export function resolveInside(dir: string, file: string): string {
  const normalized = normalizeRepoPath(file);
  if (normalized === undefined || normalized === '') {
    throw new InputError(
      `Refusing to write ${JSON.stringify(
        file,
      )}: the path is absolute, empty or escapes the target directory`,
    );
  }
  const root = path.resolve(dir);
  const target = path.resolve(root, ...normalized.split('/'));
  if (target !== root && !target.startsWith(root + path.sep)) {
    throw new InputError(
      `Refusing to write ${JSON.stringify(file)}: it resolves outside ${root}`,
    );
  }
  return target;
}

/**
 * Writes files (repository-relative path → content) under `dir`, creating
 * folders. Every path is checked before anything is written, so a bad path
 * writes nothing.
 * @public
 */
export async function writeFiles(
  dir: string,
  files: Record<string, string>,
): Promise<string[]> {
  const targets = Object.keys(files)
    .sort()
    .map(f => [f, resolveInside(dir, f)] as const);
  for (const [file, target] of targets) {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, files[file], 'utf8');
  }
  return targets.map(([, t]) => t);
}
