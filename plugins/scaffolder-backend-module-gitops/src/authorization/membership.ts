import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The canonical ref of an environment owner as the spec names it
 * (`group:default/team`, `user:default/ada`; a bare `team` is a group).
 */
export function ownerRefOf(owner: string): string {
  return stringifyEntityRef(
    parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  ).toLocaleLowerCase('en-US');
}

function relationTargets(entity: Entity | undefined, type: string): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLocaleLowerCase('en-US'));
}

/**
 * Whether `userRef` is the owner (a user) or a direct member of it (a
 * group), as the catalog records it: the group's `hasMember` relations or the
 * user entity's `memberOf` relations.
 */
export function belongsToOwner(options: {
  userRef: string;
  owner: Entity;
  user?: Entity;
}): boolean {
  const userRef = options.userRef.toLocaleLowerCase('en-US');
  const ownerRef = stringifyEntityRef(options.owner).toLocaleLowerCase('en-US');
  if (options.owner.kind.toLocaleLowerCase('en-US') === 'user') {
    return ownerRef === userRef;
  }
  return (
    relationTargets(options.owner, RELATION_HAS_MEMBER).includes(userRef) ||
    relationTargets(options.user, RELATION_MEMBER_OF).includes(ownerRef)
  );
}
