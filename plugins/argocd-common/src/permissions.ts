import { createPermission } from '@backstage/plugin-permission-common';

/** Read the Argo CD applications of a catalog entity. @public */
export const argocdReadPermission = createPermission({
  name: 'argocd.application.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Sync, refresh or terminate an operation on the Argo CD applications of a
 * catalog entity. The portal policy grants it to the entity's owners.
 * @public
 */
export const argocdActionPermission = createPermission({
  name: 'argocd.application.action',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** All permissions of the argocd plugin. @public */
export const argocdPermissions = [argocdReadPermission, argocdActionPermission];

/**
 * See and call the sync-application and refresh-application agent tools
 * (actions registry entries served over MCP): their `visibilityPermission`.
 * The portal policy grants it to owners of at least one catalog entity with
 * Argo CD applications (the only callers `argocd.application.action` can
 * allow on some entity); whether a call may act on a given entity's
 * applications is still decided by that permission.
 * @public
 */
export const argocdApplicationToolsPermission = createPermission({
  name: 'argocd.application.tools',
  attributes: { action: 'update' },
});
