import type { KubeObject } from './types';

/**
 * How long the objects of an environment removed from the GitOps repository
 * are shown being deleted (Argo CD deleted them; Crossplane deletes the
 * external resources behind its finalizers) before they are gone.
 */
export const DELETING_MS = 5_000;

/** Crossplane's pause annotation: a paused resource is not reconciled, nor deleted. */
export const ANNOTATION_PAUSED = 'crossplane.io/paused';

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

/**
 * What stays of an environment's objects when its owner orphaned some
 * (`Kind/name` of each XR or claim an orphan record keeps): those objects,
 * paused, with everything they compose (resource references and the
 * `crossplane.io/composite` label), no longer owned by any Argo CD
 * application (tracking label and annotation dropped).
 */
export function keptObjects(
  objects: KubeObject[],
  orphaned: ReadonlySet<string>,
): KubeObject[] {
  const kept = new Set<string>();
  const add = (k: string) => {
    const size = kept.size;
    kept.add(k);
    return kept.size > size;
  };
  for (const o of objects) {
    if (orphaned.has(key(o.kind, o.metadata.name)))
      add(key(o.kind, o.metadata.name));
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
      const { 'argocd.argoproj.io/tracking-id': _tracking, ...annotations } =
        o.metadata.annotations ?? {};
      const { 'app.kubernetes.io/instance': _instance, ...labels } =
        o.metadata.labels ?? {};
      return {
        ...o,
        metadata: {
          ...o.metadata,
          labels,
          annotations: orphaned.has(key(o.kind, o.metadata.name))
            ? { ...annotations, [ANNOTATION_PAUSED]: 'true' }
            : annotations,
        },
      };
    });
}
