import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_MEMBER_OF,
  RELATION_PARENT_OF,
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

/**
 * How far below the owner group membership is looked for: a member of a
 * child group (depth 1), of a grandchild (depth 2), ... up to this depth.
 */
export const MAX_GROUP_DEPTH = 10;

/** At most this many groups are read for one decision, whatever the depth. */
export const MAX_GROUPS_VISITED = 500;

/**
 * Whether `userRef` belongs to `owner` directly or through a group below it:
 * the owner group's children (`parentOf` in the catalog), their children,
 * and so on, level by level down to `maxDepth`, each group read once (a
 * cycle in the group tree ends the walk, it does not loop).
 * `loadGroups` reads groups by ref; groups it cannot find are skipped.
 */
export async function belongsToOwnerTransitively(options: {
  userRef: string;
  owner: Entity;
  user?: Entity;
  loadGroups: (refs: string[]) => Promise<Entity[]>;
  maxDepth?: number;
  maxGroups?: number;
}): Promise<boolean> {
  const { userRef, owner, user, loadGroups } = options;
  const maxDepth = options.maxDepth ?? MAX_GROUP_DEPTH;
  const maxGroups = options.maxGroups ?? MAX_GROUPS_VISITED;
  if (belongsToOwner({ userRef, owner, user })) return true;
  if (owner.kind.toLocaleLowerCase('en-US') !== 'group') return false;

  const visited = new Set([
    stringifyEntityRef(owner).toLocaleLowerCase('en-US'),
  ]);
  let level = [owner];
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth++) {
    const children = level
      .flatMap(group => relationTargets(group, RELATION_PARENT_OF))
      .filter(ref => !visited.has(ref));
    const next = [...new Set(children)].slice(0, maxGroups - visited.size);
    if (next.length === 0) return false;
    next.forEach(ref => visited.add(ref));
    level = await loadGroups(next);
    if (level.some(group => belongsToOwner({ userRef, owner: group, user }))) {
      return true;
    }
  }
  return false;
}
