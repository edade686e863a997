import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ActionResponse,
  EntityApplicationsResponse,
  argocdActionPermission,
  argocdReadPermission,
} from '@epicshelter/plugin-argocd-common';
import { ArgoCdApplicationLocator } from '@epicshelter/plugin-argocd-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  AuditMeta,
  RefusalReason,
  auditMeta,
  auditRefusal,
  startAuditEvent,
} from './http/audit';
import { parseWith, readJsonBody } from './http/jsonBody';
import { ArgoCdApplications } from './services/ArgoCdApplications';
import type { AppRef } from './services/ArgoCdFetcher';
import { checkInstance, pickOwnedApplication } from './services/ownership';

/** Dependencies of the argocd router. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  argocd: ArgoCdApplications;
  /** Finds the entity's applications (the annotation locator unless a module set another). */
  locator: ArgoCdApplicationLocator;
}

const dnsish = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
const entityParams = z.object({
  kind: dnsish,
  namespace: dnsish,
  name: dnsish,
});
const appParams = entityParams.extend({ instance: dnsish, app: dnsish });
const appQuery = z.object({ appNamespace: dnsish.optional() }).strict();
const syncBody = z
  .object({
    dryRun: z.boolean().optional(),
    prune: z.boolean().optional(),
    revision: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\w./-]+$/)
      .optional(),
  })
  .strict();
const refreshBody = z
  .object({ type: z.enum(['normal', 'hard']).optional() })
  .strict();
const emptyBody = z.object({}).strict();

type Action = ActionResponse['action'];

/** What the audit events of a request name, from its raw parameters (also when they are invalid). */
function requestMeta(req: express.Request): AuditMeta {
  const p = req.params as Record<string, string | undefined>;
  const entityRef =
    p.kind && p.namespace && p.name
      ? `${p.kind.toLocaleLowerCase('en-US')}:${p.namespace}/${p.name}`
      : undefined;
  const appNamespace =
    typeof req.query.appNamespace === 'string'
      ? req.query.appNamespace
      : undefined;
  return {
    entityRef,
    instance: p.instance,
    application: p.app,
    appNamespace,
  };
}

