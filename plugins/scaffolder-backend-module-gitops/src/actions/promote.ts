import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  WorkloadPromotion,
  diffAsMarkdown,
  environmentDir,
  planPromotion,
  renderedWorkloadsDiff,
} from '@epicshelter/plugin-gitops-common';
import { examples } from './promote.examples';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  RepositoryAccess,
  RepositorySnapshot,
  readTaskSnapshot,
} from '../repository';
import { writeChangeRecord } from '../publish/changeRecord';
import { environmentChangeOutput, repositoryInput } from './schema';
import { writeChangeToWorkspace } from '../publish/workspace';
import {
  EnvironmentActionOptions,
  environmentEntityRef,
} from './createEnvironment';
import { environmentNameOf } from './addResource';
import { reportingFailures } from './taskFailure';

const tag = (t: string | undefined) => (t === undefined ? 'base tag' : t);

function describePromotion(p: WorkloadPromotion): string {
  const replicas =
    p.replicas && p.replicas.before !== p.replicas.after
      ? `, replicas ${p.replicas.before ?? 'default'} → ${
          p.replicas.after ?? 'default'
        }`
      : '';
  return `\`${p.workload}\`: ${tag(p.previousTag)} → ${tag(
    p.fromTag,
  )}${replicas}`;
}

/**
 * The pull request body of a promotion: what moves, and the rendered diff of
 * the target's workloads.
 */
export function promotionBody(options: {
  from: string;
  to: string;
  owner: string;
  /** One line per promoted workload ({@link describePromotion}). */
  promotions: string[];
  diff: string;
  problems: string[];
}): string {
  const { from, to, owner, promotions, diff, problems } = options;
  return [
    `Promotes ${
      promotions.length === 1 ? 'a workload' : `${promotions.length} workloads`
    } from environment \`${from}\` to \`${to}\` (owner \`${owner}\`):`,
    '',
    ...promotions.map(p => `- ${p}`),
    '',
    `### Rendered diff (\`kustomize build environments/${to}/workloads\`)`,
    '',
    diff === ''
      ? '_The rendered workloads do not change._'
      : diffAsMarkdown(diff),
    ...(problems.length > 0
      ? ['', '**The render is incomplete:**', ...problems.map(p => `- ${p}`)]
      : []),
  ].join('\n');
}

/**
 * Plans a promotion on a snapshot of the GitOps repository: the files of
 * the target that change, the promoted workloads (one line each) and the
 * rendered diff of the target's workloads. Plain JSON (a task checkpoint
 * keeps it).
 * @public
 */
export function promotionChangeOf(
  snapshot: RepositorySnapshot,
  options: {
    from: string;
    to: string;
    workloads: string[];
    copyConfig?: boolean;
  },
) {
  const { from, to, workloads, copyConfig } = options;
  const plan = planPromotion({
    repo: snapshot.files,
    from,
    to,
    workloads,
    copyConfig,
  });
  return {
    baseCommit: snapshot.commit,
    changed: plan.changed,
    owner: plan.owner,
    workloads: plan.promotions.map(p => p.workload),
    promotions: plan.promotions.map(describePromotion),
    ...renderedWorkloadsDiff(snapshot.files, to, plan.changed),
  };
}

/**
 * Reads the GitOps repository a promotion names and plans it
 * ({@link promotionChangeOf}). Writes nothing.
 * @public
 */
export async function planEnvironmentPromotion(
  access: RepositoryAccess,
  options: Parameters<typeof promotionChangeOf>[1] & {
    repository?: string;
    targetBranch?: string;
  },
  logger: LoggerService,
) {
  return promotionChangeOf(
    await readTaskSnapshot(access, options, logger),
    options,
  );
}

/**
 * `epicshelter:environment:promote`: sets environment B's image tag (and, when
 * asked, its replicas override) of one workload, or of every workload that
 * differs, to environment A's, and outputs the rendered diff.
 * @public
 */
