import type {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  type ActionResponse,
  argocdApplicationToolsPermission,
} from '@epicshelter/plugin-argocd-common';
import type { z as zod } from 'zod/v3';
import { AUDIT_SEVERITY, AuditMeta, auditMeta } from '../http/audit';
import type { ArgoCdApplications } from '../services/ArgoCdApplications';
import type { AppRef } from '../services/ArgoCdFetcher';
import {
  ApplicationAccess,
  ApplicationAction,
} from '../services/applicationAccess';

type Zod = typeof zod;

/** What the Argo CD registry actions need: the routes' checks and service. */
export interface ApplicationActionsDeps {
  access: ApplicationAccess;
  argocd: ArgoCdApplications;
  auditor: AuditorService;
}

/** Input naming one of an entity's applications. */
const applicationInput = (z: Zod) => ({
  entityRef: z
    .string()
    .describe(
      'The catalog entity whose application it is, e.g. resource:default/staging or component:default/web',
    ),
  application: z
    .string()
    .describe(
      "Name of one of the entity's Argo CD applications, e.g. staging-workloads",
    ),
  instance: z
    .string()
    .optional()
    .describe(
      'Argo CD instance; left out: the one instance where the entity has that application',
    ),
  appNamespace: z
    .string()
    .optional()
    .describe('Namespace of the Application, when the name is ambiguous'),
});

/** What both actions return: the application after the action. */
const actionOutput = (z: Zod) =>
  z.object({
    instance: z.string(),
    application: z.string(),
    action: z.string(),
    sandbox: z
      .boolean()
      .describe('true when the instance is a sandbox (fake) Argo CD'),
    syncStatus: z.string().optional(),
    healthStatus: z.string().optional(),
    revision: z.string().optional(),
    operationPhase: z.string().optional(),
    operationMessage: z.string().optional(),
    argoCdUrl: z.string().optional(),
  });

/** Who called (the auditor sees no request here, so the events name it). */
function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return (p?.type === 'user' ? p.userEntityRef : p?.subject) ?? 'anonymous';
}

function entityOf(entityRef: string) {
  try {
    return parseEntityRef(entityRef.trim());
  } catch (error) {
    throw new InputError(
      `entityRef ${JSON.stringify(
        entityRef,
      )} is not an entity ref (kind:namespace/name)`,
    );
  }
}

/**
 * Runs an action on one of an entity's applications with the routes'
 * checks (catalog, locator, read and action permissions, instance and
 * ownership) and audit event (`application-action`, refusals with their
 * reason), the actor named in the metadata.
 */
async function runApplicationAction(
  deps: ApplicationActionsDeps,
  options: {
    action: ApplicationAction;
    credentials: BackstageCredentials;
    input: {
      entityRef: string;
      application: string;
      instance?: string;
      appNamespace?: string;
    };
    describe: AuditMeta;
    run: (ref: AppRef) => Promise<ActionResponse['summary'] | void>;
  },
): Promise<{ output: zod.infer<ReturnType<typeof actionOutput>> }> {
  const { access, argocd, auditor } = deps;
  const { action, credentials, input } = options;
  const meta: AuditMeta = {
    action,
    actor: actorOf(credentials),
    via: 'actions-registry',
    entityRef: input.entityRef,
    instance: input.instance,
    application: input.application,
    appNamespace: input.appNamespace,
  };
  const event = await auditor.createEvent({
    eventId: 'application-action',
    severityLevel: AUDIT_SEVERITY,
    meta: auditMeta(meta),
  });
  try {
    const entity = await access.check('validation', () =>
      access.locate(entityOf(input.entityRef), credentials),
    );
    const instance =
      input.instance ??
      (await instanceOf(deps, credentials, entity, input.application));
    const ref = await access.ownedApp({
      credentials,
      entity,
      instance,
      app: input.application,
      appNamespace: input.appNamespace,
      action,
    });
    const summary = await options.run(ref);
    await event.success({
      meta: auditMeta({
        ...meta,
        entityRef: entity.entityRef,
        instance,
        appNamespace: ref.appNamespace,
        ...options.describe,
      }),
    });
    return {
      output: {
        instance: ref.instance,
        application: ref.name,
        action,
        sandbox: argocd.isSandbox(ref.instance),
        ...(summary
          ? {
              syncStatus: summary.syncStatus,
              healthStatus: summary.healthStatus,
              revision: summary.revision,
              operationPhase: summary.operationPhase,
              operationMessage: summary.operationMessage,
              argoCdUrl: summary.argoCdUrl,
            }
          : {}),
      },
    };
  } catch (error) {
    const reason = access.refusalOf(error);
    await event.fail({
      error: error as Error,
      ...(reason ? { meta: { refused: reason } } : {}),
    });
    throw error;
  }
}

