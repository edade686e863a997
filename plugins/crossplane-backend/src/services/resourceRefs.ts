import type { CompositeKind, KubeObject, ObjectRef } from './kubeObjects';

/**
 * What an XR or claim points at: a claim its XR (`spec.resourceRef`), a v2
 * XR its composed resources (`spec.crossplane.resourceRefs`), a v1 XR
 * (`spec.resourceRefs`); composed references without a namespace are in
 * the XR's. References missing a name, kind or apiVersion are left out.
 */
export function resourceRefsOf(
  obj: KubeObject,
  k: Pick<CompositeKind, 'role' | 'crossplaneVersion'>,
): ObjectRef[] {
  const spec = obj.spec ?? {};
  if (k.role === 'claim') {
    return spec.resourceRef?.name ? [{ ...spec.resourceRef }] : [];
  }
  const refs: ObjectRef[] =
    k.crossplaneVersion === 'v2'
      ? spec.crossplane?.resourceRefs ?? []
      : spec.resourceRefs ?? [];
  return refs
    .filter(r => r?.name && r.kind && r.apiVersion)
    .map(r => ({ ...r, namespace: r.namespace ?? obj.metadata.namespace }));
}
