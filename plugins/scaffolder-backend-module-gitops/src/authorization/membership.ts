import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  GroupLoader,
  groupsWithAncestors,
} from '@epicshelter/plugin-environments-common';

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

/**
 * Whether `userRef` belongs to `owner` directly or through a group below it:
 * it is the owner (a user), a direct member of it (see belongsToOwner), or a
 * member of a group whose parent, grandparent, ... is the owner (the user
 * entity's `memberOf` groups and the groups above them, as the permission
 * policy reads them: see groupsWithAncestors, at most 10 levels and 500
 * groups, cycle-safe). `loadGroups` reads groups by ref.
 */
export async function belongsToOwnerTransitively(options: {
  userRef: string;
  owner: Entity;
  user?: Entity;
  loadGroups: GroupLoader;
  maxDepth?: number;
}): Promise<boolean> {
  const { userRef, owner, user, loadGroups, maxDepth } = options;
  if (belongsToOwner({ userRef, owner, user })) return true;
  if (owner.kind.toLocaleLowerCase('en-US') !== 'group') return false;
  const groups = await groupsWithAncestors({
    groupRefs: relationTargets(user, RELATION_MEMBER_OF),
    loadGroups,
    maxDepth,
  });
  return groups.has(stringifyEntityRef(owner).toLocaleLowerCase('en-US'));
}
