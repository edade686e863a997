import type { Entity } from '@backstage/catalog-model';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionEnvironmentAuthorizer } from './EnvironmentAuthorizer';

const groups: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'platform-team', namespace: 'default' },
    spec: { type: 'team', children: ['sre'] },
    relations: [{ type: 'parentOf', targetRef: 'group:default/sre' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'sre', namespace: 'default' },
    spec: { type: 'team', parent: 'platform-team', children: [] },
    relations: [
      { type: 'childOf', targetRef: 'group:default/platform-team' },
      { type: 'hasMember', targetRef: 'user:default/grace' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'checkout-team', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: 'user:default/alice' }],
  },
];
const users: Entity[] = [
  ['grace', 'sre'],
  ['alice', 'checkout-team'],
].map(([name, group]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [group] },
  relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
}));

describe('PermissionEnvironmentAuthorizer.authorizeEnvironmentCreation', () => {
  const authorizer = new PermissionEnvironmentAuthorizer({
    // no platform-admin permission: only membership can allow
    permissions: mockServices.permissions({ result: AuthorizeResult.DENY }),
    catalog: catalogServiceMock({ entities: [...groups, ...users] }),
  });
  const create = (user: string) =>
    authorizer.authorizeEnvironmentCreation({
      credentials: mockCredentials.user(user),
      environment: 'platform-dev',
      owner: 'group:default/platform-team',
    });

  it('lets a member of a child group of the owner create an environment for it', async () => {
    await expect(create('user:default/grace')).resolves.toBeUndefined();
  });

  it('refuses a member of an unrelated group', async () => {
    await expect(create('user:default/alice')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "You may not create environment 'platform-dev' for group:default/platform-team: you are not a member of it. Pick a group you belong to as owner, or ask a platform admin. Nothing was written.",
    });
  });
});

describe('PermissionEnvironmentAuthorizer.authorizeEnvironmentChange', () => {
  const staging: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'staging', namespace: 'default' },
    spec: { type: 'environment', owner: 'group:default/platform-team' },
  };
  const authorizerWith = (
    result: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) =>
    new PermissionEnvironmentAuthorizer({
      permissions: mockServices.permissions({ result }),
      catalog: catalogServiceMock({ entities: [...groups, ...users, staging] }),
    });
  const change = (
    user: string,
    authorizer = authorizerWith(AuthorizeResult.DENY),
  ) =>
    authorizer.authorizeEnvironmentChange({
      credentials: mockCredentials.user(user),
      environment: 'staging',
      change: 'add a cache',
    });

  it('allows a change the permission policy allows', async () => {
    await expect(
      change('user:default/grace', authorizerWith(AuthorizeResult.ALLOW)),
    ).resolves.toBeUndefined();
  });

  it('obeys a refusal of the policy, even for a member of a child group of the owner', async () => {
    await expect(change('user:default/grace')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "You may not add a cache to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    });
  });

  it('refuses a member of an unrelated group', async () => {
    await expect(change('user:default/alice')).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "You may not add a cache to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    });
  });
});
