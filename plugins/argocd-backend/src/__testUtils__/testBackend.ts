import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackendFeature,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { FakeArgoCd } from '@epicshelter/fake-argocd';
import request from 'supertest';
import { argocdPlugin } from '../plugin';

/** The user the permission mock lets act (the entities' owner). */
export const OWNER = 'user:default/owner';

/**
 * Permission decisions as the portal policy makes them: anyone reads, only
 * the owner may act.
 */
export const ownerMayActPermissions: Partial<PermissionsService> = {
  authorize: jest.fn(async (requests, { credentials }) =>
    requests.map(r => {
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      if (
        isResourcePermission(r.permission, 'catalog-entity') &&
        r.permission.attributes.action === 'update'
      ) {
        return {
          result: user === OWNER ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }
      return { result: AuthorizeResult.ALLOW };
    }),
  ) as PermissionsService['authorize'],
};

/** A component entity with the given Argo CD annotations. */
export function component(
  name: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: OWNER, lifecycle: 'production' },
  };
}

/**
 * Starts the argocd plugin against a fake Argo CD (every fake instance is
 * configured under its own name) and returns a supertest client of
 * `/api/epicshelter-argocd`, authenticated as `user` (default: the owner).
 */
export async function startArgoCdBackend(options: {
  fake: FakeArgoCd;
  entities: Entity[];
  argocd?: Record<string, unknown>;
  features?: Array<BackendFeature>;
  permissions?: Partial<PermissionsService>;
}) {
  const backend = await startTestBackend({
    features: [
      argocdPlugin,
      mockServices.rootConfig.factory({
        data: {
          argocd: {
            username: 'admin',
            password: 'password',
            instances: options.fake.instanceNames.map(name => ({
              name,
              url: options.fake.url(name),
            })),
            prefetch: { enabled: false },
            // Tests that count upstream requests run without the watch; live.test.ts turns it on.
            watch: { enabled: false },
            ...options.argocd,
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.mock(
        options.permissions ?? ownerMayActPermissions,
      ).factory,
      ...(options.features ?? []),
    ],
  });
  const as = (user: string) => ({
    get: (path: string) =>
      request(backend.server)
        .get(`/api/epicshelter-argocd${path}`)
        .set('authorization', mockCredentials.user.header(user)),
    post: (path: string) =>
      request(backend.server)
        .post(`/api/epicshelter-argocd${path}`)
        .set('authorization', mockCredentials.user.header(user)),
    delete: (path: string) =>
      request(backend.server)
        .delete(`/api/epicshelter-argocd${path}`)
        .set('authorization', mockCredentials.user.header(user)),
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    ...as(OWNER),
    as,
  };
}