/** Builds the express router of the argocd backend plugin (mounted at /api/epicshelter-argocd). */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    permissions,
    auditor,
    catalog,
    argocd,
    locator: applicationLocator,
  } = options;
  const router = Router();
  /** Errors thrown by the checks before Argo CD is asked, with the reason they refuse. */
  const refusals = new WeakMap<object, RefusalReason>();

  /** Runs a check; an error it throws is a refusal of that kind (audited as such). */
  async function check<T>(reason: RefusalReason, fn: () => Promise<T> | T) {
    try {
      return await fn();
    } catch (error) {
      if (error && typeof error === 'object' && !refusals.has(error)) {
        refusals.set(error, reason);
      }
      throw error;
    }
  }

  /** Loads the entity of the route and its Argo CD locator. */
  async function loadEntity(req: express.Request) {
    const { kind, namespace, name } = await check('validation', () =>
      parseWith(entityParams, req.params, 'entity reference'),
    );
    const credentials = await httpAuth.credentials(req);
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found in the catalog`);
    }
    const found = await applicationLocator.locate(entity);
    if (!found) {
      throw new InputError(
        applicationLocator.describeMissing?.(entityRef) ??
          `The Argo CD application locator finds no applications for ${entityRef}`,
      );
    }
    return {
      entityRef: stringifyEntityRef(entity),
      locator: found,
      credentials,
    };
  }

  async function allowed(
    credentials: BackstageCredentials,
    entityRef: string,
    permission: typeof argocdReadPermission,
  ): Promise<boolean> {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  async function requirePermission(
    credentials: BackstageCredentials,
    entityRef: string,
    action?: Action,
  ) {
    await check('permission', async () => {
      if (!action) {
        if (!(await allowed(credentials, entityRef, argocdReadPermission))) {
          throw new NotAllowedError(
            `You may not read the Argo CD applications of ${entityRef}`,
          );
        }
        return;
      }
      if (!(await allowed(credentials, entityRef, argocdActionPermission))) {
        throw new NotAllowedError(
          `Only owners of ${entityRef} may ${action} its Argo CD applications`,
        );
      }
    });
  }

  /**
   * Resolves an application route to one of the entity's own applications:
   * the instance must be the entity's (argocd/instance-name), and the
   * application one its list shows there (same locator: name, selector,
   * namespace, project). The returned reference carries the application's
   * real namespace, so Argo CD is asked about exactly that application.
   * Checks permissions first (read, plus the action's when there is one).
   */
  async function ownedApp(
    req: express.Request,
    action?: Action,
  ): Promise<{ entityRef: string; ref: AppRef }> {
    const { instance, app } = await check('validation', () =>
      parseWith(appParams, req.params, 'application reference'),
    );
    const { appNamespace } = await check('validation', () =>
      parseWith(appQuery, req.query, 'query'),
    );
    const { entityRef, locator, credentials } = await loadEntity(req);
    await requirePermission(credentials, entityRef);
    if (action) await requirePermission(credentials, entityRef, action);
    await check('ownership', () => checkInstance(locator, instance, entityRef));
    // An instance that is not configured is a refusal (audited as such); one
    // that cannot be asked throws its own error (503 naming it).
    const own = await argocd
      .ownApplicationsOn(locator, instance)
      .catch((error: unknown) => {
        if (isError(error) && error.name === 'NotFoundError') {
          refusals.set(error, 'validation');
        }
        throw error;
      });
    const picked = await check('ownership', () =>
      pickOwnedApplication(
        own,
        { instance, name: app, appNamespace },
        entityRef,
      ),
    );
    return {
      entityRef,
      ref: {
        instance,
        name: picked.name,
        appNamespace: picked.namespace ?? appNamespace,
      },
    };
  }

  /** Audits a refused read; other errors (Argo CD's answers) pass unrecorded. */
  async function auditIfRefused(req: express.Request, error: unknown) {
    const reason =
      error && typeof error === 'object' ? refusals.get(error) : undefined;
    if (reason) {
      await auditRefusal(
        auditor,
        req,
        requestMeta(req),
        reason,
        error as Error,
      );
    }
  }

  const base = '/entities/:kind/:namespace/:name';
  const appPath = `${base}/instances/:instance/applications/:app`;

  router.get(`${base}/applications`, async (req, res) => {
    try {
      const { entityRef, locator, credentials } = await loadEntity(req);
      await requirePermission(credentials, entityRef);
      const canAct = await allowed(
        credentials,
        entityRef,
        argocdActionPermission,
      );
      // The page shows the history next: warm its commit metadata meanwhile.
      const result = await argocd.listApplications(locator, { prefetch: true });
      const body: EntityApplicationsResponse = { ...result, canAct };
      res.json(body);
    } catch (error) {
      await auditIfRefused(req, error);
      throw error;
    }
  });

  const reads: Array<[string, (ref: AppRef) => Promise<unknown>]> = [
    ['', ref => argocd.getApplication(ref)],
    ['/resource-tree', ref => argocd.getResourceTree(ref)],
    ['/history', ref => argocd.getHistory(ref)],
  ];
  for (const [suffix, read] of reads) {
    router.get(`${appPath}${suffix}`, async (req, res) => {
      let ref: AppRef;
      try {
        ({ ref } = await ownedApp(req));
      } catch (error) {
        await auditIfRefused(req, error);
        throw error;
      }
      res.json(await read(ref));
    });
  }

  /**
   * An action: audited from the start (so a refusal by validation,
   * permission or ownership is a failed event saying which), then body,
   * permission and ownership checks, then Argo CD.
   */
  function actionRoute<B>(
    action: Action,
    schema: z.ZodType<B>,
    run: (ref: AppRef, body: B) => Promise<ActionResponse['summary'] | void>,
    describe: (body: B) => AuditMeta,
  ) {
    return async (req: express.Request, res: express.Response) => {
      const meta = { action, ...requestMeta(req) };
      const event = await startAuditEvent(
        auditor,
        req,
        'application-action',
        meta,
      );
      try {
        const body = await check('validation', () =>
          readJsonBody(req, res, schema, `${action} request`),
        );
        const { entityRef, ref } = await ownedApp(req, action);
        const summary = await run(ref, body);
        await event.success({
          meta: auditMeta({
            entityRef,
            appNamespace: ref.appNamespace,
            ...describe(body),
          }),
        });
        const answer: ActionResponse = {
          instance: ref.instance,
          application: ref.name,
          action,
          sandbox: argocd.isSandbox(ref.instance),
          ...(summary ? { summary } : {}),
        };
        res.json(answer);
      } catch (error) {
        const reason =
          error && typeof error === 'object' ? refusals.get(error) : undefined;
        await event.fail({
          error: error as Error,
          ...(reason ? { meta: { refused: reason } } : {}),
        });
        throw error;
      }
    };
  }

  router.post(
    `${appPath}/sync`,
    actionRoute(
      'sync',
      syncBody,
      (ref, body) => argocd.sync(ref, body),
      body => ({
        dryRun: body.dryRun ?? false,
        prune: body.prune ?? false,
        revision: body.revision,
      }),
    ),
  );
  router.post(
    `${appPath}/refresh`,
    actionRoute(
      'refresh',
      refreshBody,
      (ref, body) => argocd.refresh(ref, body.type ?? 'normal'),
      body => ({ refreshType: body.type ?? 'normal' }),
    ),
  );
  router.delete(
    `${appPath}/operation`,
    actionRoute(
      'terminate',
      emptyBody,
      ref => argocd.terminate(ref),
      () => ({}),
    ),
  );

  return router;
}