export function createEnvironmentPromoteAction(
  options: EnvironmentActionOptions,
) {
  const { authorizer, ...access } = options;
  return createTemplateAction({
    id: 'epicshelter:environment:promote',
    description:
      "Promotes workloads from one environment to the next: checks that the requester owns the target (or is a platform admin), sets the target overlay's image tag (and, with copyConfig, its replicas override) to the source's, writes only the files that change into the workspace for epicshelter:gitops:publish, and outputs the rendered diff (kustomize build of the target's workloads before and after) and a pull request body containing it.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        from: z =>
          z.string({
            description:
              'Source environment: name or entity ref (resource:default/<name>)',
          }),
        to: z =>
          z.string({
            description:
              'Target environment, whose overlay changes: name or entity ref',
          }),
        workloads: z =>
          z
            .array(z.string(), {
              description:
                'Workloads to promote; empty or absent: every workload both deploy whose release differs',
            })
            .optional(),
        copyConfig: z =>
          z
            .boolean({
              description:
                "Also copy the source's workload config (replicas override), not only the image tag",
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
        diff: z =>
          z.string({
            description:
              "Unified diff of the target's rendered workloads, before and after",
          }),
        diffMarkdown: z =>
          z.string({ description: 'The diff as a fenced Markdown block' }),
        body: z =>
          z.string({
            description:
              'Pull request body: the promoted workloads and the rendered diff',
          }),
      },
    },
    async handler(ctx) {
      return reportingFailures(ctx, access.config, async logger => {
        const from = environmentNameOf(ctx.input.from);
        const to = environmentNameOf(ctx.input.to);
        const workloads = ctx.input.workloads ?? [];
        await authorizer.authorizeEnvironmentChange({
          credentials: await ctx.getInitiatorCredentials(),
          environment: to,
          change: `promote ${
            workloads.length > 0 ? workloads.join(', ') : 'workloads'
          } from '${from}'`,
        });
        // Planned once per task: a retried task publishes the same change
        // from the same base instead of finding the tag already there.
        const planned = await ctx.checkpoint({
          key: `epicshelter-environment-promote-${from}-${to}-${workloads.join(
            ',',
          )}-${ctx.input.copyConfig ? 'config' : 'tag'}`,
          fn: () =>
            planEnvironmentPromotion(
              access,
              { ...ctx.input, from, to, workloads },
              logger,
            ),
        });
        const { baseCommit, changed, owner, promotions, diff, problems } =
          planned;
        const names = planned.workloads.join(', ');
        const outputPath = ctx.input.outputPath ?? 'gitops';
        // A dry run's workspace is thrown away; publish's dry run lists the
        // files from it and writes nothing to the repository.
        await writeChangeToWorkspace(ctx.workspacePath, outputPath, changed);
        await writeChangeRecord(ctx.workspacePath, {
          baseCommit,
          paths: [environmentDir(to)],
          kind: 'changed',
        });
        logger.info(
          `Promoting ${names} from ${from} to ${to}: ${changed
            .map(c => c.path)
            .join(', ')}\n${diff}`,
        );
        ctx.output('name', to);
        ctx.output('entityRef', environmentEntityRef(to));
        ctx.output(
          'files',
          changed.map(c => c.path),
        );
        ctx.output('outputPath', outputPath);
        ctx.output(
          'summary',
          `Promotes ${promotions.join(
            '; ',
          )} from \`${from}\` to \`${to}\` (owner \`${owner}\`).`,
        );
        ctx.output('title', `Environment ${to}: promote ${names} from ${from}`);
        ctx.output('baseCommit', baseCommit);
        ctx.output('diff', diff);
        ctx.output('diffMarkdown', diff === '' ? '' : diffAsMarkdown(diff));
        ctx.output(
          'body',
          promotionBody({ from, to, owner, promotions, diff, problems }),
        );
      });
    },
  });
}
