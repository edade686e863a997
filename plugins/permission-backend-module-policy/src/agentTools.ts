import { parseEntityRef } from '@backstage/catalog-model';
import type { Permission } from '@backstage/plugin-permission-common';
import { argocdApplicationToolsPermission } from '@epicshelter/plugin-argocd-common';
import {
  createEnvironmentToolPermission,
  environmentChangeToolPermissions,
} from '@epicshelter/plugin-environments-common';

/**
 * Who may see an agent tool (its actions-registry `visibilityPermission`):
 * - `group-member`: members of at least one group, and platform admins
 *   (an environment is created for a group the requester belongs to);
 * - `environment-owner`: platform admins and owners, through the group
 *   tree, of at least one environment;
 * - `argocd-owner`: direct owners of at least one entity with Argo CD
 *   applications (the owners `argocd.application.action` allows; admins
 *   hold no Argo CD rights on others' entities).
 * @public
 */
export type AgentToolAudience =
  | 'group-member'
  | 'environment-owner'
  | 'argocd-owner';

/**
 * Whether the catalog holds an entity owned by one of `claims` (entity refs):
 * an environment (`kind: 'environment'`) or an entity with Argo CD
 * applications (`kind: 'argocd'`).
 * @public
 */
export type OwnedEntityLookup = (query: {
  kind: 'environment' | 'argocd';
  claims: string[];
}) => Promise<boolean>;

const AUDIENCES = new Map<string, AgentToolAudience>([
  [createEnvironmentToolPermission.name, 'group-member'],
  ...environmentChangeToolPermissions.map((p): [string, AgentToolAudience] => [
    p.name,
    'environment-owner',
  ]),
  [argocdApplicationToolsPermission.name, 'argocd-owner'],
]);

/** The audience of an agent tool's visibility permission; undefined for other permissions. */
export function agentToolAudience(
  permission: Permission,
): AgentToolAudience | undefined {
  return permission.type === 'basic'
    ? AUDIENCES.get(permission.name)
    : undefined;
}

/** True for a group's entity ref (`group:default/team-a`). */
export function isGroupRef(ref: string): boolean {
  try {
    return parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group';
  } catch {
    return false;
  }
}
