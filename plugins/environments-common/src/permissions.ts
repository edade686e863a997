import { createPermission } from '@backstage/plugin-permission-common';

/*
 * Who sees the agent tools (actions registry entries served over MCP) that
 * change environments. Each is a basic permission given to the action's
 * `visibilityPermission`: a caller denied it neither finds the tool in
 * tools/list nor may call it (the registry answers "not found"). Whether a
 * visible tool may change a given environment is still decided per
 * environment (epicshelter.environment.change / .admin).
 */

/**
 * See and call the create-environment agent tool. The portal policy grants
 * it to members of at least one group (an environment is owned by a group
 * the requester belongs to) and to platform admins.
 * @public
 */
export const createEnvironmentToolPermission = createPermission({
  name: 'epicshelter.environment.tool.create',
  attributes: { action: 'create' },
});

/**
 * See and call the add-environment-resource agent tool. The portal policy
 * grants it to owners of at least one environment and to platform admins.
 * @public
 */
export const addEnvironmentResourceToolPermission = createPermission({
  name: 'epicshelter.environment.tool.add-resource',
  attributes: { action: 'update' },
});

/**
 * See and call the promote-environment agent tool (owners of at least one
 * environment and platform admins, like add-resource).
 * @public
 */
export const promoteEnvironmentToolPermission = createPermission({
  name: 'epicshelter.environment.tool.promote',
  attributes: { action: 'update' },
});

/**
 * See and call the decommission-environment agent tool (owners of at least
 * one environment and platform admins).
 * @public
 */
export const decommissionEnvironmentToolPermission = createPermission({
  name: 'epicshelter.environment.tool.decommission',
  attributes: { action: 'delete' },
});

/**
 * The environment-change tool permissions: each is granted to whoever may
 * change at least one environment.
 * @public
 */
export const environmentChangeToolPermissions = [
  addEnvironmentResourceToolPermission,
  promoteEnvironmentToolPermission,
  decommissionEnvironmentToolPermission,
];
