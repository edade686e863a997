import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ChangeFile } from './types';
import { WORKSPACE_RECORD_DIR } from './changeRecord';

/**
 * Checks a repository-relative path: POSIX separators, no leading slash,
 * no `.`/`..` segments, no `.git`. Throws InputError naming the path.
 * @public
 */
export function assertRepositoryPath(p: string): void {
  const segments = p.split('/');
  if (
    p.length === 0 ||
    p.includes('\\') ||
    p.includes('\0') ||
    segments.some(s => s === '' || s === '.' || s === '..') ||
    segments[0] === '.git'
  ) {
    throw new InputError(
      `Invalid file path "${p}": expected a relative path inside the repository, without "..", "." or ".git"`,
    );
  }
}

/**
 * Reads every file below `sourcePath` in the workspace as a change set,
 * with paths relative to `sourcePath`, sorted for a deterministic commit.
 * @public
 */
export async function readChangeFromWorkspace(
  workspacePath: string,
  sourcePath = '.',
): Promise<ChangeFile[]> {
  const root = resolveSafeChildPath(workspacePath, sourcePath);
  if (!fs.existsSync(root)) {
    throw new InputError(
      `There is nothing to publish: ${sourcePath} does not exist in the workspace (run the environment:create or add-resource step first)`,
    );
  }
  const files: ChangeFile[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.promises.readdir(dir, {
      withFileTypes: true,
    })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== WORKSPACE_RECORD_DIR) {
          await walk(full);
        }
      } else if (entry.isFile()) {
        const rel = path.relative(root, full).split(path.sep).join('/');
        assertRepositoryPath(rel);
        files.push({
          path: rel,
          content: await fs.promises.readFile(full, 'utf8'),
        });
      }
    }
  };
  await walk(root);
  files.sort((a, b) => a.path.localeCompare(b.path, 'en'));
  return files;
}

/**
 * Writes a change set into the workspace below `targetPath`.
 * @public
 */
export async function writeChangeToWorkspace(
  workspacePath: string,
  targetPath: string,
  files: ChangeFile[],
): Promise<void> {
  for (const file of files) {
    assertRepositoryPath(file.path);
    const target = resolveSafeChildPath(
      resolveSafeChildPath(workspacePath, targetPath),
      file.path,
    );
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, file.content, 'utf8');
  }
}
