import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import type { ChangeGuard } from './types';

/**
 * Folder of the workspace where the render actions leave what publishing
 * needs besides the files; never published itself.
 */
export const WORKSPACE_RECORD_DIR = '.epicshelter';
const RECORD = `${WORKSPACE_RECORD_DIR}/change.json`;

/**
 * Records the base of the change rendered into the workspace, so that
 * `epicshelter:gitops:publish` guards it even when the template does not pass
 * `baseCommit` on.
 */
export async function writeChangeRecord(
  workspacePath: string,
  guard: ChangeGuard,
): Promise<void> {
  const file = resolveSafeChildPath(workspacePath, RECORD);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, `${JSON.stringify(guard, null, 2)}\n`);
}

/** The change record of the workspace, if a render action left one. */
export async function readChangeRecord(
  workspacePath: string,
): Promise<ChangeGuard | undefined> {
  const file = resolveSafeChildPath(workspacePath, RECORD);
  if (!fs.existsSync(file)) return undefined;
  const value = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  if (
    typeof value?.baseCommit !== 'string' ||
    !Array.isArray(value.paths) ||
    !value.paths.every((p: unknown) => typeof p === 'string') ||
    (value.kind !== 'created' && value.kind !== 'changed')
  ) {
    return undefined;
  }
  return { baseCommit: value.baseCommit, paths: value.paths, kind: value.kind };
}
