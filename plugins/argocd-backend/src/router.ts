import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ActionResponse,
  ArgoCdLocator,
  EntityApplicationsResponse,
  argocdActionPermission,
  argocdReadPermission,
  getArgoCdLocator,
} from '@epicshelter/plugin-argocd-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { AppRef, ArgoCdService } from './services/ArgoCdService';

/** Dependencies of the argocd router. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  catalog: CatalogService;
  argocd: ArgoCdService;
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

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${issues}`);
  }
  return result.data;
}

/** Builds the express router of the argocd backend plugin (mounted at /api/argocd). */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, catalog, argocd } = options;
  const router = Router();
  router.use(express.json({ limit: '10kb' }));

  /** Loads the entity and checks the given permissions against it. */
  async function loadEntity(req: express.Request) {
    const { kind, namespace, name } = parse(
      entityParams,
      req.params,
      'entity reference',
    );
    const credentials = await httpAuth.credentials(req);
    const entityRef = stringifyEntityRef({ kind, namespace, name });
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`Entity ${entityRef} not found in the catalog`);
    }
    const locator = getArgoCdLocator(entity);
    if (!locator) {
      throw new InputError(
        `Entity ${entityRef} has no Argo CD annotation; add argocd/app-selector (e.g. app.kubernetes.io/name=<name>) or argocd/app-name`,
      );
    }
    return { entityRef: stringifyEntityRef(entity), locator, credentials };
  }

  async function decide(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<{ read: boolean; act: boolean }> {
    const [read, act] = await permissions.authorize(
      [
        { permission: argocdReadPermission, resourceRef: entityRef },
        { permission: argocdActionPermission, resourceRef: entityRef },
      ],
      { credentials },
    );
    return {
      read: read.result === AuthorizeResult.ALLOW,
      act: act.result === AuthorizeResult.ALLOW,
    };
  }

  async function requireRead(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
    const [decision] = await permissions.authorize(
      [{ permission: argocdReadPermission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the Argo CD applications of ${entityRef}`,
      );
    }
  }

  /** Resolves an application route and checks the application belongs to the entity. */
  async function loadApp(req: express.Request) {
    const { instance, app } = parse(
      appParams,
      req.params,
      'application reference',
    );
    const loaded = await loadEntity(req);
    const appNamespace =
      typeof req.query.appNamespace === 'string' && req.query.appNamespace
        ? req.query.appNamespace
        : loaded.locator.appNamespace;
    const ref: AppRef = { instance, name: app, appNamespace };
    return { ...loaded, ref };
  }

  async function assertOwned(
    locator: ArgoCdLocator,
    ref: AppRef,
    entityRef: string,
  ) {
    const { items, instances } = await argocd.listApplications({
      ...locator,
      instanceName: ref.instance,
    });
    const failed = instances.find(i => i.status === 'error');
    if (failed?.error) {
      throw new NotFoundError(failed.error.message);
    }
    if (
      !items.some(
        i =>
          i.name === ref.name &&
          (!ref.appNamespace || i.namespace === ref.appNamespace),
      )
    ) {
      throw new NotFoundError(
        `Application "${ref.name}" on Argo CD instance "${ref.instance}" is not one of ${entityRef}'s applications`,
      );
    }
  }

  /** An application route's reference, once the caller may read it and it is the entity's. */
  async function readableApp(req: express.Request): Promise<AppRef> {
    const { entityRef, locator, ref, credentials } = await loadApp(req);
    await requireRead(credentials, entityRef);
    await assertOwned(locator, ref, entityRef);
    return ref;
  }

  const base = '/entities/:kind/:namespace/:name';

  router.get(`${base}/applications`, async (req, res) => {
    const { entityRef, locator, credentials } = await loadEntity(req);
    const { read, act } = await decide(credentials, entityRef);
    if (!read) {
      throw new NotAllowedError(
        `You may not read the Argo CD applications of ${entityRef}`,
      );
    }
    // The page shows the history next: warm its commit metadata meanwhile.
    const result = await argocd.listApplications(locator, { prefetch: true });
    const body: EntityApplicationsResponse = { ...result, canAct: act };
    res.json(body);
  });

  router.get(
    `${base}/instances/:instance/applications/:app`,
    async (req, res) => {
      res.json(await argocd.getApplication(await readableApp(req)));
    },
  );

  router.get(
    `${base}/instances/:instance/applications/:app/resource-tree`,
    async (req, res) => {
      res.json(await argocd.getResourceTree(await readableApp(req)));
    },
  );

  router.get(
    `${base}/instances/:instance/applications/:app/history`,
    async (req, res) => {
      res.json(await argocd.getHistory(await readableApp(req)));
    },
  );

  type Action = ActionResponse['action'];
  async function runAction(
    req: express.Request,
    res: express.Response,
    action: Action,
    run: (ref: AppRef) => Promise<ActionResponse['summary'] | void>,
    meta: Record<string, string | boolean | undefined>,
  ) {
    const { entityRef, locator, ref, credentials } = await loadApp(req);
    const auditMeta = {
      action,
      entityRef,
      instance: ref.instance,
      application: ref.name,
      ...(ref.appNamespace ? { appNamespace: ref.appNamespace } : {}),
      ...Object.fromEntries(
        Object.entries(meta).filter(([, v]) => v !== undefined),
      ),
    } as Record<string, string | boolean>;
    const event = await auditor.createEvent({
      eventId: 'application-action',
      severityLevel: action === 'refresh' ? 'low' : 'medium',
      request: req,
      meta: auditMeta,
    });
    try {
      const [decision] = await permissions.authorize(
        [{ permission: argocdActionPermission, resourceRef: entityRef }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Only owners of ${entityRef} may ${action} its Argo CD applications`,
        );
      }
      await assertOwned(locator, ref, entityRef);
      const summary = await run(ref);
      await event.success();
      const body: ActionResponse = {
        instance: ref.instance,
        application: ref.name,
        action,
        sandbox: argocd.isSandbox(ref.instance),
        ...(summary ? { summary } : {}),
      };
      res.json(body);
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  router.post(
    `${base}/instances/:instance/applications/:app/sync`,
    async (req, res) => {
      const body = parse(syncBody, req.body, 'sync request');
      await runAction(req, res, 'sync', ref => argocd.sync(ref, body), {
        dryRun: body.dryRun ?? false,
        prune: body.prune ?? false,
        revision: body.revision,
      });
    },
  );

  router.post(
    `${base}/instances/:instance/applications/:app/refresh`,
    async (req, res) => {
      const body = parse(refreshBody, req.body, 'refresh request');
      const type = body.type ?? 'normal';
      await runAction(req, res, 'refresh', ref => argocd.refresh(ref, type), {
        refreshType: type,
      });
    },
  );

  router.delete(
    `${base}/instances/:instance/applications/:app/operation`,
    async (req, res) => {
      await runAction(req, res, 'terminate', ref => argocd.terminate(ref), {});
    },
  );

  return router;
}
