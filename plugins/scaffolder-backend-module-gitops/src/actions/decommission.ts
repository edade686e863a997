import fs from 'node:fs';
import type {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DecommissionPlan,
  decommissionRecordLines,
  environmentDir,
  planDecommission,
} from '@epicshelter/plugin-gitops-common';
import { examples } from './decommission.examples';
import { RepositorySnapshot, readTaskSnapshot } from '../repository';
import { writeChangeRecord } from '../publish/changeRecord';
import { writeDeletionRecord } from '../publish/deletionRecord';
import { writeChangeToWorkspace } from '../publish/workspace';
import { environmentChangeOutput, repositoryInput } from './schema';
import {
  EnvironmentActionOptions,
  environmentEntityRef,
} from './createEnvironment';
import { environmentNameOf } from './addResource';
import { reportingFailures } from './taskFailure';
import {
  describePlan,
  decommissionBody,
  protectionBody,
} from './decommissionBody';
import type { LiveProtectionCheck } from './decommissionProtection';

/** Dependencies of the decommission action. @public */
export type EnvironmentDecommissionActionOptions = EnvironmentActionOptions & {
  /** Records each decommission request, granted or refused. */
  auditor?: AuditorService;
  /**
   * Whether kept resources carry their protection live (the module asks the
   * environments backend). Without it, a removal that keeps something is
   * refused: its protection cannot be confirmed.
   */
  protection?: LiveProtectionCheck;
};

/**
 * Plans an environment's decommission on a snapshot of the GitOps
 * repository: which step it is (`protect` the orphans first, or `remove`),
 * the files deleted and changed, the owner, the plan and pull request body
 * as Markdown, the commit message (recording requester and owner), and the
 * data that would be lost. Plain JSON (a task checkpoint keeps it).
 * @public
 */
export function decommissionChangeOf(
  snapshot: RepositorySnapshot,
  options: { environment: string; orphan: string[]; requester?: string },
) {
  const plan = planDecommission({
    repo: snapshot.files,
    environment: options.environment,
    orphan: options.orphan,
  });
  const record = decommissionRecordLines({
    requester: options.requester,
    owners: [plan.owner],
  });
  const title =
    plan.step === 'protect'
      ? `Environment ${plan.environment}: protect what is kept, before decommissioning`
      : `Environment ${plan.environment}: decommission`;
  const body =
    plan.step === 'protect' ? protectionBody(plan) : decommissionBody(plan);
  return {
    step: plan.step,
    /** `Kind/name` of what the protect step marks (empty without orphans). */
    kept: plan.protection.map(o => `${o.kind}/${o.name}`),
    baseCommit: snapshot.commit,
    deleted: plan.deleted,
    changed: plan.changed,
    owner: plan.owner,
    summary: describePlan(plan),
    title,
    body: [body, '', ...record].join('\n'),
    commitMessage: [title, '', ...record].join('\n'),
    dataLoss: dataLossOf(plan),
  };
}

/**
 * `epicshelter:environment:decommission`: checks that the requester owns the
 * environment (or is a platform admin) and typed its name as confirmation,
 * plans what goes (composite resources with their deletion policy, data
 * that would be lost, Argo CD applications, workloads) and records the one
 * change that removes the environment for epicshelter:gitops:publish.
 * @public
 */
