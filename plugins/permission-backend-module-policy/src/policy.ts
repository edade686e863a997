import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';

/** Looks up the entity refs a user owns through (itself and its groups). */
export type OwnershipLookup = (
  credentials: BackstageCredentials<BackstageUserPrincipal>,
) => Promise<string[]>;

/**
 * Entity permissions that change nothing a user owns and so stay open to
 * everyone signed in: refreshing re-reads the entity from its source.
 */
const OPEN_ENTITY_ACTIONS = new Set(['catalog.entity.refresh']);

function isUserCredentials(
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> {
  return (
    (credentials.principal as { type?: string } | undefined)?.type === 'user'
  );
}

/** True for permissions that change state (create, update or delete). */
export function isChangeAction(permission: Permission): boolean {
  const action = permission.attributes.action;
  return action === 'create' || action === 'update' || action === 'delete';
}

/**
 * The Epicshelter policy.
 *
 * - Reading is allowed to every signed-in user (guests included).
 * - Updating or deleting a catalog entity, or any plugin action scoped to an
 *   entity (for example an Argo CD sync, declared as an `update` permission
 *   on the `catalog-entity` resource type), is allowed only to the entity's
 *   owners: the decision is conditional on `isEntityOwner`, which the catalog
 *   evaluates against the entity.
 * - Creating things that are not yet owned by anyone (running a template,
 *   registering a location) is allowed to every signed-in user; the templates
 *   record the requester as owner.
 * - Requests without a user (anonymous) may only read.
 */
export class EpicshelterPermissionPolicy implements PermissionPolicy {
  constructor(private readonly ownership: OwnershipLookup) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!isChangeAction(permission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (
      isResourcePermission(permission, 'catalog-entity') &&
      permission.attributes.action !== 'create' &&
      !OPEN_ENTITY_ACTIONS.has(permission.name)
    ) {
      if (!isUserCredentials(user.credentials)) {
        return { result: AuthorizeResult.DENY };
      }
      const claims = await this.ownership(user.credentials);
      if (claims.length === 0) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
