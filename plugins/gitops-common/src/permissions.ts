import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Change an environment (add a resource, promote, decommission, extend): an
 * `update` on the environment's catalog entity (`resource:default/<env>`).
 * The portal policy grants it to the environment's owners and to platform
 * admins.
 * @public
 */
export const environmentChangePermission = createPermission({
  name: 'epicshelter.environment.change',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Act for any owner: create an environment for a group one is not a member
 * of, change any environment. The portal policy grants it to the groups and
 * users listed in `epicshelter.platformAdmins`.
 * @public
 */
export const environmentAdminPermission = createPermission({
  name: 'epicshelter.environment.admin',
  attributes: { action: 'update' },
});

/** Every permission of the Epicshelter environments. @public */
export const environmentPermissions = [
  environmentChangePermission,
  environmentAdminPermission,
];
