import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { argocdApplicationToolsPermission } from '@epicshelter/plugin-argocd-common';
import {
  addEnvironmentResourceToolPermission,
  createEnvironmentToolPermission,
  decommissionEnvironmentToolPermission,
  promoteEnvironmentToolPermission,
} from '@epicshelter/plugin-environments-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import type { OwnedEntityLookup } from './agentTools';
import { EpicshelterPermissionPolicy } from './policy';

const TOOLS = {
  create: createEnvironmentToolPermission,
  addResource: addEnvironmentResourceToolPermission,
  promote: promoteEnvironmentToolPermission,
  decommission: decommissionEnvironmentToolPermission,
  argocd: argocdApplicationToolsPermission,
};

const user = (ref: string, groups: string[]) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
});

// What the catalog holds: staging is owned by platform-team (sre is its
// child group); orders-api (with Argo CD applications) by checkout-team.
const OWNED: Record<'environment' | 'argocd', string[]> = {
  environment: ['group:default/platform-team'],
  argocd: ['group:default/checkout-team'],
};
const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: parent
    ? [{ type: 'childOf', targetRef: `group:default/${parent}` }]
    : [],
});
const groups = [group('platform-team'), group('sre', 'platform-team')];

/** Which agent tools `who` sees, as the actions registry asks in one batch. */
async function visibleTools(who: ReturnType<typeof user>) {
  const ownsAny = jest.fn<
    ReturnType<OwnedEntityLookup>,
    Parameters<OwnedEntityLookup>
  >(async ({ kind, claims }) => claims.some(c => OWNED[kind].includes(c)));
  const policy = new EpicshelterPermissionPolicy(
    async () => who.info.ownershipEntityRefs,
    ['group:default/admins'],
    async refs =>
      groups.filter(g => refs.includes(`group:default/${g.metadata.name}`)),
    ownsAny,
  );
  const entries = Object.entries(TOOLS);
  const decisions = await Promise.all(
    entries.map(([, permission]) => policy.handle({ permission }, who)),
  );
  return {
    visible: entries
      .filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW)
      .map(([name]) => name),
    ownsAny,
  };
}

describe('agent tool visibility in the Epicshelter policy', () => {
  it('shows nothing that changes to a user who owns nothing and is in no group', async () => {
    const { visible } = await visibleTools(user('user:default/nobody', []));
    expect(visible).toEqual([]);
  });

  it('shows create, not the change tools, to a member of a group owning no environment', async () => {
    const { visible } = await visibleTools(
      user('user:default/alice', ['group:default/checkout-team']),
    );
    // checkout-team owns an entity with Argo CD applications
    expect(visible).toEqual(['create', 'argocd']);
  });

  it('shows the change tools to a member of a child group of an environment owner', async () => {
    const { visible, ownsAny } = await visibleTools(
      user('user:default/grace', ['group:default/sre']),
    );
    expect(visible).toEqual([
      'create',
      'addResource',
      'promote',
      'decommission',
    ]);
    // one catalog question per audience, not per tool
    expect(ownsAny.mock.calls.map(([q]) => q.kind).sort()).toEqual([
      'argocd',
      'environment',
    ]);
    expect(ownsAny).toHaveBeenCalledWith({
      kind: 'environment',
      claims: expect.arrayContaining(['group:default/platform-team']),
    });
  });

  it('shows every environment tool to a platform admin, Argo CD only where it owns applications', async () => {
    const { visible } = await visibleTools(
      user('user:default/root', ['group:default/admins']),
    );
    expect(visible).toEqual([
      'create',
      'addResource',
      'promote',
      'decommission',
    ]);
  });

  it('shows no tool to a service or an anonymous caller', async () => {
    const policy = new EpicshelterPermissionPolicy(
      async () => [],
      [],
      undefined,
      async () => true,
    );
    for (const permission of Object.values(TOOLS)) {
      expect(await policy.handle({ permission })).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(
        await policy.handle({ permission }, {
          credentials: mockCredentials.service('plugin:catalog'),
          info: { userEntityRef: '', ownershipEntityRefs: [] },
        } as PolicyQueryUser),
      ).toEqual({ result: AuthorizeResult.DENY });
    }
  });
});
