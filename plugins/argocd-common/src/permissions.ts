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