/**
 * The one instance where the entity has the named application (after the
 * read permission, as the list route). InputError when none or several.
 */
async function instanceOf(
  deps: ApplicationActionsDeps,
  credentials: BackstageCredentials,
  entity: Awaited<ReturnType<ApplicationAccess['locate']>>,
  application: string,
): Promise<string> {
  await deps.access.requirePermission(credentials, entity.entityRef);
  const { items } = await deps.argocd.listApplications(entity.locator);
  const instances = [
    ...new Set(items.filter(a => a.name === application).map(a => a.instance)),
  ];
  if (instances.length !== 1) {
    await deps.access.check('ownership', () => {
      throw new InputError(
        instances.length === 0
          ? `${
              entity.entityRef
            } has no Argo CD application named "${application}"; its applications: ${
              items.map(a => `${a.name} (${a.instance})`).join(', ') || 'none'
            }`
          : `${
              entity.entityRef
            } has applications named "${application}" on several Argo CD instances (${instances.join(
              ', ',
            )}); say which with instance`,
      );
    });
  }
  return instances[0];
}

/**
 * Registers sync-application and refresh-application with the actions
 * registry (served to agents over MCP): the same checks, Argo CD calls and
 * audit events as the routes' sync and refresh.
 */
export function registerApplicationActions(
  registry: ActionsRegistryService,
  deps: ApplicationActionsDeps,
) {
  registry.register({
    name: 'sync-application',
    title: "Sync an entity's Argo CD application",
    description:
      "Syncs one of a catalog entity's Argo CD applications (e.g. an environment's <env>-workloads), as the Argo CD tab's Sync button: only owners of the entity may. With prune, resources no longer in Git are deleted; with dryRun, Argo CD only computes the sync. Returns the application's sync and health status after starting the operation.",
    // A sync changes what runs; with prune it deletes resources.
    attributes: { readOnly: false, destructive: true, idempotent: false },
    // Hidden from callers who own no entity with Argo CD applications.
    visibilityPermission: argocdApplicationToolsPermission,
    schema: {
      input: z =>
        z.object({
          ...applicationInput(z),
          dryRun: z.boolean().optional(),
          prune: z
            .boolean()
            .optional()
            .describe('Delete resources that are no longer in Git'),
          revision: z
            .string()
            .min(1)
            .max(255)
            .regex(/^[\w./-]+$/)
            .optional()
            .describe('Git revision to sync to; default the target revision'),
        }),
      output: actionOutput,
    },
    examples: [
      {
        title: "Sync staging's workloads",
        input: {
          entityRef: 'resource:default/staging',
          application: 'staging-workloads',
        },
      },
    ],
    action: async ({ input, credentials }) =>
      runApplicationAction(deps, {
        action: 'sync',
        credentials,
        input,
        describe: {
          dryRun: input.dryRun ?? false,
          prune: input.prune ?? false,
          revision: input.revision,
        },
        run: ref => {
          const { dryRun, prune, revision } = input;
          return deps.argocd.sync(ref, {
            ...(dryRun !== undefined ? { dryRun } : {}),
            ...(prune !== undefined ? { prune } : {}),
            ...(revision !== undefined ? { revision } : {}),
          });
        },
      }),
  });

  registry.register({
    name: 'refresh-application',
    title: "Refresh an entity's Argo CD application",
    description:
      "Asks Argo CD to compare one of a catalog entity's applications with Git and the cluster again (hard: also regenerate manifests), as the Argo CD tab's Refresh button: only owners of the entity may. Changes nothing in the cluster. Returns the application's sync and health status.",
    attributes: { readOnly: false, destructive: false, idempotent: true },
    visibilityPermission: argocdApplicationToolsPermission,
    schema: {
      input: z =>
        z.object({
          ...applicationInput(z),
          type: z.enum(['normal', 'hard']).optional(),
        }),
      output: actionOutput,
    },
    examples: [
      {
        title: "Refresh staging's infrastructure",
        input: {
          entityRef: 'resource:default/staging',
          application: 'staging-infrastructure',
        },
      },
    ],
    action: async ({ input, credentials }) =>
      runApplicationAction(deps, {
        action: 'refresh',
        credentials,
        input,
        describe: { refreshType: input.type ?? 'normal' },
        run: ref => deps.argocd.refresh(ref, input.type ?? 'normal'),
      }),
  });
}
