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
import {
  environmentAdminPermission,
  environmentChangePermission,
} from '@epicshelter/plugin-gitops-common';
import { normalizeEntityRef } from './refs';

/**
 * Looks up the entity refs a user owns through (itself and its groups).
 *
 * @public
 */
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

/**
 * True for permissions that change state (create, update or delete).
 *
 * @public
 */
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
 * - Platform admins (the users and groups listed in
 *   `epicshelter.platformAdmins`) hold `epicshelter.environment.admin` and may
 *   change every environment (`epicshelter.environment.change`); nobody else
 *   holds the admin permission.
 * - Requests without a user (anonymous) may only read.
 *
 * @public
 */
export class EpicshelterPermissionPolicy implements PermissionPolicy {
  private readonly platformAdmins: Set<string>;

  /**
   * @param ownership - the entity refs a user owns through
   * @param platformAdmins - refs of the platform admin users and groups
   *   (`group:default/platform-team`; a bare name means a group)
   */
  constructor(
    private readonly ownership: OwnershipLookup,
    platformAdmins: string[] = [],
  ) {
    this.platformAdmins = new Set(
      platformAdmins.map(ref => normalizeEntityRef(ref, 'group')),
    );
  }

  /** Whether the user or one of its groups is a platform admin. */
  private async isPlatformAdmin(user: PolicyQueryUser): Promise<boolean> {
    if (
      this.platformAdmins.size === 0 ||
      !isUserCredentials(user.credentials)
    ) {
      return false;
    }
    const claims = [
      user.credentials.principal.userEntityRef,
      ...(await this.ownership(user.credentials)),
    ];
    return claims.some(ref =>
      this.platformAdmins.has(normalizeEntityRef(ref, 'user')),
    );
  }

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
    if (permission.name === environmentAdminPermission.name) {
      return {
        result: (await this.isPlatformAdmin(user))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      permission.name === environmentChangePermission.name &&
      (await this.isPlatformAdmin(user))
    ) {
      return { result: AuthorizeResult.ALLOW };
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
