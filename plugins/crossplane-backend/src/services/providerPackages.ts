import type { KubeObject } from './kubeObjects';

/**
 * The served groups a managed resource's ProviderConfig may live in: the
 * MR's own group, then each parent group (`rds.aws.m.upbound.io`,
 * `aws.m.upbound.io`, `m.upbound.io`), keeping those the cluster serves.
 */
export function providerConfigGroups(
  mrGroup: string,
  served: Record<string, string>,
): string[] {
  const labels = mrGroup.split('.');
  return labels
    .slice(0, -1)
    .map((_, i) => labels.slice(i).join('.'))
    .filter(g => served[g]);
}

/**
 * The package revision that installed a CRD (`<plural>.<group>`): the one
 * listing it in `status.objectRefs`, the active one first.
 */
export function installerOf(
  revisions: KubeObject[],
  crd: string,
): KubeObject | undefined {
  const owners = revisions.filter(r =>
    (r.status?.objectRefs ?? []).some(
      (o: { kind?: string; name?: string }) =>
        o.kind === 'CustomResourceDefinition' && o.name === crd,
    ),
  );
  return owners.find(r => r.spec?.desiredState === 'Active') ?? owners[0];
}

/**
 * The Provider a revision belongs to: its owner reference, else its
 * `pkg.crossplane.io/package` label.
 */
export function providerOf(
  revision: KubeObject,
  providers: KubeObject[],
): KubeObject | undefined {
  const owners: { kind?: string; name?: string }[] =
    (revision.metadata as { ownerReferences?: [] }).ownerReferences ?? [];
  const name =
    owners.find(o => o.kind === 'Provider')?.name ??
    revision.metadata.labels?.['pkg.crossplane.io/package'];
  return providers.find(p => p.metadata.name === name);
}
