import type { CompositeKind } from './kubeObjects';
import { splitApiVersion } from './kubePaths';

/**
 * The XR and claim kinds that a list of CompositeResourceDefinitions
 * (v2 or v1 API) declares, each at its referenceable (else served) version.
 */
export function compositeKindsOf(xrds: any[]): CompositeKind[] {
  const kinds: CompositeKind[] = [];
  for (const xrd of xrds) {
    const spec = xrd.spec ?? {};
    const versions: any[] = spec.versions ?? [];
    const version =
      versions.find(v => v.referenceable)?.name ??
      versions.find(v => v.served)?.name;
    if (!version || !spec.names?.kind) continue;
    const scope: string =
      spec.scope ??
      (splitApiVersion(xrd.apiVersion).version === 'v2'
        ? 'Namespaced'
        : 'LegacyCluster');
    kinds.push({
      group: spec.group,
      version,
      kind: spec.names.kind,
      plural: spec.names.plural,
      namespaced: scope === 'Namespaced',
      role: 'composite',
      // v2 XRs, namespaced or `scope: Cluster`, keep Crossplane's fields
      // under spec.crossplane; only LegacyCluster ones keep them in spec
      crossplaneVersion: scope === 'LegacyCluster' ? 'v1' : 'v2',
    });
    if (spec.claimNames?.kind) {
      kinds.push({
        group: spec.group,
        version,
        kind: spec.claimNames.kind,
        plural: spec.claimNames.plural,
        namespaced: true,
        role: 'claim',
        crossplaneVersion: 'v1',
      });
    }
  }
  return kinds;
}
