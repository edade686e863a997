import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { EpicshelterPermissionPolicy } from './policy';

/**
 * Installs the Epicshelter permission policy into the permission backend.
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
      },
      async init({ policy, userInfo }) {
        policy.setPolicy(
          new EpicshelterPermissionPolicy(async credentials => {
            const info = await userInfo.getUserInfo(credentials);
            return info.ownershipEntityRefs;
          }),
        );
      },
    });
  },
});
