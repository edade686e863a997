import type { KubeObject } from './types';

/**
 * How long the objects of an environment removed from the GitOps repository
 * are shown being deleted (Argo CD deleted them; Crossplane deletes the
 * external resources behind its finalizers) before they are gone.
 */
export const DELETING_MS = 5_000;

const spec = (o: KubeObject) =>
  (o.spec ?? {}) as {
    resourceRef?: { kind?: string; name?: string };
    resourceRefs?: Array<{ kind?: string; name?: string }>;
    crossplane?: { resourceRefs?: Array<{ kind?: string; name?: string }> };
  };
const isClaim = (o: KubeObject) => spec(o).resourceRef !== undefined;
const key = (kind?: string, name?: string) => `${kind}/${name}`;

/** The finalizer that holds each kind's deletion, as the real controllers set them. */
function finalizersOf(o: KubeObject): string[] {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  if (o.kind === 'Namespace') return ['kubernetes'];
  const labels = o.metadata.labels ?? {};
  if (group.endsWith('.crossplane.io') || group.endsWith('.upbound.io')) {
    return ['finalizer.managedresource.crossplane.io'];
  }
  if (labels['crossplane.io/composite'] === o.metadata.name) {
    return ['composite.apiextensions.crossplane.io'];
  }
  if (isClaim(o)) return ['finalizer.apiextensions.crossplane.io'];
  return [];
}

/**
 * An object whose deletion was requested at `at`: deletionTimestamp, the
 * finalizer its controller holds it with, and (for objects with conditions)
 * Ready False, reason Deleting.
 */
export function beingDeleted(o: KubeObject, at: number): KubeObject {
  const status = o.status as { conditions?: Array<Record<string, unknown>> };
  const timestamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    ...o,
    metadata: {
      ...o.metadata,
      deletionTimestamp: timestamp,
      finalizers: finalizersOf(o),
    },
    ...(status?.conditions
      ? {
          status: {
            ...status,
            conditions: [
              ...status.conditions.filter(c => c.type !== 'Ready'),
              {
                type: 'Ready',
                status: 'False',
                reason: 'Deleting',
                lastTransitionTime: timestamp,
              },
            ],
          },
        }
      : {}),
  };
}

/** Argo CD's per-resource sync options annotation. */
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Argo CD's tracking label and annotation, which tie an object to its Application. */
const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
const TRACKING_LABEL = 'app.kubernetes.io/instance';

/**
 * Whether Argo CD leaves an object in place when its Application is
 * deleted (cascade) or the object is pruned: the object's live annotation
 * `argocd.argoproj.io/sync-options` holds `Delete=false` (options are
 * comma-separated, white space trimmed).
 */
export function argoCdKeeps(o: KubeObject): boolean {
  const options = o.metadata.annotations?.[SYNC_OPTIONS] ?? '';
  return options
    .split(',')
    .map(x => x.trim())
    .includes('Delete=false');
}

/**
 * The annotations an environment's repository documents set on its live
 * objects that Argo CD sync options or Crossplane read (`Kind/name` →
 * annotations): the protection a decommission adds before the removal.
 */
export function protectionAnnotations(
  documents: unknown[],
): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const d of documents) {
    const v = d as {
      kind?: unknown;
      metadata?: { name?: unknown; annotations?: Record<string, unknown> };
    } | null;
    const a = v?.metadata?.annotations;
    if (
      typeof v?.kind !== 'string' ||
      typeof v.metadata?.name !== 'string' ||
      typeof a?.[SYNC_OPTIONS] !== 'string'
    ) {
      continue;
    }
    out.set(
      key(v.kind, v.metadata.name),
      Object.fromEntries(
        Object.entries(a).filter(([, x]) => typeof x === 'string'),
      ) as Record<string, string>,
    );
  }
  return out;
}

/** The objects with the annotations their documents set (as Argo CD's sync applies them). */
export function withAnnotations(
  objects: KubeObject[],
  annotations: ReadonlyMap<string, Record<string, string>> | undefined,
): KubeObject[] {
  if (!annotations || annotations.size === 0) return objects;
  return objects.map(o => {
    const set = annotations.get(key(o.kind, o.metadata.name));
    return set
      ? {
          ...o,
          metadata: {
            ...o.metadata,
            annotations: { ...(o.metadata.annotations ?? {}), ...set },
          },
        }
      : o;
  });
}

/**
 * What stays of an environment's live objects when Argo CD deletes its
 * Applications: the objects whose live annotations say `Delete=false`
 * (only what was synced before the removal; a mark that never reached the
 * cluster protects nothing), with everything a kept XR or claim composes
 * (resource references), no longer owned by any Argo CD application
 * (tracking label and annotation dropped).
 */
export function keptObjects(objects: KubeObject[]): KubeObject[] {
  const kept = new Set<string>();
  const add = (k: string) => {
    const size = kept.size;
    kept.add(k);
    return kept.size > size;
  };
  for (const o of objects) {
    if (argoCdKeeps(o)) add(key(o.kind, o.metadata.name));
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of objects) {
      if (!kept.has(key(o.kind, o.metadata.name))) continue;
      const s = spec(o);
      for (const r of [
        ...(s.resourceRef ? [s.resourceRef] : []),
        ...(s.resourceRefs ?? []),
        ...(s.crossplane?.resourceRefs ?? []),
      ]) {
        grew = add(key(r.kind, r.name)) || grew;
      }
    }
  }
  return objects
    .filter(o => kept.has(key(o.kind, o.metadata.name)))
    .map(o => {
      const { [TRACKING_ANNOTATION]: _tracking, ...annotations } =
        o.metadata.annotations ?? {};
      const { [TRACKING_LABEL]: _instance, ...labels } =
        o.metadata.labels ?? {};
      return { ...o, metadata: { ...o.metadata, labels, annotations } };
    });
}
