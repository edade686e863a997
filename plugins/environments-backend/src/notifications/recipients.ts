import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * `spec.owner` of an environment as the full entity ref notifications go
 * to: a short `team-a` is `group:default/team-a`.
 */
export function ownerRef(owner: string): string {
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  );
}
