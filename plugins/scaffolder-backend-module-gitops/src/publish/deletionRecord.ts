import fs from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { WORKSPACE_RECORD_DIR } from './changeRecord';
import { assertRepositoryPath } from './workspace';

const RECORD = `${WORKSPACE_RECORD_DIR}/deletions.json`;

/**
 * Records the repository files a rendered change deletes (for example a
 * decommissioned environment's folder), so that `epicshelter:gitops:publish`
 * removes them in the same commit as the workspace's files.
 */
export async function writeDeletionRecord(
  workspacePath: string,
  deletions: string[],
): Promise<void> {
  deletions.forEach(assertRepositoryPath);
  const file = resolveSafeChildPath(workspacePath, RECORD);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(
    file,
    `${JSON.stringify([...deletions].sort(), null, 2)}\n`,
  );
}

/** The files the rendered change deletes; empty when no action recorded any. */
export async function readDeletionRecord(
  workspacePath: string,
): Promise<string[]> {
  const file = resolveSafeChildPath(workspacePath, RECORD);
  if (!fs.existsSync(file)) return [];
  const value: unknown = JSON.parse(await fs.promises.readFile(file, 'utf8'));
  if (!Array.isArray(value) || !value.every(p => typeof p === 'string')) {
    throw new InputError(
      `${RECORD} of the workspace must list repository paths; it was not written by a decommission step`,
    );
  }
  value.forEach(assertRepositoryPath);
  return value;
}
