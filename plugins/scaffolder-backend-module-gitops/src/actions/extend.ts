import yaml from 'yaml';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  environmentDir,
  environmentFilePath,
  formatSpecIssues,
  safeParseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  EnvironmentExpiry,
  TtlPolicy,
  planExtension,
  readTtlPolicy,
} from '@epicshelter/plugin-environments-common';
import { examples } from './extend.examples';
import { readTaskSnapshot } from '../repository';
import { writeChangeRecord } from '../publish/changeRecord';
import { environmentChangeOutput, repositoryInput } from './schema';
import { writeChangeToWorkspace } from '../publish/workspace';
import {
  EnvironmentActionOptions,
  environmentEntityRef,
} from './createEnvironment';
import { environmentNameOf } from './addResource';
import { reportingFailures } from './taskFailure';
import { systemClock } from './expiry';

/**
 * The one file an extension changes: `environments/<env>/environment.yaml`
 * with `spec.expiry` moved, everything else in it kept as it is (comments
 * and hand-added metadata included). Throws NotFoundError, ConflictError or
 * InputError, changing nothing.
 */
export function planExpiryExtension(options: {
  repo: Record<string, string>;
  env: string;
  by: string;
  now: Date;
  policy: TtlPolicy;
}): {
  changed: Array<{ path: string; content: string }>;
  owner: string;
  before: EnvironmentExpiry;
  after: EnvironmentExpiry;
} {
  const { repo, env, by, now, policy } = options;
  const path = environmentFilePath(env);
  if (!(path in repo)) {
    throw new NotFoundError(
      `Environment ${env} does not exist in the GitOps repository (${path} missing); nothing was changed.`,
    );
  }
  const doc = yaml.parseDocument(repo[path]);
  const parsed = safeParseEnvironmentSpec(doc.toJS()?.spec);
  if (doc.errors.length > 0 || !parsed.success) {
    throw new ConflictError(
      `${path} holds an invalid spec, fix it first: ${
        doc.errors.length > 0
          ? doc.errors[0].message
          : formatSpecIssues(parsed.issues)
      }`,
    );
  }
  const before = parsed.spec.expiry;
  const plan = planExtension({ current: before, by, now, policy });
  if (!plan.ok) {
    throw new InputError(
      `Cannot extend environment '${env}': ${plan.message}. Nothing was changed.`,
    );
  }
  const after = plan.expiry!;
  doc.setIn(['spec', 'expiry'], doc.createNode({ ...after }));
  return {
    changed: [{ path, content: doc.toString() }],
    owner: parsed.spec.owner,
    before: before!,
    after,
  };
}

/**
 * `epicshelter:environment:extend`: moves an ephemeral environment's expiry
 * later by a time to live (from its current expiry, or from now once it has
 * passed), within the platform's maximum, as a one-file change for
 * `epicshelter:gitops:publish`. Only the environment's owners and platform
 * admins may extend it.
 * @public
 */
export function createEnvironmentExtendAction(
  options: EnvironmentActionOptions,
) {
  const { authorizer, clock = systemClock, ...access } = options;
  return createTemplateAction({
    id: 'epicshelter:environment:extend',
    description:
      'Extends an ephemeral environment: checks that the requester owns it (or is a platform admin), moves spec.expiry.expiresAt in environments/<env>/environment.yaml later by the given time to live (from the current expiry, or from now once it has passed), refuses to go beyond epicshelter.environments.ttl.max from now, and writes that one file into the workspace for epicshelter:gitops:publish.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          z.string({
            description:
              'Environment name or its entity ref (resource:default/<name>)',
          }),
        by: z =>
          z.string({
            description:
              'How much longer the environment lives, e.g. 4h, 1d or 7d',
          }),
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
        expiresAt: z =>
          z.string({ description: 'The new expiry (ISO 8601, UTC)' }),
        previousExpiresAt: z =>
          z.string({ description: 'The expiry before the extension' }),
      },
    },
    async handler(ctx) {
      return reportingFailures(ctx, access.config, async logger => {
        const env = environmentNameOf(ctx.input.environment);
        const { by } = ctx.input;
        const policy = readTtlPolicy(access.config);
        await authorizer.authorizeEnvironmentChange({
          credentials: await ctx.getInitiatorCredentials(),
          environment: env,
          change: `add ${by} of time to live`,
        });
        // Planned once per task, from one clock reading: a retried task
        // publishes the same expiry from the same base.
        const planned = await ctx.checkpoint({
          key: `epicshelter-environment-extend-${env}-${by}`,
          fn: async () => {
            const snapshot = await readTaskSnapshot(access, ctx.input, logger);
            return {
              baseCommit: snapshot.commit,
              ...planExpiryExtension({
                repo: snapshot.files,
                env,
                by,
                now: clock(),
                policy,
              }),
            };
          },
        });
        const { baseCommit, changed, owner, before, after } = planned;
        const outputPath = ctx.input.outputPath ?? 'gitops';
        await writeChangeToWorkspace(ctx.workspacePath, outputPath, changed);
        await writeChangeRecord(ctx.workspacePath, {
          baseCommit,
          paths: [environmentDir(env)],
          kind: 'changed',
        });
        logger.info(
          `Extending ${env} by ${by}: expiry ${before.expiresAt} → ${after.expiresAt}`,
        );
        ctx.output('name', env);
        ctx.output('entityRef', environmentEntityRef(env));
        ctx.output(
          'files',
          changed.map(c => c.path),
        );
        ctx.output('outputPath', outputPath);
        ctx.output(
          'summary',
          `Extends environment \`${env}\` (owner \`${owner}\`) by ${by}: it now expires ${after.expiresAt} instead of ${before.expiresAt}.`,
        );
        ctx.output('title', `Environment ${env}: extend by ${by}`);
        ctx.output('baseCommit', baseCommit);
        ctx.output('expiresAt', after.expiresAt);
        ctx.output('previousExpiresAt', before.expiresAt);
      });
    },
  });
}
