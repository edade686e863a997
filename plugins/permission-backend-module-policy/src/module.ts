import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { EpicshelterPermissionPolicy } from './policy';
import { catalogOwnedEntityLookup } from './ownedEntities';

/**
 * Installs the Epicshelter permission policy into the permission backend;
 * platform admins come from `epicshelter.platformAdmins`, ownership from the
 * `userInfo` service, the group tree and the owned entities (which decide
 * who sees the agent tools) from the catalog.
 *
 * @public
 */
export const permissionModuleEpicshelterPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'epicshelter-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ policy, userInfo, config, auth, catalog }) {
        policy.setPolicy(
          new EpicshelterPermissionPolicy(
            async credentials => {
              const info = await userInfo.getUserInfo(credentials);
              return info.ownershipEntityRefs;
            },
            config.getOptionalStringArray('epicshelter.platformAdmins') ?? [],
            // Read as the permission backend itself: reading with the user's
            // credentials would ask this policy again for every group.
            async entityRefs => {
              const { items } = await catalog.getEntitiesByRefs(
                {
                  entityRefs,
                  fields: [
                    'kind',
                    'metadata.namespace',
                    'metadata.name',
                    'relations',
                  ],
                },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              return items.filter((e): e is Entity => !!e);
            },
            // Who sees the agent tools: owners of some environment, ...
            catalogOwnedEntityLookup({ catalog, auth }),
          ),
        );
      },
    });
  },
});
