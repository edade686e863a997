import type { Entity } from '@backstage/catalog-model';
import { belongsToOwnerTransitively } from './membership';

/** A group as the catalog returns it, with the relations the processor adds. */
function group(
  name: string,
  options: { children?: string[]; members?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: options.children ?? [] },
    relations: [
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
  const tree = catalogOf([
    group('platform-team', {
      children: ['sre', 'tooling'],
      members: ['linus'],
    }),
    group('sre', { children: ['oncall'], members: ['grace'] }),
    group('tooling', { members: [] }),
    group('oncall', { members: ['ada'] }),
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
    for (const userRef of ['user:default/grace', 'user:default/ada']) {
      await expect(
        belongsToOwnerTransitively({
          userRef,
          owner,
          loadGroups: tree.loadGroups,
        }),
      ).resolves.toBe(true);
    }
  });

  it("accepts a member known only from the user entity's memberOf", async () => {
    const user: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'mary', namespace: 'default' },
      spec: {},
      relations: [{ type: 'memberOf', targetRef: 'group:default/tooling' }],
    };
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/mary',
        owner,
        user,
        loadGroups: tree.loadGroups,
      }),
    ).resolves.toBe(true);
  });

  it('refuses a member of an unrelated group', async () => {
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/alice',
        owner,
        loadGroups: tree.loadGroups,
      }),
    ).resolves.toBe(false);
  });

  it('does not look above the owner: a member of the parent group is not a member of the child', async () => {
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/linus',
        owner: tree.byRef.get('group:default/sre')!,
        loadGroups: tree.loadGroups,
      }),
    ).resolves.toBe(false);
  });

  it('ends on a cycle in the group tree, reading each group once', async () => {
    const cyclic = catalogOf([
      group('a', { children: ['b'] }),
      group('b', { children: ['c'] }),
      group('c', { children: ['a', 'b'] }),
    ]);
    await expect(
      belongsToOwnerTransitively({
        userRef: 'user:default/alice',
        owner: cyclic.byRef.get('group:default/a')!,
        loadGroups: cyclic.loadGroups,
      }),
    ).resolves.toBe(false);
    expect(cyclic.reads).toEqual([['group:default/b'], ['group:default/c']]);
  });

  it('stops at the depth limit', async () => {
    const chain = catalogOf([
      group('g0', { children: ['g1'] }),
      group('g1', { children: ['g2'] }),
      group('g2', { children: ['g3'] }),
      group('g3', { members: ['deep'] }),
    ]);
    const ask = (maxDepth: number) =>
      belongsToOwnerTransitively({
        userRef: 'user:default/deep',
        owner: chain.byRef.get('group:default/g0')!,
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
        loadGroups,
      }),
    ).resolves.toBe(false);
    expect(loadGroups).not.toHaveBeenCalled();
  });
});
