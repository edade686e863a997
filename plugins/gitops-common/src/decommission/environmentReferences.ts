import yaml from 'yaml';
import { ConflictError } from '@backstage/errors';
import { basenameOf, dirnameOf, isInside, resolveRepoPath } from '../paths';
import { isYamlPath } from '../validator/validateRepository';
import { toYaml } from '../yaml';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const KUSTOMIZATIONS = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];
/** Kustomization fields that list paths (strings). */
const PATH_LISTS = ['resources', 'bases', 'components', 'crds'];
/** Kustomization fields that list objects with a `path`. */
const PATH_OBJECTS = ['patches', 'patchesJson6902'];

/**
 * A kustomization outside the environment's folder without its entries that
 * point into the folder; undefined when it has none.
 */
function withoutReferences(
  file: string,
  content: string,
  dir: string,
): string | undefined {
  const doc: unknown = yaml.parse(content);
  if (!isObj(doc)) return undefined;
  const base = dirnameOf(file);
  const inside = (p: unknown) => {
    if (typeof p !== 'string') return false;
    const resolved = resolveRepoPath(base, p);
    return resolved !== undefined && isInside(resolved, dir);
  };
  let removed = false;
  const next: Obj = { ...doc };
  for (const field of PATH_LISTS) {
    const list = doc[field];
    if (!Array.isArray(list)) continue;
    const kept = list.filter(p => !inside(p));
    if (kept.length !== list.length) {
      removed = true;
      next[field] = kept;
    }
  }
  for (const field of PATH_OBJECTS) {
    const list = doc[field];
    if (!Array.isArray(list)) continue;
    const kept = list.filter(p => !(isObj(p) && inside(p.path)));
    if (kept.length !== list.length) {
      removed = true;
      next[field] = kept;
    }
  }
  return removed ? toYaml(next) : undefined;
}

/** Whether a text names the folder as a literal path (an Argo CD source path, ...). */
function namesFolder(content: string, dir: string): boolean {
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s'"/=:])${escaped}(/|['"\\s]|$)`, 'm').test(content);
}

/**
 * What the rest of the repository holds for the environment's folder:
 * kustomizations outside it lose their entries that point into it (the
 * rewritten files are returned); any other file naming the folder is a
 * ConflictError, because removing the folder would leave it dangling.
 */
export function referencesOutside(
  repo: Record<string, string>,
  dir: string,
): Array<{ path: string; content: string }> {
  const changed: Array<{ path: string; content: string }> = [];
  const dangling: string[] = [];
  for (const [path, content] of Object.entries(repo)) {
    if (isInside(path, dir)) continue;
    if (KUSTOMIZATIONS.includes(basenameOf(path))) {
      const next = withoutReferences(path, content, dir);
      if (next !== undefined) changed.push({ path, content: next });
    } else if (isYamlPath(path) && namesFolder(content, dir)) {
      dangling.push(path);
    }
  }
  if (dangling.length > 0) {
    throw new ConflictError(
      `${dangling.join(', ')} ${
        dangling.length === 1 ? 'names' : 'name'
      } ${dir}, which the decommission removes; remove ${
        dangling.length === 1 ? 'that reference' : 'those references'
      } by hand first, or decommission by hand. Nothing was changed.`,
    );
  }
  return changed.sort((a, b) => (a.path < b.path ? -1 : 1));
}
