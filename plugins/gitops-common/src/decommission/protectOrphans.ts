import yaml from 'yaml';
import { environmentDir } from '../constants';
import { isInside } from '../paths';
import type { DecommissionResource } from './environmentResources';

/** Argo CD's per-resource sync options annotation. @public */
export const ANNOTATION_ARGOCD_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/**
 * Argo CD sync options an orphaned composite resource carries: Argo CD
 * neither prunes it nor deletes it with its Application.
 * @public
 */
export const ORPHAN_SYNC_OPTIONS = 'Delete=false,Prune=false';
/** Crossplane's pause annotation: it stops reconciling (and deleting) a paused resource. @public */
export const ANNOTATION_CROSSPLANE_PAUSED = 'crossplane.io/paused';
/** Annotation naming the environment an orphaned resource was kept from. @public */
export const ANNOTATION_ORPHANED_FROM = 'epicshelter.io/orphaned-from';

type Obj = Record<string, any>;

/**
 * The annotations that protect a composite resource (or claim) an owner
 * orphans: Argo CD neither deletes it with its Application (cascade) nor
 * prunes it (`Delete=false,Prune=false`), and Crossplane stops reconciling
 * it (`crossplane.io/paused`), so nothing acts on what it composes.
 */
export function orphanMarks(env: string): Record<string, string> {
  return {
    [ANNOTATION_ARGOCD_SYNC_OPTIONS]: ORPHAN_SYNC_OPTIONS,
    [ANNOTATION_CROSSPLANE_PAUSED]: 'true',
    [ANNOTATION_ORPHANED_FROM]: env,
  };
}

/**
 * The annotations that keep the namespace of an orphaned namespaced XR:
 * deleting a namespace deletes everything in it, whatever its annotations,
 * so Argo CD must not delete or prune the namespace either.
 */
export function namespaceMarks(env: string): Record<string, string> {
  return {
    [ANNOTATION_ARGOCD_SYNC_OPTIONS]: ORPHAN_SYNC_OPTIONS,
    [ANNOTATION_ORPHANED_FROM]: env,
  };
}

/** Whether an object's annotations hold every one of `marks`. */
export function carriesMarks(
  annotations: Record<string, unknown> | undefined,
  marks: Record<string, string>,
): boolean {
  return Object.entries(marks).every(([k, v]) => annotations?.[k] === v);
}

/** One object the protection change marks. @public */
export interface ProtectedObject {
  /** The repository file that declares it. */
  file: string;
  /** Its kind: the XR or claim kind, or `Namespace`. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** `metadata.namespace`, for namespaced objects. */
  namespace?: string;
  /** The annotations it must carry (in the repository and, once synced, live). */
  marks: Record<string, string>;
  /** It carries them in the repository already. */
  marked: boolean;
}

/**
 * The objects of `env` that must be protected before the environment's
 * folder goes: each orphaned XR or claim, and the Namespace of the
 * environment's folder that holds a namespaced one.
 */
export function objectsToProtect(
  repo: Record<string, string>,
  env: string,
  orphaned: DecommissionResource[],
): ProtectedObject[] {
  const dir = environmentDir(env);
  const namespaces = new Set(
    orphaned.map(r => r.namespace).filter((n): n is string => !!n),
  );
  const found: ProtectedObject[] = [];
  for (const [file, content] of Object.entries(repo)) {
    if (!isInside(file, dir) || !/\.ya?ml$/.test(file)) continue;
    for (const doc of yaml.parseAllDocuments(content)) {
      const v = doc.toJS() as Obj | null;
      const meta = v?.metadata as Obj | undefined;
      if (!v || typeof meta?.name !== 'string') continue;
      const isOrphan = orphaned.some(
        r => r.file === file && r.kind === v.kind && r.name === meta.name,
      );
      const isNamespace = v.kind === 'Namespace' && namespaces.has(meta.name);
      if (!isOrphan && !isNamespace) continue;
      const marks = isOrphan ? orphanMarks(env) : namespaceMarks(env);
      found.push({
        file,
        kind: v.kind,
        name: meta.name,
        ...(meta.namespace ? { namespace: meta.namespace } : {}),
        marks,
        marked: carriesMarks(meta.annotations, marks),
      });
    }
  }
  return found.sort((a, b) =>
    `${a.file}|${a.kind}|${a.name}` < `${b.file}|${b.kind}|${b.name}` ? -1 : 1,
  );
}

/**
 * The protection change: each file of `objects` not yet marked, with the
 * marks added to those objects' annotations in place (comments, order and
 * the other documents of the file are kept). Sorted by path; empty when
 * everything is marked already.
 */
export function protectionChange(
  repo: Record<string, string>,
  objects: ProtectedObject[],
): Array<{ path: string; content: string }> {
  const files = [...new Set(objects.filter(o => !o.marked).map(o => o.file))];
  return files.sort().map(file => {
    const docs = yaml.parseAllDocuments(repo[file]);
    for (const doc of docs) {
      const kind = doc.get('kind');
      const name = doc.getIn(['metadata', 'name']);
      const target = objects.find(
        o => o.file === file && o.kind === kind && o.name === name,
      );
      if (!target) continue;
      for (const [k, v] of Object.entries(target.marks)) {
        doc.setIn(['metadata', 'annotations', k], v);
      }
    }
    return {
      path: file,
      content: docs.map(d => d.toString()).join(''),
    };
  });
}

/**
 * The names (`epicshelter.io/resource`) of the environment's databases and
 * buckets whose XR or claim carries the orphan marks in the repository: a
 * protect step merged earlier recorded the owner's choice to keep them.
 */
export function orphansMarkedIn(
  repo: Record<string, string>,
  env: string,
  resources: DecommissionResource[],
): string[] {
  const marks = orphanMarks(env);
  return resources
    .filter(r => r.resource !== undefined && r.holdsData && r.file in repo)
    .filter(r =>
      yaml
        .parseAllDocuments(repo[r.file])
        .map(d => d.toJS() as Obj | null)
        .some(
          v =>
            v?.kind === r.kind &&
            v?.metadata?.name === r.name &&
            carriesMarks(v?.metadata?.annotations, marks),
        ),
    )
    .map(r => r.resource as string);
}
