import type { Entity } from '@backstage/catalog-model';
import { belongsToOwnerTransitively } from './membership';

/**
 * A group as the catalog returns it, with the relations the processor adds
 * in both directions (`parentOf`/`childOf`, `hasMember`).
 */
function group(
  name: string,
  options: { parent?: string; children?: string[]; members?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: options.children ?? [] },
    relations: [
      ...(options.parent
        ? [{ type: 'childOf', targetRef: `group:default/${options.parent}` }]
        : []),
      ...(options.children ?? []).map(c => ({
        type: 'parentOf',
        targetRef: `group:default/${c}`,
      })),
      ...(options.members ?? []).map(m => ({
        type: 'hasMember',
        targetRef: `user:default/${m}`,
      })),
    ],
  };
}

/** A user as the catalog returns it, with its `memberOf` relations. */
function user(name: string, groups: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
    relations: groups.map(g => ({
      type: 'memberOf',
      targetRef: `group:default/${g}`,
    })),
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
  return { byRef, reads, loadGroups };
}

describe('belongsToOwnerTransitively', () => {
  // platform-team ← sre ← oncall, platform-team ← tooling; checkout-team alone
  const tree = catalogOf([
    group('platform-team', {
      children: ['sre', 'tooling'],
      members: ['linus'],
    }),
    group('sre', {
      parent: 'platform-team',
      children: ['oncall'],
      members: ['grace'],
    }),
    group('tooling', { parent: 'platform-team' }),
    group('oncall', { parent: 'sre', members: ['ada'] }),
    group('checkout-team', { members: ['alice'] }),
  ]);
  const owner = tree.byRef.get('group:default/platform-team')!;

  it('accepts a direct member of the owner group without reading more groups', async () => {
    const { reads, loadGroups } = catalogOf([...tree.byRef.values()]);
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/linus',
        owner,
        loadGroups,
      }),
    ).resolves.toBe(true);
    expect(reads).toEqual([]);
  });

  it('accepts a member of a child group and of a grandchild group', async () => {
    for (const [name, groups] of [
      ['grace', ['sre']],
      ['ada', ['oncall']],
      ['mary', ['tooling']],
    ] as const) {
      await expect(
        belongsToOwnerTransitively({
          userRef: `user:default/${name}`,
          owner,
          user: user(name, [...groups]),
          loadGroups: tree.loadGroups,
        }),
      ).resolves.toBe(true);
    }
  });

  it('refuses a member of an unrelated group', async () => {
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/alice',
        owner,
        user: user('alice', ['checkout-team']),
        loadGroups: tree.loadGroups,
      }),
    ).resolves.toBe(false);
  });

  it('does not look below the user: a member of the parent group is not a member of the child', async () => {
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/linus',
        owner: tree.byRef.get('group:default/sre')!,
        user: user('linus', ['platform-team']),
        loadGroups: tree.loadGroups,
      }),
    ).resolves.toBe(false);
  });

  it('ends on a cycle in the group tree, reading each group once', async () => {
    const cyclic = catalogOf([
      group('a', { parent: 'b' }),
      group('b', { parent: 'c' }),
      group('c', { parent: 'a' }),
      group('d'),
    ]);
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/alice',
        owner: cyclic.byRef.get('group:default/d')!,
        user: user('alice', ['a']),
        loadGroups: cyclic.loadGroups,
      }),
    ).resolves.toBe(false);
    expect(cyclic.reads).toEqual([
      ['group:default/a'],
      ['group:default/b'],
      ['group:default/c'],
    ]);
  });

  it('stops at the depth limit', async () => {
    const chain = catalogOf([
      group('g0'),
      group('g1', { parent: 'g0' }),
      group('g2', { parent: 'g1' }),
      group('g3', { parent: 'g2' }),
    ]);
    const ask = (maxDepth: number) =>
      belongsToOwnerTransitively({
        userRef: 'user:default/deep',
        owner: chain.byRef.get('group:default/g0')!,
        user: user('deep', ['g3']),
        loadGroups: chain.loadGroups,
        maxDepth,
      });
    await expect(ask(2)).resolves.toBe(false);
    await expect(ask(3)).resolves.toBe(true);
  });

  it('never accepts membership of a user owner through groups', async () => {
    const userOwner: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'linus', namespace: 'default' },
      spec: {},
    };
    const loadGroups = jest.fn(tree.loadGroups);
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/grace',
        owner: userOwner,
        user: user('grace', ['sre']),
        loadGroups,
      }),
    ).resolves.toBe(false);
    expect(loadGroups).not.toHaveBeenCalled();
  });
});
