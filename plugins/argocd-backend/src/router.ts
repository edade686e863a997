import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ActionResponse,
  EntityApplicationsResponse,
  argocdActionPermission,
} from '@epicshelter/plugin-argocd-common';
import { ArgoCdApplicationLocator } from '@epicshelter/plugin-argocd-node';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  AuditMeta,
  auditMeta,
  auditRefusal,
  startAuditEvent,
} from './http/audit';
import { parseWith, readJsonBody } from './http/jsonBody';
import { ArgoCdApplications } from './services/ArgoCdApplications';
import type { AppRef } from './services/ArgoCdFetcher';
import { ApplicationAccess } from './services/applicationAccess';

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
/** What the environments backend remembers of an environment entity the catalog has dropped. */
const entitySnapshotBody = z
  .object({
    entity: z.object({
      apiVersion: z.string().min(1).max(253),
      kind: dnsish,
      metadata: z.object({
        name: dnsish,
        namespace: dnsish.optional(),
        annotations: z.record(z.string(), z.string()).optional(),
        labels: z.record(z.string(), z.string()).optional(),
      }),
      spec: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .strict();

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
  const access = new ApplicationAccess({
    permissions,
    catalog,
    argocd,
    locator: applicationLocator,
  });
  const check = access.check.bind(access);

  /** Loads the entity of the route and its Argo CD locator. */
  async function loadEntity(req: express.Request) {
    const params = await check('validation', () =>
      parseWith(entityParams, req.params, 'entity reference'),
    );
    const credentials = await httpAuth.credentials(req);
    return { ...(await access.locate(params, credentials)), credentials };
  }

  /** Resolves an application route to one of the entity's own applications ({@link ApplicationAccess.ownedApp}). */
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
    const { credentials, ...entity } = await loadEntity(req);
    const ref = await access.ownedApp({
      credentials,
      entity,
      instance,
      app,
      appNamespace,
      action,
    });
    return { entityRef: entity.entityRef, ref };
  }

  /** Audits a refused read; other errors (Argo CD's answers) pass unrecorded. */
  async function auditIfRefused(req: express.Request, error: unknown) {
    const reason = access.refusalOf(error);
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
      await access.requirePermission(credentials, entityRef);
      const canAct = await access.allowed(
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

  /**
   * The applications of an entity the catalog no longer holds (an
   * environment being decommissioned), found by the locator from the
   * entity as it was last seen. Only backend plugins may ask (a user could
   * describe any entity), with the same read permission on its ref.
   */
  router.post('/entity-snapshots/applications', async (req, res) => {
    try {
      const credentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      const { entity } = await check('validation', () =>
        readJsonBody(req, res, entitySnapshotBody, 'entity snapshot'),
      );
      const snapshot = {
        ...entity,
        metadata: {
          ...entity.metadata,
          namespace: entity.metadata.namespace ?? 'default',
        },
      } as Entity;
      const entityRef = stringifyEntityRef(snapshot);
      await access.requirePermission(credentials, entityRef);
      const locator = await check('validation', async () => {
        const found = await applicationLocator.locate(snapshot);
        if (!found) {
          throw new InputError(
            `The Argo CD application locator finds no applications for ${entityRef}`,
          );
        }
        return found;
      });
      const result = await argocd.listApplications(locator);
      const body: EntityApplicationsResponse = { ...result, canAct: false };
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
        const reason = access.refusalOf(error);
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
