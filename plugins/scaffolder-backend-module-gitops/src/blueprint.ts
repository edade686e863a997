import { NotFoundError } from '@backstage/errors';
import * as gitopsNode from '@epicshelter/plugin-gitops-node';
import type { ChangeFile } from './publish/types';

/**
 * Loads the GitOps repository blueprint (templates/gitops-repository) through
 * `loadBlueprint()` of `@epicshelter/plugin-gitops-node`.
 * @public
 */
export async function loadDefaultBlueprint(): Promise<ChangeFile[]> {
  const load = (gitopsNode as Record<string, unknown>).loadBlueprint;
  if (typeof load !== 'function') {
    throw new NotFoundError(
      'The GitOps repository blueprint is not available: @epicshelter/plugin-gitops-node does not provide loadBlueprint()',
    );
  }
  return toChangeFiles(await load());
}

/** Accepts a blueprint as a path→content record, a Map or a file list. */
export function toChangeFiles(value: unknown): ChangeFile[] {
  let entries: Array<[string, string]>;
  if (value instanceof Map) {
    entries = [...value.entries()];
  } else if (Array.isArray(value)) {
    entries = value.map((f: { path: string; content: string }) => [
      f.path,
      f.content,
    ]);
  } else if (value && typeof value === 'object' && 'files' in value) {
    return toChangeFiles((value as { files: unknown }).files);
  } else if (value && typeof value === 'object') {
    entries = Object.entries(value as Record<string, string>);
  } else {
    throw new NotFoundError('The GitOps repository blueprint is empty');
  }
  return entries
    .map(([path, content]) => ({ path, content: String(content) }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
