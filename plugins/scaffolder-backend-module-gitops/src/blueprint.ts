import { loadBlueprint } from '@epicshelter/plugin-gitops-node';
import type { ChangeFile } from './publish/types';

/**
 * Loads the GitOps repository blueprint (templates/gitops-repository) through
 * `loadBlueprint()` of `@epicshelter/plugin-gitops-node`, sorted by path.
 * @public
 */
export async function loadDefaultBlueprint(
  dir?: string,
): Promise<ChangeFile[]> {
  const files = await loadBlueprint(dir);
  return Object.entries(files)
    .map(([path, content]) => ({ path, content }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}
