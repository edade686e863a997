import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
  ResourcePermission,
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
import {
  GroupLoader,
  groupsWithAncestors,
} from '@epicshelter/plugin-environments-common';
import { normalizeEntityRef } from './refs';
import {
  AgentToolAudience,
  OwnedEntityLookup,
  agentToolAudience,
  isGroupRef,
} from './agentTools';

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
 * Allowed on the entities owned by one of `claims` (the catalog evaluates the
 * condition); denied outright when there are none.
 */
function ownerDecision(
  permission: ResourcePermission<'catalog-entity'>,
  claims: string[],
): PolicyDecision {
  if (claims.length === 0) return { result: AuthorizeResult.DENY };
  return createCatalogConditionalDecision(
    permission,
    catalogConditions.isEntityOwner({ claims }),
  );
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
 * - Anyone else may change an environment it owns: the decision is
 *   conditional on `isEntityOwner` with the user's ownership refs and, when
 *   the policy can read groups, every group above the user's groups in the
 *   catalog's group tree (a member of a child group of the owner, of a
 *   grandchild, ... up to 10 levels, owns the environment too).
 * - The agent tools that change things (actions registry entries served
 *   over MCP) are visible only to callers who could run them somewhere:
 *   create-environment to members of a group and platform admins; the
 *   environment-change tools to platform admins and owners (through the
 *   group tree) of at least one environment; Argo CD sync and refresh to
 *   owners of at least one entity with Argo CD applications.
 * - Requests without a user (anonymous) may only read.
 *
 * @public
 */
export class EpicshelterPermissionPolicy implements PermissionPolicy {
  private readonly platformAdmins: Set<string>;
  /**
   * Per authorization request (the permission backend passes one `user`
   * object to every item of a request): the user's ownership refs, and those
   * with the groups above them, so a batch of decisions reads them once.
   */
  private readonly ownershipOfRequest = new WeakMap<
    PolicyQueryUser,
    Promise<string[]>
  >();
  private readonly environmentClaimsOfRequest = new WeakMap<
    PolicyQueryUser,
    Promise<string[]>
  >();
  private readonly toolAudiencesOfRequest = new WeakMap<
    PolicyQueryUser,
    Map<AgentToolAudience, Promise<boolean>>
  >();

  /**
   * @param ownership - the entity refs a user owns through
   * @param platformAdmins - refs of the platform admin users and groups
   *   (`group:default/platform-team`; a bare name means a group)
   * @param loadGroups - reads groups from the catalog; with it, members of
   *   groups below an environment's owner may change the environment too
   * @param ownsAny - tells whether the catalog holds an environment (or an
   *   entity with Argo CD applications) owned by some claims; without it the
   *   agent tools are shown to every signed-in user with ownership claims
   */
  constructor(
    private readonly ownership: OwnershipLookup,
    platformAdmins: string[] = [],
    private readonly loadGroups?: GroupLoader,
    private readonly ownsAny?: OwnedEntityLookup,
  ) {
    this.platformAdmins = new Set(
      platformAdmins.map(ref => normalizeEntityRef(ref, 'group')),
    );
  }

  /** The user's ownership refs; none for a caller that is not a user. */
  private ownershipOf(user: PolicyQueryUser): Promise<string[]> {
    let claims = this.ownershipOfRequest.get(user);
    if (!claims) {
      claims = isUserCredentials(user.credentials)
        ? this.ownership(user.credentials)
        : Promise.resolve([]);
      this.ownershipOfRequest.set(user, claims);
    }
    return claims;
  }

  /**
   * The refs an environment's owner is matched against: the user's
   * ownership refs and every group above its groups (see
   * groupsWithAncestors: at most 10 levels, 500 groups, cycle-safe).
   */
  private environmentClaimsOf(user: PolicyQueryUser): Promise<string[]> {
    let claims = this.environmentClaimsOfRequest.get(user);
    if (!claims) {
      claims = this.ownershipOf(user).then(async own => {
        if (!this.loadGroups || own.length === 0) return own;
        const groups = await groupsWithAncestors({
          groupRefs: own,
          loadGroups: this.loadGroups,
        });
        return [...new Set([...own, ...groups])];
      });
      this.environmentClaimsOfRequest.set(user, claims);
    }
    return claims;
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
      ...(await this.ownershipOf(user)),
    ];
    return claims.some(ref =>
      this.platformAdmins.has(normalizeEntityRef(ref, 'user')),
    );
  }

  /**
   * Whether the user belongs to the audience of an agent tool (see
   * agentTools.ts), once per authorization request and audience.
   */
  private inToolAudience(
    user: PolicyQueryUser,
    audience: AgentToolAudience,
  ): Promise<boolean> {
    let audiences = this.toolAudiencesOfRequest.get(user);
    if (!audiences) {
      audiences = new Map();
      this.toolAudiencesOfRequest.set(user, audiences);
    }
    let decision = audiences.get(audience);
    if (!decision) {
      decision = this.decideToolAudience(user, audience);
      audiences.set(audience, decision);
    }
    return decision;
  }

  private async decideToolAudience(
    user: PolicyQueryUser,
    audience: AgentToolAudience,
  ): Promise<boolean> {
    if (audience === 'argocd-owner') {
      const claims = await this.ownershipOf(user);
      if (claims.length === 0) return false;
      return this.ownsAny ? this.ownsAny({ kind: 'argocd', claims }) : true;
    }
    if (await this.isPlatformAdmin(user)) return true;
    if (audience === 'group-member') {
      return (await this.ownershipOf(user)).some(isGroupRef);
    }
    const claims = await this.environmentClaimsOf(user);
    if (claims.length === 0) return false;
    return this.ownsAny ? this.ownsAny({ kind: 'environment', claims }) : true;
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
    const audience = agentToolAudience(permission);
    if (audience) {
      return {
        result: (await this.inToolAudience(user, audience))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
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
      isResourcePermission(permission, 'catalog-entity')
    ) {
      if (await this.isPlatformAdmin(user)) {
        return { result: AuthorizeResult.ALLOW };
      }
      return ownerDecision(permission, await this.environmentClaimsOf(user));
    }
    if (
      isResourcePermission(permission, 'catalog-entity') &&
      permission.attributes.action !== 'create' &&
      !OPEN_ENTITY_ACTIONS.has(permission.name)
    ) {
      return ownerDecision(permission, await this.ownershipOf(user));
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
