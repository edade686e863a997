import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  createPermission,
  PermissionCriteria,
  PermissionCondition,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  environmentAdminPermission,
  environmentChangePermission,
} from '@epicshelter/plugin-gitops-common';
import { EpicshelterPermissionPolicy } from './policy';

const readEntity = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const syncApp = createPermission({
  name: 'argocd.application.action',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const deleteEntity = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});
const refreshEntity = createPermission({
  name: 'catalog.entity.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const runTemplate = createPermission({
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
});

const guest = {
  credentials: mockCredentials.user('user:default/guest'),
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/checkout-team'],
  },
};

const ownedBy = (owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

type Criteria = PermissionCriteria<PermissionCondition<'catalog-entity'>>;

/** Evaluates a catalog conditional decision the way the catalog does. */
function evaluate(criteria: Criteria, entity: Entity): boolean {
  if ('allOf' in criteria)
    return criteria.allOf.every(c => evaluate(c, entity));
  if ('anyOf' in criteria) return criteria.anyOf.some(c => evaluate(c, entity));
  if ('not' in criteria) return !evaluate(criteria.not, entity);
  const rule = Object.values(permissionRules).find(
    r => r.name === criteria.rule,
  );
  if (!rule) throw new Error(`unknown rule ${criteria.rule}`);
  return rule.apply(entity, criteria.params as any);
}

function decide(decision: PolicyDecision, entity: Entity) {
  if (decision.result !== AuthorizeResult.CONDITIONAL) return decision.result;
  expect(decision.pluginId).toBe('catalog');
  expect(decision.resourceType).toBe('catalog-entity');
  return evaluate(decision.conditions as Criteria, entity)
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

describe('EpicshelterPermissionPolicy', () => {
  const ownership = jest.fn(async () => guest.info.ownershipEntityRefs);
  const policy = new EpicshelterPermissionPolicy(ownership);

  it('lets a guest read every entity', async () => {
    const decision = await policy.handle({ permission: readEntity }, guest);
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets anonymous callers read but not change', async () => {
    expect(await policy.handle({ permission: readEntity })).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission: syncApp })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('denies an entity action to a user who does not own the entity', async () => {
    const decision = await policy.handle({ permission: syncApp }, guest);
    expect(decide(decision, ownedBy('group:default/payments-team'))).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('allows an entity action to the owning group and user', async () => {
    const decision = await policy.handle({ permission: syncApp }, guest);
    expect(decide(decision, ownedBy('group:default/checkout-team'))).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(decide(decision, ownedBy('user:default/guest'))).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('applies ownership to deleting entities', async () => {
    const decision = await policy.handle({ permission: deleteEntity }, guest);
    expect(decide(decision, ownedBy('group:default/payments-team'))).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('denies entity actions to a user that owns nothing', async () => {
    const lonely = new EpicshelterPermissionPolicy(async () => []);
    expect(await lonely.handle({ permission: syncApp }, guest)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('keeps refresh and creating new things open to signed-in users', async () => {
    expect(await policy.handle({ permission: refreshEntity }, guest)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission: runTemplate }, guest)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  describe('environment permissions', () => {
    const admins = ['group:default/platform-team', 'user:default/root'];
    const withAdmins = (owned: string[]) =>
      new EpicshelterPermissionPolicy(async () => owned, admins);
    const ada = {
      credentials: mockCredentials.user('user:default/ada'),
      info: {
        userEntityRef: 'user:default/ada',
        ownershipEntityRefs: [
          'user:default/ada',
          'group:default/platform-team',
        ],
      },
    };

    it('grants the admin permission to members of a platform admin group', async () => {
      const policy2 = withAdmins(ada.info.ownershipEntityRefs);
      expect(
        await policy2.handle({ permission: environmentAdminPermission }, ada),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('grants the admin permission to a user listed by name, in any case', async () => {
      const root = {
        credentials: mockCredentials.user('user:default/Root'),
        info: { userEntityRef: 'user:default/Root', ownershipEntityRefs: [] },
      };
      expect(
        await withAdmins([]).handle(
          { permission: environmentAdminPermission },
          root,
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('refuses the admin permission to everyone else, and when no admins are configured', async () => {
      expect(
        await withAdmins(guest.info.ownershipEntityRefs).handle(
          { permission: environmentAdminPermission },
          guest,
        ),
      ).toEqual({ result: AuthorizeResult.DENY });
      expect(
        await policy.handle({ permission: environmentAdminPermission }, ada),
      ).toEqual({ result: AuthorizeResult.DENY });
      expect(
        await withAdmins([]).handle({ permission: environmentAdminPermission }),
      ).toEqual({ result: AuthorizeResult.DENY });
    });

    it('reads a bare admin name as a group', async () => {
      const bare = new EpicshelterPermissionPolicy(
        async () => ada.info.ownershipEntityRefs,
        ['platform-team'],
      );
      expect(
        await bare.handle({ permission: environmentAdminPermission }, ada),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('lets platform admins change every environment', async () => {
      expect(
        await withAdmins(ada.info.ownershipEntityRefs).handle(
          { permission: environmentChangePermission },
          ada,
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    });

    it('lets only the owners of an environment change it otherwise', async () => {
      const decision = await withAdmins(guest.info.ownershipEntityRefs).handle(
        { permission: environmentChangePermission },
        guest,
      );
      expect(decide(decision, ownedBy('group:default/platform-team'))).toBe(
        AuthorizeResult.DENY,
      );
      expect(decide(decision, ownedBy('group:default/checkout-team'))).toBe(
        AuthorizeResult.ALLOW,
      );
    });
  });

  describe('environment owners through the group tree', () => {
    /** A group as the catalog returns it: `childOf` towards its parent. */
    const group = (name: string, parent?: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default' },
      spec: { type: 'team', children: [] },
      relations: parent
        ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
        : [],
    });
    const catalogOf = (groups: Entity[]) => {
      const byRef = new Map(
        groups.map(g => [`group:default/${g.metadata.name}`, g]),
      );
      return jest.fn(async (refs: string[]) =>
        refs.flatMap(ref => (byRef.has(ref) ? [byRef.get(ref)!] : [])),
      );
    };
    // platform-team ← sre ← oncall; checkout-team stands alone.
    const tree = [
      group('platform-team'),
      group('sre', 'platform-team'),
      group('oncall', 'sre'),
      group('checkout-team'),
    ];
    const memberOf = (groups: string[]) => ({
      credentials: mockCredentials.user('user:default/ada'),
      info: {
        userEntityRef: 'user:default/ada',
        ownershipEntityRefs: ['user:default/ada', ...groups],
      },
    });
    const changeBy = async (
      user: ReturnType<typeof memberOf>,
      loadGroups: ReturnType<typeof catalogOf>,
      owner: string,
    ) => {
      const decision = await new EpicshelterPermissionPolicy(
        async () => user.info.ownershipEntityRefs,
        [],
        loadGroups,
      ).handle({ permission: environmentChangePermission }, user);
      return decide(decision, ownedBy(owner));
    };

    it('lets members of a child and of a grandchild group of the owner change it', async () => {
      expect(
        await changeBy(
          memberOf(['group:default/sre']),
          catalogOf(tree),
          'group:default/platform-team',
        ),
      ).toBe(AuthorizeResult.ALLOW);
      expect(
        await changeBy(
          memberOf(['group:default/oncall']),
          catalogOf(tree),
          'group:default/platform-team',
        ),
      ).toBe(AuthorizeResult.ALLOW);
    });

    it('refuses members of unrelated groups and of the owner parent group', async () => {
      expect(
        await changeBy(
          memberOf(['group:default/checkout-team']),
          catalogOf(tree),
          'group:default/platform-team',
        ),
      ).toBe(AuthorizeResult.DENY);
      expect(
        await changeBy(
          memberOf(['group:default/platform-team']),
          catalogOf(tree),
          'group:default/oncall',
        ),
      ).toBe(AuthorizeResult.DENY);
    });

    it('ends the walk on a cycle in the group tree', async () => {
      const loadGroups = catalogOf([
        group('a', 'b'),
        group('b', 'c'),
        group('c', 'a'),
      ]);
      expect(
        await changeBy(
          memberOf(['group:default/a']),
          loadGroups,
          'group:default/checkout-team',
        ),
      ).toBe(AuthorizeResult.DENY);
      expect(loadGroups).toHaveBeenCalledTimes(3);
    });

    it('looks at most ten levels above the user groups', async () => {
      // g0 ← g1 ← ... ← g12: a member of g12 is twelve levels below g0.
      const chain = Array.from({ length: 13 }, (_, i) =>
        group(`g${i}`, i > 0 ? `g${i - 1}` : undefined),
      );
      const member = memberOf(['group:default/g12']);
      expect(await changeBy(member, catalogOf(chain), 'group:default/g2')).toBe(
        AuthorizeResult.ALLOW,
      );
      expect(await changeBy(member, catalogOf(chain), 'group:default/g1')).toBe(
        AuthorizeResult.DENY,
      );
    });

    it('reads the group tree once for all the decisions of one request', async () => {
      const loadGroups = catalogOf(tree);
      const policy3 = new EpicshelterPermissionPolicy(
        async () => ['user:default/ada', 'group:default/oncall'],
        [],
        loadGroups,
      );
      const user = memberOf(['group:default/oncall']);
      await Promise.all([
        policy3.handle({ permission: environmentChangePermission }, user),
        policy3.handle({ permission: environmentChangePermission }, user),
      ]);
      expect(loadGroups).toHaveBeenCalledTimes(3);
    });

    it('keeps other entity actions to direct owners', async () => {
      const loadGroups = catalogOf(tree);
      const user = memberOf(['group:default/oncall']);
      const decision = await new EpicshelterPermissionPolicy(
        async () => user.info.ownershipEntityRefs,
        [],
        loadGroups,
      ).handle({ permission: syncApp }, user);
      expect(decide(decision, ownedBy('group:default/platform-team'))).toBe(
        AuthorizeResult.DENY,
      );
      expect(loadGroups).not.toHaveBeenCalled();
    });
  });
});
