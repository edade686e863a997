import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import policyModule from './index';

const entity = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const entities: Record<string, Entity> = {
  'component:default/orders-api': entity(
    'orders-api',
    'group:default/checkout-team',
  ),
  'component:default/payments-worker': entity(
    'payments-worker',
    'group:default/payments-team',
  ),
};

/**
 * Stands in for the catalog's permission integration: it registers the
 * catalog's own rules (isEntityOwner, …) for the catalog-entity resource
 * type, so the permission backend evaluates our conditional decisions the way
 * the real catalog does.
 */
const catalogPermissionsOnly = createBackendPlugin({
  pluginId: 'catalog',
  register(reg) {
    reg.registerInit({
      deps: { registry: coreServices.permissionsRegistry },
      async init({ registry }) {
        registry.addResourceType({
          resourceRef: catalogEntityPermissionResourceRef,
          getResources: async refs => refs.map(ref => entities[ref]),
          rules: Object.values(permissionRules),
        });
      },
    });
  },
});

const syncPermission = {
  type: 'resource',
  name: 'argocd.application.action',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
};

describe('permissionModuleEpicshelterPolicy in the permission backend', () => {
  async function authorize(items: object[], ownershipEntityRefs: string[]) {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        policyModule,
        catalogPermissionsOnly,
        mockServices.userInfo.mock({
          getUserInfo: async () => ({
            userEntityRef: 'user:default/guest',
            ownershipEntityRefs,
          }),
        }).factory,
      ],
    });
    try {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set('Authorization', mockCredentials.user.header('user:default/guest'))
        .send({
          items: items.map((item, i) => ({ id: String(i), ...item })),
        });
      expect(res.status).toBe(200);
      return res.body.items.map((i: { result: string }) => i.result);
    } finally {
      server.close();
    }
  }

  const createEntity = {
    permission: {
      type: 'basic',
      name: 'catalog.entity.create',
      attributes: { action: 'create' },
    },
  };
  const readEntity = {
    permission: {
      type: 'resource',
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    },
    resourceRef: 'component:default/payments-worker',
  };
  const syncOthers = {
    permission: syncPermission,
    resourceRef: 'component:default/payments-worker',
  };

  it('allows reading and creating to a signed-in user', async () => {
    expect(
      await authorize([createEntity, readEntity], ['user:default/guest']),
    ).toEqual(['ALLOW', 'ALLOW']);
  });

  it('reads ownership through the userInfo service', async () => {
    expect(await authorize([syncOthers], [])).toEqual(['DENY']);
  });

  it('hands entity actions to the catalog as an ownership condition', async () => {
    // The condition is evaluated by the catalog plugin's permission
    // integration; the test backend's mock tokens are refused there, which
    // shows the decision was CONDITIONAL rather than a definitive answer.
    const { server } = await startTestBackend({
      features: [permissionPlugin, policyModule, catalogPermissionsOnly],
    });
    try {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set('Authorization', mockCredentials.user.header('user:default/guest'))
        .send({ items: [{ id: '1', ...syncOthers }] });
      expect(res.text).toContain(
        '/.well-known/backstage/permissions/apply-conditions',
      );
    } finally {
      server.close();
    }
  });

  it('reads the platform admins from epicshelter.platformAdmins', async () => {
    const adminPermission = {
      permission: {
        type: 'basic',
        name: 'epicshelter.environment.admin',
        attributes: { action: 'update' },
      },
    };
    const decide = async (user: string, groups: string[]) => {
      const { server } = await startTestBackend({
        features: [
          permissionPlugin,
          policyModule,
          catalogPermissionsOnly,
          mockServices.rootConfig.factory({
            data: {
              epicshelter: { platformAdmins: ['group:default/platform-team'] },
            },
          }),
          mockServices.userInfo.mock({
            getUserInfo: async () => ({
              userEntityRef: user,
              ownershipEntityRefs: [user, ...groups],
            }),
          }).factory,
        ],
      });
      try {
        const res = await request(server)
          .post('/api/permission/authorize')
          .set('Authorization', mockCredentials.user.header(user))
          .send({ items: [{ id: '1', ...adminPermission }] });
        expect(res.status).toBe(200);
        return res.body.items[0].result;
      } finally {
        server.close();
      }
    };
    expect(
      await decide('user:default/ada', ['group:default/platform-team']),
    ).toBe('ALLOW');
    expect(
      await decide('user:default/guest', ['group:default/checkout-team']),
    ).toBe('DENY');
  });
});
