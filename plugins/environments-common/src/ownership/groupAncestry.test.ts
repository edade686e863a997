import type { Entity } from '@backstage/catalog-model';
import { groupsWithAncestors } from './groupAncestry';

/** A group as the catalog returns it: `childOf` towards its parent. */
function group(name: string, parent?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
    relations: parent
      ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
      : [],
  };
}

function catalogOf(groups: Entity[]) {
  const byRef = new Map(
    groups.map(g => [`group:default/${g.metadata.name}`, g]),
  );
  const reads: string[][] = [];
  const loadGroups = async (refs: string[]) => {
    reads.push(refs);
    return refs.flatMap(ref => (byRef.has(ref) ? [byRef.get(ref)!] : []));
  };
  return { reads, loadGroups };
}

// platform-team ← sre ← oncall; checkout-team stands alone.
const tree = () =>
  catalogOf([
    group('platform-team'),
    group('sre', 'platform-team'),
    group('oncall', 'sre'),
    group('checkout-team'),
  ]);

describe('groupsWithAncestors', () => {
  it('adds the parent of a child group and the grandparent of a grandchild', async () => {
    const { loadGroups } = tree();
    await expect(
      groupsWithAncestors({
        groupRefs: ['user:default/ada', 'group:default/oncall'],
        loadGroups,
      }),
    ).resolves.toEqual(
      new Set([
        'group:default/oncall',
        'group:default/sre',
        'group:default/platform-team',
      ]),
    );
  });

  it('adds nothing above a group without parents, and never a child group', async () => {
    const { loadGroups } = tree();
    await expect(
      groupsWithAncestors({
        groupRefs: [
          'group:default/platform-team',
          'group:default/checkout-team',
        ],
        loadGroups,
      }),
    ).resolves.toEqual(
      new Set(['group:default/platform-team', 'group:default/checkout-team']),
    );
  });

  it('reads each level in one call and no group twice', async () => {
    const { loadGroups, reads } = tree();
    await groupsWithAncestors({
      groupRefs: ['group:default/oncall', 'group:default/sre'],
      loadGroups,
    });
    expect(reads).toEqual([
      ['group:default/oncall', 'group:default/sre'],
      ['group:default/platform-team'],
    ]);
  });

  it('ends the walk on a cycle in the group tree', async () => {
    const { loadGroups, reads } = catalogOf([
      group('a', 'b'),
      group('b', 'c'),
      group('c', 'a'),
    ]);
    await expect(
      groupsWithAncestors({ groupRefs: ['group:default/a'], loadGroups }),
    ).resolves.toEqual(
      new Set(['group:default/a', 'group:default/b', 'group:default/c']),
    );
    expect(reads.flat()).toEqual([
      'group:default/a',
      'group:default/b',
      'group:default/c',
    ]);
  });

  it('goes up at most maxDepth levels, ten by default', async () => {
    // g0 ← g1 ← ... ← g12: g12 is twelve levels below g0.
    const chain = Array.from({ length: 13 }, (_, i) =>
      group(`g${i}`, i > 0 ? `g${i - 1}` : undefined),
    );
    const { loadGroups } = catalogOf(chain);
    const above = await groupsWithAncestors({
      groupRefs: ['group:default/g12'],
      loadGroups,
    });
    expect(above.has('group:default/g2')).toBe(true);
    expect(above.has('group:default/g1')).toBe(false);
    const twoUp = await groupsWithAncestors({
      groupRefs: ['group:default/g12'],
      loadGroups,
      maxDepth: 2,
    });
    expect([...twoUp]).toEqual([
      'group:default/g12',
      'group:default/g11',
      'group:default/g10',
    ]);
  });

  it('reads at most maxGroups groups', async () => {
    const chain = Array.from({ length: 6 }, (_, i) =>
      group(`g${i}`, i > 0 ? `g${i - 1}` : undefined),
    );
    const { loadGroups, reads } = catalogOf(chain);
    await groupsWithAncestors({
      groupRefs: ['group:default/g5'],
      loadGroups,
      maxGroups: 3,
    });
    expect(reads.flat()).toHaveLength(3);
  });
});