export function createEnvironmentDecommissionAction(
  options: EnvironmentDecommissionActionOptions,
) {
  const { authorizer, auditor, protection, ...access } = options;
  return createTemplateAction({
    id: 'epicshelter:environment:decommission',
    description:
      "Decommissions an environment: checks that the requester owns it (or is a platform admin) and confirmed by typing its name, lists what goes (every composite resource or claim with kind, provider and deletion policy, databases and buckets whose data would be lost, the two Argo CD applications, the workloads), and records the change for epicshelter:gitops:publish. Without `orphan` that is one change deleting the environment's folder (plus kustomization references elsewhere). With `orphan` it takes two runs: the first records the protect step (the kept databases and buckets, and their namespace, marked so that neither Argo CD nor Crossplane deletes them); once that is merged and the live objects carry the marks (the decommission page shows it and offers the next run), the same run records the removal, with a paused record of each kept resource. Output `step` says which. A dry run returns the plan and writes nothing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          z.string({
            description:
              'Environment to decommission: name or entity ref (resource:default/<name>)',
          }),
        confirmation: z =>
          z
            .string({
              description:
                "The environment's name, typed by the requester to confirm; required unless previewOnly",
            })
            .optional(),
        previewOnly: z =>
          z
            .boolean({
              description:
                'Only plan and output what would go; record no change for publish',
            })
            .optional(),
        orphan: z =>
          z
            .array(z.string(), {
              description:
                'Databases and buckets to keep (orphan) instead of deleting, by their name in the environment',
            })
            .optional(),
        repository: repositoryInput,
        targetBranch: z => z.string().optional(),
        outputPath: z =>
          z
            .string({
              description:
                'Workspace directory to render into (default "gitops")',
            })
            .optional(),
      },
      output: {
        ...environmentChangeOutput,
        step: z =>
          z.enum(['protect', 'remove'], {
            description:
              'The change recorded: protect (mark what is kept, first of two with orphans) or remove (the environment goes)',
          }),
        commitMessage: z =>
          z.string({
            description:
              'Commit message: the title and the requester and owner the decommission page checks',
          }),
        deleted: z =>
          z.array(z.string(), {
            description: 'Repository files the change deletes',
          }),
        plan: z =>
          z.string({
            description: 'What goes, as Markdown (the preview step shows it)',
          }),
        dataLoss: z =>
          z.array(z.string(), {
            description:
              'Databases and buckets whose data is deleted with the environment',
          }),
        body: z =>
          z.string({
            description: 'Pull request body: the plan and the deleted files',
          }),
      },
    },
    async handler(ctx) {
      return reportingFailures(ctx, access.config, async logger => {
        const env = environmentNameOf(ctx.input.environment);
        const orphan = [...new Set(ctx.input.orphan ?? [])].sort();
        const credentials = await ctx.getInitiatorCredentials();
        const principal = credentials.principal as { userEntityRef?: string };
        const event = await auditor?.createEvent({
          eventId: 'environment-decommission',
          severityLevel: 'medium',
          meta: {
            environment: env,
            orphan,
            dryRun: ctx.isDryRun ?? false,
            actor: principal?.userEntityRef ?? 'unknown',
            ...(ctx.task?.id ? { taskId: ctx.task.id } : {}),
          },
        });
        try {
          await authorizer.authorizeEnvironmentChange({
            credentials,
            environment: env,
            change: 'make a decommission change',
            action: 'decommission',
          });
          const preview = ctx.input.previewOnly ?? false;
          const typed = ctx.input.confirmation?.trim() ?? '';
          if (!preview && typed !== env) {
            throw new InputError(
              typed === ''
                ? `To decommission environment '${env}', type its name '${env}' as confirmation; nothing was changed.`
                : `To decommission environment '${env}', type its name '${env}' as confirmation (got '${typed}'); nothing was changed.`,
            );
          }
          const planned = await ctx.checkpoint({
            key: `epicshelter-environment-decommission-${env}-${orphan.join(
              ',',
            )}`,
            fn: async () =>
              decommissionChangeOf(
                await readTaskSnapshot(access, ctx.input, logger),
                {
                  environment: env,
                  orphan,
                  requester: principal?.userEntityRef,
                },
              ),
          });
          const outputPath = ctx.input.outputPath ?? 'gitops';
          if (!preview && planned.step === 'remove' && planned.kept.length) {
            await assertProtectionLive(protection, env, credentials);
          }
          if (!preview) {
            await recordChange(ctx.workspacePath, outputPath, env, planned);
          }
          logger.info(
            `Decommissioning ${env} (${planned.step} step): deleting ${planned.deleted.length} file(s), writing ${planned.changed.length}\n${planned.summary}`,
          );
          ctx.output('name', env);
          ctx.output('entityRef', environmentEntityRef(env));
          ctx.output(
            'files',
            planned.changed.map(c => c.path),
          );
          ctx.output('deleted', planned.deleted);
          ctx.output('outputPath', outputPath);
          ctx.output('plan', planned.summary);
          ctx.output('dataLoss', planned.dataLoss);
          ctx.output(
            'summary',
            `Decommissions environment \`${env}\` (owner \`${planned.owner}\`).`,
          );
          ctx.output('title', planned.title);
          ctx.output('step', planned.step);
          ctx.output('commitMessage', planned.commitMessage);
          ctx.output('baseCommit', planned.baseCommit);
          ctx.output('body', planned.body);
          await event?.success({
            meta: { step: planned.step, deleted: planned.deleted.length },
          });
        } catch (e) {
          await event?.fail({ error: e as Error });
          throw e;
        }
      });
    },
  });
}

/**
 * The removal after a protect step goes ahead only when the kept
 * resources carry their protection on the live objects; otherwise Argo CD
 * could delete them with the environment's Applications.
 */
export async function assertProtectionLive(
  check: LiveProtectionCheck | undefined,
  env: string,
  credentials: BackstageCredentials,
): Promise<void> {
  const found = check
    ? await check.check({ environment: env, credentials })
    : { live: false, message: 'no protection check is configured' };
  if (!found.live) {
    throw new ConflictError(
      `The resources environment '${env}' keeps do not carry their protection on the live objects yet (${found.message}); nothing was changed. Decommission it again once its decommission page shows 'Kept resources protected' done.`,
    );
  }
}

function dataLossOf(plan: DecommissionPlan): string[] {
  return plan.resources
    .filter(r => r.dataLoss)
    .map(r => `${r.resourceType ?? r.kind} ${r.resource ?? r.name}`);
}

/** Leaves the change in the workspace for epicshelter:gitops:publish. */
async function recordChange(
  workspacePath: string,
  outputPath: string,
  env: string,
  planned: {
    baseCommit: string;
    deleted: string[];
    changed: Array<{ path: string; content: string }>;
  },
): Promise<void> {
  // The folder exists even when the change only deletes, so that publish
  // finds the (possibly empty) set of files to write.
  await fs.promises.mkdir(resolveSafeChildPath(workspacePath, outputPath), {
    recursive: true,
  });
  await writeChangeToWorkspace(workspacePath, outputPath, planned.changed);
  await writeDeletionRecord(workspacePath, planned.deleted);
  await writeChangeRecord(workspacePath, {
    baseCommit: planned.baseCommit,
    paths: [environmentDir(env), ...planned.changed.map(c => c.path)],
    kind: 'changed',
  });
}
