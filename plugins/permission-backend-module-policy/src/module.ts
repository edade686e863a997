import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { EpicshelterPermissionPolicy } from './policy';

/**
 * Installs the Epicshelter permission policy into the permission backend;
 * platform admins come from `epicshelter.platformAdmins`.
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
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new EpicshelterPermissionPolicy(async credentials => {
            const info = await userInfo.getUserInfo(credentials);
            return info.ownershipEntityRefs;
          }, config.getOptionalStringArray('epicshelter.platformAdmins') ?? []),
        );
      },
    });
  },
});
