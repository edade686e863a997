import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  environmentAdminPermission,
  environmentChangePermission,
} from '@epicshelter/plugin-gitops-common';
import { environmentEntityRef } from '../actions/createEnvironment';
import { belongsToOwnerTransitively, ownerRefOf } from './membership';
import {
  authorizeExpiredDecommission,
  isExpiryService,
} from './expiredDecommission';

/**
 * Decides whether the person who started a task may change or create an
 * environment. Every action that writes an environment asks it before it
 * reads or renders anything.
 * @public
 */
export interface EnvironmentAuthorizer {
  /**
   * Throws NotAllowedError unless `credentials` may change `environment`
   * (it owns the environment's catalog entity, or is a platform admin).
   * `change` names the change for the message, e.g. "add a cache";
   * `action` says what kind of change it is where that matters to the
   * decision (the decommission action passes `'decommission'`, the only
   * change the environments backend's expiry scheduler may make).
   */
  authorizeEnvironmentChange(options: {
    credentials: BackstageCredentials;
    environment: string;
    change: string;
    action?: EnvironmentChangeAction;
  }): Promise<void>;
  /**
   * Throws InputError when `owner` is not in the catalog and NotAllowedError
   * unless the requester is that owner, a member of it or of a group below
   * it (its children, their children, ...), or a platform admin.
   */
  authorizeEnvironmentCreation(options: {
    credentials: BackstageCredentials;
    environment: string;
    owner: string;
  }): Promise<void>;
}

/**
 * The kind of an environment change, where the authorizer decides by it
 * (`'decommission'`: removing the environment). Changes without one are
 * edits of the environment.
 * @public
 */
export type EnvironmentChangeAction = 'decommission';

function userPrincipalOf(
  credentials: BackstageCredentials,
  doing: string,
): BackstageUserPrincipal {
  const principal = credentials.principal as Partial<BackstageUserPrincipal>;
  if (principal?.type !== 'user' || !principal.userEntityRef) {
    throw new NotAllowedError(
      `Only a signed-in user may ${doing}; this task was not started by one.`,
    );
  }
  return principal as BackstageUserPrincipal;
}

/**
 * The {@link EnvironmentAuthorizer} of the portal: the permission framework
 * (`epicshelter.environment.change` on `resource:default/<env>`,
 * `epicshelter.environment.admin`) and the catalog's group membership, both
 * asked with the task initiator's credentials.
 * @public
 */
export class PermissionEnvironmentAuthorizer implements EnvironmentAuthorizer {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      catalog: CatalogService;
    },
  ) {}

  async authorizeEnvironmentChange(options: {
    credentials: BackstageCredentials;
    environment: string;
    change: string;
    action?: EnvironmentChangeAction;
  }): Promise<void> {
    const { credentials, environment, change, action } = options;
    if (isExpiryService(credentials)) {
      // The expiry scheduler: only an expired environment's decommission.
      authorizeExpiredDecommission({
        entity: await this.deps.catalog.getEntityByRef(
          environmentEntityRef(environment),
          { credentials },
        ),
        environment,
        change,
        action,
        now: new Date(),
      });
      return;
    }
    userPrincipalOf(credentials, `${change} to environment '${environment}'`);
    const resourceRef = environmentEntityRef(environment);
    const entity = await this.deps.catalog.getEntityByRef(resourceRef, {
      credentials,
    });
    if (!entity) {
      throw new NotAllowedError(
        `Environment '${environment}' is not in the catalog (yet), so who owns it cannot be checked; nothing was changed. Try again once the catalog shows it.`,
      );
    }
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: environmentChangePermission, resourceRef }],
      { credentials },
    );
    // The permission policy is the only judge of a change (the Epicshelter
    // policy counts members of groups below the owner as owners too).
    if (decision.result === AuthorizeResult.ALLOW) return;
    const owner = String(entity.spec?.owner ?? 'its owner');
    throw new NotAllowedError(
      `You may not ${change} to environment '${environment}': it is owned by ${owner}, and only its owners and platform admins may change it. Nothing was changed; ask ${owner} to make the change.`,
    );
  }

  async authorizeEnvironmentCreation(options: {
    credentials: BackstageCredentials;
    environment: string;
    owner: string;
  }): Promise<void> {
    const { credentials, environment } = options;
    const { userEntityRef } = userPrincipalOf(
      credentials,
      `create environment '${environment}'`,
    );
    const ownerRef = ownerRefOf(options.owner);
    const member = await this.belongsTo(userEntityRef, ownerRef, credentials);
    if (member === undefined) {
      throw new InputError(
        `The owner ${ownerRef} of environment '${environment}' does not exist in the catalog; pick an existing group or user.`,
      );
    }
    if (member) return;
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: environmentAdminPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not create environment '${environment}' for ${ownerRef}: you are not a member of it. Pick a group you belong to as owner, or ask a platform admin. Nothing was written.`,
      );
    }
  }

  /**
   * Whether the user is the owner, a member of it, or a member of a group
   * below it (see belongsToOwnerTransitively); undefined when the owner is
   * not in the catalog.
   */
  private async belongsTo(
    userEntityRef: string,
    ownerRef: string,
    credentials: BackstageCredentials,
  ): Promise<boolean | undefined> {
    const [owner, user] = await Promise.all([
      this.deps.catalog.getEntityByRef(ownerRef, { credentials }),
      this.deps.catalog.getEntityByRef(userEntityRef, { credentials }),
    ]);
    if (!owner) return undefined;
    return belongsToOwnerTransitively({
      userRef: userEntityRef,
      owner,
      user,
      loadGroups: async entityRefs => {
        const { items } = await this.deps.catalog.getEntitiesByRefs(
          { entityRefs },
          { credentials },
        );
        return items.filter((e): e is Entity => !!e);
      },
    });
  }
}
