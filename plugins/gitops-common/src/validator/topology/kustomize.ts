import { resolveRepoPath } from '../../paths';
import { RepositoryTree } from '../repositoryTree';
import { parseYamlDocument } from '../yamlStream';

type Obj = Record<string, unknown>;

/** An object a kustomize build (or a plain folder) yields, with where it came from. */
export interface BuiltObject {
  value: Obj;
  /** File the object was read from. */
  file: string;
  documentIndex: number;
  /** Files whose patches changed it (kustomization files or patch files). */
  patchedBy: string[];
}

/** Result of {@link buildKustomization}. */
export interface BuildResult {
  objects: BuiltObject[];
  /** Problems that make the build incomplete (missing paths, bad patches). */
  problems: string[];
}

const KUSTOMIZATION_FILES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

// Kinds kustomize's `namespace:` leaves alone (cluster-scoped). Only those
// the platform uses; anything else is treated as namespaced.
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'CompositeResourceDefinition',
  'Composition',
  'EnvironmentConfig',
  'Provider',
  'Function',
  'DeploymentRuntimeConfig',
  'ClusterProviderConfig',
]);

const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isRemote(ref: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || ref.includes('?ref=');
}

function readDocs(tree: RepositoryTree, file: string): BuiltObject[] {
  return tree.objects(file).map(o => ({ ...o, patchedBy: [] }));
}

/** The kustomization file of a folder, if it has one. */
export function kustomizationFile(
  tree: RepositoryTree,
  dir: string,
): string | undefined {
  return KUSTOMIZATION_FILES.map(k => (dir === '' ? k : `${dir}/${k}`)).find(
    f => tree.has(f),
  );
}

function decodePointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A deep copy of parsed YAML (maps, lists, scalars): what structuredClone does, without its serialisation. */
function copyOf<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyOf) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v)) {
      const value = copyOf(v[k]);
      // A "__proto__" key is data here; assigning it would set the prototype.
      if (k === '__proto__') {
        Object.defineProperty(out, k, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[k] = value;
    }
    return out as T;
  }
  return v;
}

/** Applies JSON 6902 `add`, `replace` and `remove` operations in place. */
function applyJsonPatch(target: Obj, ops: unknown): string | undefined {
  if (!Array.isArray(ops)) return 'a JSON 6902 patch must be a list';
  for (const op of ops) {
    if (!isObj(op) || typeof op.path !== 'string') {
      return 'every JSON 6902 operation needs a path';
    }
    const segments = decodePointer(op.path);
    const last = segments.pop();
    let node: unknown = target;
    for (const s of segments) {
      if (Array.isArray(node)) node = node[Number(s)];
      else if (isObj(node)) {
        if (!(s in node) && op.op === 'add') node[s] = {};
        node = node[s];
      } else node = undefined;
    }
    if (last === undefined || (!isObj(node) && !Array.isArray(node))) {
      return `path ${op.path} does not exist`;
    }
    const container = node as Obj & unknown[];
    switch (op.op) {
      case 'add':
      case 'replace':
        if (Array.isArray(container) && last === '-')
          container.push(copyOf(op.value));
        else if (Array.isArray(container) && op.op === 'add') {
          container.splice(Number(last), 0, copyOf(op.value));
        } else (container as Obj)[last] = copyOf(op.value);
        break;
      case 'remove':
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else delete (container as Obj)[last];
        break;
      default:
        return `operation ${String(op.op)} is not supported`;
    }
  }
  return undefined;
}

/**
 * A strategic-merge patch, approximated: maps merge, lists of objects with a
 * `name` merge by name (containers, env, volumes), other lists are replaced.
 */
function mergePatch(target: Obj, patch: Obj): void {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target[k];
    if (v === null) delete target[k];
    else if (isObj(v) && isObj(cur)) mergePatch(cur, v);
    else if (
      Array.isArray(v) &&
      Array.isArray(cur) &&
      v.every(i => isObj(i) && typeof i.name === 'string')
    ) {
      for (const item of v as Obj[]) {
        const match = (cur as unknown[]).find(
          c => isObj(c) && c.name === item.name,
        );
        if (isObj(match)) mergePatch(match, item);
        else cur.push(copyOf(item));
      }
    } else target[k] = copyOf(v);
  }
}

/**
 * An inline patch, parsed once per tree and text (overlays of many
 * environments often carry the same patch). Shared: never mutated.
 */
function inlinePatch(tree: RepositoryTree, text: string): unknown {
  return tree.derive(`inline-patch\n${text}`, () => parseYamlDocument(text));
}

function groupOf(apiVersion: unknown): string {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  const i = s.lastIndexOf('/');
  return i < 0 ? '' : s.slice(0, i);
}

function meta(o: Obj): Obj {
  return isObj(o.metadata) ? o.metadata : {};
}

function matchesTarget(o: Obj, target: Obj): boolean {
  return (
    (target.kind === undefined || target.kind === o.kind) &&
    (target.group === undefined || target.group === groupOf(o.apiVersion)) &&
    (target.name === undefined || target.name === meta(o).name) &&
    (target.namespace === undefined || target.namespace === meta(o).namespace)
  );
}

