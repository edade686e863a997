import type { Entity } from '@backstage/catalog-model';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionEnvironmentAuthorizer } from './EnvironmentAuthorizer';

const environment = (name: string, expiresAt?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'environment',
    owner: 'group:default/team-a',
    environment: {
      target: 'local',
      provider: 'local',
      ...(expiresAt ? { expiry: { ttl: '4h', expiresAt } } : {}),
    },
  },
});

describe('the expiry scheduler as the initiator of a change', () => {
  const authorizer = new PermissionEnvironmentAuthorizer({
    // a service principal passes the permission framework: the authorizer
    // itself must hold it to expired decommissions
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    catalog: catalogServiceMock({
      entities: [
        environment('expired', '2020-01-01T00:00:00.000Z'),
        environment('later', '2999-01-01T00:00:00.000Z'),
        environment('forever'),
      ],
    }),
  });
  const change = (env: string, what: string, subject = 'plugin:environments') =>
    authorizer.authorizeEnvironmentChange({
      credentials: mockCredentials.service(subject),
      environment: env,
      change: what,
      // what the decommission action passes; other actions pass none
      ...(what === 'make a decommission change'
        ? { action: 'decommission' as const }
        : {}),
    });

  it('may decommission an environment whose expiry has passed', async () => {
    await expect(
      change('expired', 'make a decommission change'),
    ).resolves.toBeUndefined();
  });

  it.each([
    [
      'later',
      'make a decommission change',
      "The environments backend may not decommission environment 'later' yet: it expires at 2999-01-01T00:00:00.000Z; nothing was changed.",
    ],
    [
      'forever',
      'make a decommission change',
      "The environments backend may not decommission environment 'forever': it has no expiry in the catalog; nothing was changed.",
    ],
    [
      'expired',
      'add 1d of time to live',
      "The environments backend may only decommission expired environments, not add 1d of time to live to environment 'expired'; nothing was changed.",
    ],
  ])('may not touch %s (%s)', async (env, what, message) => {
    await expect(change(env, what)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message,
    });
  });

  it('goes by the structured action, not by the words of the change', async () => {
    await expect(
      authorizer.authorizeEnvironmentChange({
        credentials: mockCredentials.service('plugin:environments'),
        environment: 'expired',
        change: 'make a decommission change',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "The environments backend may only decommission expired environments, not make a decommission change to environment 'expired'; nothing was changed.",
    });
  });

  it('is the only service that may', async () => {
    await expect(
      change('expired', 'make a decommission change', 'plugin:catalog'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "Only a signed-in user may make a decommission change to environment 'expired'; this task was not started by one.",
    });
  });
});
