import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ActionResponse,
  ArgoCdLocator,
  argocdActionPermission,
  argocdReadPermission,
} from '@epicshelter/plugin-argocd-common';
import type { ArgoCdApplicationLocator } from '@epicshelter/plugin-argocd-node';
import type { RefusalReason } from '../http/audit';
import type { ArgoCdApplications } from './ArgoCdApplications';
import type { AppRef } from './ArgoCdFetcher';
import { checkInstance, pickOwnedApplication } from './ownership';

/** An action on an application (sync, refresh, terminate). */
export type ApplicationAction = ActionResponse['action'];

/** An entity and what its Argo CD locator selects. */
export interface LocatedEntity {
  entityRef: string;
  locator: ArgoCdLocator;
}

/**
 * Who may see and act on which Argo CD application, for the routes and the
 * registry actions alike: the entity from the catalog (with the caller's
 * credentials), its locator, the read and action permissions on it, and
 * the application among the entity's own. Every refusal it throws is
 * tagged with its reason (validation, permission, ownership) for the audit
 * ({@link ApplicationAccess.refusalOf}).
 */
export class ApplicationAccess {
  /** Errors thrown by the checks before Argo CD is asked, with the reason they refuse. */
  private readonly refusals = new WeakMap<object, RefusalReason>();

  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      catalog: CatalogService;
      argocd: ArgoCdApplications;
      locator: ArgoCdApplicationLocator;
    },
  ) {}

  /** Why an error refused a request, when one of the checks threw it. */
  refusalOf(error: unknown): RefusalReason | undefined {
    return error && typeof error === 'object'
      ? this.refusals.get(error)
      : undefined;
  }

  /** Runs a check; an error it throws is a refusal of that kind (audited as such). */
  async check<T>(reason: RefusalReason, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error && typeof error === 'object' && !this.refusals.has(error)) {
        this.refusals.set(error, reason);
      }
      throw error;
    }
  }

  /** Loads the entity from the catalog and finds its applications' locator. */
  async locate(
    entity: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<LocatedEntity> {
    const entityRef = stringifyEntityRef(entity);
    const found = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!found) {
      throw new NotFoundError(`Entity ${entityRef} not found in the catalog`);
    }
    const locator = await this.deps.locator.locate(found);
    if (!locator) {
      throw new InputError(
        this.deps.locator.describeMissing?.(entityRef) ??
          `The Argo CD application locator finds no applications for ${entityRef}`,
      );
    }
    return { entityRef: stringifyEntityRef(found), locator };
  }

  /** Whether the caller holds `permission` on the entity. */
  async allowed(
    credentials: BackstageCredentials,
    entityRef: string,
    permission: typeof argocdReadPermission,
  ): Promise<boolean> {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** NotAllowedError unless the caller may read (or, with `action`, act on) the entity's applications. */
  async requirePermission(
    credentials: BackstageCredentials,
    entityRef: string,
    action?: ApplicationAction,
  ): Promise<void> {
    await this.check('permission', async () => {
      if (!action) {
        if (
          !(await this.allowed(credentials, entityRef, argocdReadPermission))
        ) {
          throw new NotAllowedError(
            `You may not read the Argo CD applications of ${entityRef}`,
          );
        }
        return;
      }
      if (
        !(await this.allowed(credentials, entityRef, argocdActionPermission))
      ) {
        throw new NotAllowedError(
          `Only owners of ${entityRef} may ${action} its Argo CD applications`,
        );
      }
    });
  }

  /**
   * Resolves an application to one of the entity's own: the instance must
   * be the entity's (argocd/instance-name), and the application one its
   * list shows there (same locator: name, selector, namespace, project).
   * The returned reference carries the application's real namespace, so
   * Argo CD is asked about exactly that application. Checks permissions
   * first (read, plus the action's when there is one).
   */
  async ownedApp(options: {
    credentials: BackstageCredentials;
    entity: LocatedEntity;
    instance: string;
    app: string;
    appNamespace?: string;
    action?: ApplicationAction;
  }): Promise<AppRef> {
    const { credentials, instance, app, appNamespace, action } = options;
    const { entityRef, locator } = options.entity;
    await this.requirePermission(credentials, entityRef);
    if (action) await this.requirePermission(credentials, entityRef, action);
    await this.check('ownership', () =>
      checkInstance(locator, instance, entityRef),
    );
    // An instance that is not configured is a refusal (audited as such); one
    // that cannot be asked throws its own error (503 naming it).
    const own = await this.deps.argocd
      .ownApplicationsOn(locator, instance)
      .catch((error: unknown) => {
        if (isError(error) && error.name === 'NotFoundError') {
          this.refusals.set(error, 'validation');
        }
        throw error;
      });
    const picked = await this.check('ownership', () =>
      pickOwnedApplication(
        own,
        { instance, name: app, appNamespace },
        entityRef,
      ),
    );
    return {
      instance,
      name: picked.name,
      appNamespace: picked.namespace ?? appNamespace,
    };
  }
}