/**
 * Builds a kustomization (or, without one, the YAML files of a folder as
 * Argo CD reads them) from a repository tree, in memory: `resources`
 * (files and folders, recursively), `namespace`, and `patches` /
 * `patchesStrategicMerge` / `patchesJson6902` (inline or from files; JSON
 * 6902 add/replace/remove, strategic merge approximated). Remote resources
 * and generators are skipped: they add nothing the topology needs.
 */
export function buildKustomization(
  tree: RepositoryTree,
  dir: string,
  seen: Set<string> = new Set(),
): BuildResult {
  // Results are cached per tree; each caller gets its own object wrappers
  // (values are shared and never mutated: patches work on copies).
  let result = tree.builds.get(dir) as BuildResult | undefined;
  if (!result) {
    result = buildUncached(tree, dir, seen);
    if (!seen.has(dir)) tree.builds.set(dir, result);
  }
  return {
    objects: result.objects.map(o => ({ ...o })),
    problems: [...result.problems],
  };
}

function buildUncached(
  tree: RepositoryTree,
  dir: string,
  seen: Set<string>,
): BuildResult {
  const files = tree.files;
  const problems: string[] = [];
  const kfile = kustomizationFile(tree, dir);
  if (!kfile) {
    const direct = tree.filesIn(dir).filter(f => /\.ya?ml$/.test(f));
    if (direct.length === 0) {
      return { objects: [], problems: [`${dir || '.'} has no manifests`] };
    }
    return { objects: direct.flatMap(f => readDocs(tree, f)), problems };
  }
  if (seen.has(dir)) {
    return { objects: [], problems: [`${kfile} includes itself`] };
  }
  seen.add(dir);
  const k: unknown = tree.yaml(kfile);
  if (!isObj(k)) return { objects: [], problems: [`${kfile} is empty`] };
  const objects: BuiltObject[] = [];
  for (const ref of Array.isArray(k.resources) ? k.resources : []) {
    if (typeof ref !== 'string' || isRemote(ref)) continue;
    const p = resolveRepoPath(dir, ref);
    if (p === undefined) {
      problems.push(`${kfile}: resource ${ref} leaves the repository`);
    } else if (p in files) {
      objects.push(...readDocs(tree, p));
    } else {
      const sub = buildKustomization(tree, p, seen);
      objects.push(...sub.objects);
      problems.push(...sub.problems);
    }
  }
  if (typeof k.namespace === 'string') {
    for (const o of objects) {
      if (!CLUSTER_SCOPED.has(String(o.value.kind))) {
        o.value = {
          ...o.value,
          metadata: { ...meta(o.value), namespace: k.namespace },
        };
      }
    }
  }
  const patches: Array<{ from: string; body: unknown; target?: Obj }> = [];
  const readPatch = (p: Obj | string) => {
    if (typeof p === 'string') {
      const f = resolveRepoPath(dir, p);
      return f && f in files ? { from: f, body: tree.yaml(f) } : undefined;
    }
    if (typeof p.patch === 'string') {
      return {
        from: kfile,
        body: inlinePatch(tree, p.patch),
        target: isObj(p.target) ? p.target : undefined,
      };
    }
    if (typeof p.path === 'string') {
      const f = resolveRepoPath(dir, p.path);
      if (!f || !(f in files)) {
        problems.push(`${kfile}: patch ${p.path} does not exist`);
        return undefined;
      }
      return {
        from: f,
        body: tree.yaml(f),
        target: isObj(p.target) ? p.target : undefined,
      };
    }
    return undefined;
  };
  for (const key of ['patches', 'patchesStrategicMerge', 'patchesJson6902']) {
    for (const p of Array.isArray(k[key]) ? (k[key] as unknown[]) : []) {
      const read = isObj(p) || typeof p === 'string' ? readPatch(p) : undefined;
      if (read) patches.push(read);
    }
  }
  for (const { from, body, target } of patches) {
    const selector: Obj | undefined =
      target ??
      (isObj(body)
        ? {
            kind: body.kind,
            group: groupOf(body.apiVersion),
            name: meta(body).name,
          }
        : undefined);
    if (!selector) {
      problems.push(`${from}: a JSON 6902 patch needs a target`);
      continue;
    }
    for (const o of objects) {
      if (!matchesTarget(o.value, selector)) continue;
      const value = copyOf(o.value);
      let error: string | undefined;
      if (Array.isArray(body)) error = applyJsonPatch(value, body);
      else if (isObj(body)) mergePatch(value, body);
      else error = 'a patch must be a map or a list';
      if (error) {
        problems.push(
          `${from}: ${error} in ${String(o.value.kind)} ${String(
            meta(o.value).name,
          )}`,
        );
      } else {
        o.value = value;
        o.patchedBy = [...o.patchedBy, from];
      }
    }
  }
  seen.delete(dir);
  return { objects, problems };
}
