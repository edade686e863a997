import {
  Entity,
  RELATION_CHILD_OF,
  parseEntityRef,
} from '@backstage/catalog-model';

/**
 * How far above a user's own groups membership reaches: a member of a child
 * group of the owner (1 level), of a grandchild (2 levels), ... up to this
 * many levels.
 * @public
 */
export const MAX_GROUP_DEPTH = 10;

/**
 * At most this many groups are read for one walk, whatever the depth.
 * @public
 */
export const MAX_GROUPS_VISITED = 500;

/**
 * Reads groups by entity ref; refs it cannot find are left out.
 * @public
 */
export type GroupLoader = (groupRefs: string[]) => Promise<Entity[]>;

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

function isGroupRef(ref: string): boolean {
  try {
    return lower(parseEntityRef(ref).kind) === 'group';
  } catch {
    return false;
  }
}

function parentsOf(group: Entity): string[] {
  return (group.relations ?? [])
    .filter(r => r.type === RELATION_CHILD_OF)
    .map(r => lower(r.targetRef));
}

/**
 * The groups a user belongs to through the group tree: the groups in
 * `groupRefs` (the user's own, e.g. its sign-in ownership refs; other kinds
 * are ignored) and every group above them (`childOf` in the catalog: their
 * parents, the parents' parents, ...), since a member of a child group is a
 * member of its parent too.
 *
 * The walk goes level by level up to `maxDepth` levels above the user's own
 * groups, reads each level in one `loadGroups` call and each group at most
 * once (a cycle in the group tree ends the walk, it does not loop), and reads
 * at most `maxGroups` groups in all. Refs come back lower-case.
 * @public
 */
export async function groupsWithAncestors(options: {
  groupRefs: string[];
  loadGroups: GroupLoader;
  maxDepth?: number;
  maxGroups?: number;
}): Promise<Set<string>> {
  const maxDepth = options.maxDepth ?? MAX_GROUP_DEPTH;
  const maxGroups = options.maxGroups ?? MAX_GROUPS_VISITED;
  const found = new Set(options.groupRefs.filter(isGroupRef).map(lower));
  let level = [...found];
  let read = 0;
  for (let depth = 1; depth <= maxDepth; depth++) {
    const batch = level.slice(0, maxGroups - read);
    if (batch.length === 0) break;
    read += batch.length;
    const groups = await options.loadGroups(batch);
    level = [...new Set(groups.flatMap(parentsOf))].filter(
      ref => !found.has(ref),
    );
    level.forEach(ref => found.add(ref));
  }
  return found;
}
