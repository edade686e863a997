import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Allows reading the Crossplane objects (claims, composites, managed
 * resources) behind a catalog entity.
 * @public
 */
export const crossplaneReadPermission = createPermission({
  name: 'crossplane.resources.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Allows viewing the (redacted) YAML of the Crossplane objects behind a catalog entity.
 * @public
 */
export const crossplaneYamlPermission = createPermission({
  name: 'crossplane.resources.yaml.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Allows reading Kubernetes events of the Crossplane objects behind a catalog entity.
 * @public
 */
export const crossplaneEventsPermission = createPermission({
  name: 'crossplane.resources.events.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission of the crossplane plugin.
 * @public
 */
export const crossplanePermissions = [
  crossplaneReadPermission,
  crossplaneYamlPermission,
  crossplaneEventsPermission,
];
