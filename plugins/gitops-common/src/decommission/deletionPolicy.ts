import type { CompositionInfo } from '../validator/rules/platformIndex';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What Crossplane does with the cloud (or in-cluster) resource when its
 * managed resource is deleted: `Delete` it, or `Orphan` it (keep it).
 * @public
 */
export type DeletionPolicy = 'Delete' | 'Orphan';

/**
 * Whether deleting a composed managed resource deletes what it manages.
 * Crossplane reads `spec.managementPolicies` (the `Delete` policy, or `*`,
 * which is the default) and, for v1 (cluster-scoped) managed resources,
 * `spec.deletionPolicy` (`Delete` by default, `Orphan` keeps it); both must
 * allow the deletion.
 */
export function managedResourceDeletes(base: Obj): boolean {
  const spec = isObj(base.spec) ? base.spec : {};
  const policies = Array.isArray(spec.managementPolicies)
    ? spec.managementPolicies.map(String)
    : ['*'];
  const byPolicies = policies.includes('*') || policies.includes('Delete');
  return byPolicies && spec.deletionPolicy !== 'Orphan';
}

/** The composed resources' bases of a pipeline Composition (function-patch-and-transform). */
export function composedBases(composition: CompositionInfo): Obj[] {
  return composition.steps.flatMap(step =>
    (Array.isArray(step.input.resources) ? step.input.resources : [])
      .map(r => (isObj(r) && isObj(r.base) ? r.base : undefined))
      .filter((b): b is Obj => b !== undefined),
  );
}

/** What one composite resource's composition does with its resources on deletion. */
export interface CompositionDeletion {
  deletionPolicy: DeletionPolicy;
  /** Where the policy was read, in one phrase. */
  source: string;
}

/**
 * The deletion policy of a composite resource: `Orphan` when every managed
 * resource its composition composes keeps what it manages, `Delete` when at
 * least one deletes (or no composition is known, Crossplane's default).
 */
export function compositionDeletion(
  composition: CompositionInfo | undefined,
): CompositionDeletion {
  if (!composition) {
    return {
      deletionPolicy: 'Delete',
      source:
        "no Composition of the repository matches; Crossplane's default deletes",
    };
  }
  const managed = composedBases(composition).filter(
    b => isObj(b.spec) && 'forProvider' in b.spec,
  );
  const deleting = managed.filter(managedResourceDeletes);
  if (managed.length > 0 && deleting.length === 0) {
    return {
      deletionPolicy: 'Orphan',
      source: `Composition ${composition.name}: every managed resource keeps its external resource (managementPolicies without Delete)`,
    };
  }
  return {
    deletionPolicy: 'Delete',
    source: `Composition ${composition.name}: ${deleting
      .map(b => String(b.kind))
      .filter((k, i, all) => all.indexOf(k) === i)
      .join(', ')} deleted with it`,
  };
}
