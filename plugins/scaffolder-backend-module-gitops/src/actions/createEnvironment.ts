import { InputError } from '@backstage/errors';
import type { Config } from '@backstage/config';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EnvironmentSpec,
  EnvironmentSpecIssue,
  environmentDir,
  formatSpecIssues,
  generateEnvironment,
  safeParseEnvironmentSpec,
  validateNewEnvironment,
} from '@epicshelter/plugin-gitops-common';
import { examples } from './createEnvironment.examples';
import {
  RepositoryAccess,
  RepositorySnapshot,
  readTaskSnapshot,
} from '../repository';
import { writeChangeRecord } from '../publish/changeRecord';
import type { EnvironmentAuthorizer } from '../authorization/EnvironmentAuthorizer';
import { environmentChangeOutput, repositoryInput } from './schema';
import { writeChangeToWorkspace } from '../publish/workspace';
import { reportingFailures } from './taskFailure';
import { Clock, expiryLine, systemClock, withCreationExpiry } from './expiry';

/** Entity ref of an environment's catalog entity. @public */
export function environmentEntityRef(name: string): string {
  return `resource:default/${name}`;
}

/** Throws an InputError listing each spec issue as `path: message`. @public */
export function throwSpecIssues(issues: EnvironmentSpecIssue[]): never {
  throw new InputError(`Invalid environment: ${formatSpecIssues(issues)}`);
}

/** A short Markdown summary of an environment, for pull requests. @public */
export function environmentSummary(spec: EnvironmentSpec): string {
  const r = spec.resources;
  const where =
    spec.target === 'local'
      ? 'local cluster'
      : `${spec.provider} ${spec.region ?? ''}`.trim();
  const lines = [
    `**Environment \`${spec.name}\`** owned by \`${spec.owner}\` — ${where}, Crossplane API ${spec.crossplaneApi}`,
    '',
    `- Workloads: ${
      spec.workloads.length
        ? spec.workloads.map(w => `\`${w}\``).join(', ')
        : 'none'
    }`,
    ...r.databases.map(
      d => `- Database \`${d.name}\`: ${d.engine} ${d.version}, ${d.size}`,
    ),
    ...r.caches.map(
      c => `- Cache \`${c.name}\`: ${c.engine} ${c.version}, ${c.size}`,
    ),
    ...r.buckets.map(
      b => `- Bucket \`${b.name}\`${b.versioning ? ' (versioned)' : ''}`,
    ),
    ...(r.kubernetesCluster
      ? [
          `- Kubernetes cluster: ${r.kubernetesCluster.version}, ${r.kubernetesCluster.nodeCount} × ${r.kubernetesCluster.nodeSize}`,
        ]
      : []),
  ];
  if (spec.expiry) lines.push(expiryLine(spec.expiry));
  if (spec.description) lines.splice(1, 0, '', spec.description);
  return lines.join('\n');
}

/**
 * Drops empty strings and nulls that template forms produce for fields left
 * blank (e.g. `region` of a local environment); `name` and `owner` are kept
 * so that an empty one is reported as such.
 * @public
 */
export function pruneEmptyFields(
  value: unknown,
  keep = ['name', 'owner'],
): unknown {
  if (Array.isArray(value)) {
    return value.map(v => pruneEmptyFields(v, []));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(
          ([k, v]) =>
            keep.includes(k) || (v !== '' && v !== null && v !== undefined),
        )
        .map(([k, v]) => [k, pruneEmptyFields(v, [])]),
    );
  }
  return value;
}

/**
 * Parses the spec of a new environment as a form or an agent sends it:
 * empty fields dropped, the expiry computed from `ttl` (else the configured
 * default). InputError naming every issue, before anything is read.
 * @public
 */
export function parseNewEnvironment(
  specInput: unknown,
  ttl: string | undefined,
  config: Config,
  now: Date,
): { input: unknown; spec: EnvironmentSpec } {
  const input = withCreationExpiry(
    pruneEmptyFields(specInput),
    ttl,
    config,
    now,
  );
  const parsed = safeParseEnvironmentSpec(input);
  if (!parsed.success) {
    throwSpecIssues(parsed.issues);
  }
  return { input, spec: parsed.spec };
}

/**
 * Checks a new environment against a snapshot of the GitOps repository
 * (name free, workloads have bases, the platform API offers every
 * resource) and renders its files, sorted by path, with the commit they
 * were checked against. InputError naming every issue otherwise.
 * @public
 */
export function newEnvironmentChangeOf(
  snapshot: RepositorySnapshot,
  parsed: { input: unknown; spec: EnvironmentSpec },
): { baseCommit: string; files: Array<{ path: string; content: string }> } {
  const issues = validateNewEnvironment(parsed.input, snapshot.files);
  if (issues.length > 0) {
    throwSpecIssues(issues);
  }
  return {
    baseCommit: snapshot.commit,
    files: Object.entries(generateEnvironment(parsed.spec))
      .map(([path, content]) => ({ path, content }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

/**
 * What the actions that change environments need: the repository and who
 * may change what.
 * @public
 */
export type EnvironmentActionOptions = RepositoryAccess & {
  authorizer: EnvironmentAuthorizer;
  /** The clock expiries are computed from (default: the system clock). */
  clock?: Clock;
};

/**
 * `epicshelter:environment:create`: checks that the requester may create an
 * environment for the owner it names, checks the spec against the GitOps
 * repository's current content and renders its files into the workspace.
 * @public
 */
export function createEnvironmentCreateAction(
  options: EnvironmentActionOptions,
) {
  const { authorizer, clock = systemClock, ...access } = options;
  return createTemplateAction({
    id: 'epicshelter:environment:create',
    description:
      'Checks that the requester belongs to the owner it names (or is a platform admin), validates an environment spec against the current GitOps repository (name free, workloads have bases, the platform API offers every resource) and renders the environment files into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: z =>
          z.record(z.unknown(), {
            description:
              'The environment spec: name, owner, target, provider, region, crossplaneApi, workloads, resources',
          }),
        ttl: z =>
          z
            .string({
              description:
                'Time to live of an ephemeral environment, e.g. 4h, 1d or 7d (bounded by epicshelter.environments.ttl); empty: the configured default, or no expiry',
            })
            .optional(),
        repository: repositoryInput,
        targetBranch: z =>
          z
            .string({
              description: 'Branch whose content the spec is checked against',
            })
            .optional(),
        outputPath: z =>
          z
            .string({
              description:
                'Workspace directory to render into, laid out as the repository (default "gitops")',
            })
            .optional(),
      },
      output: environmentChangeOutput,
    },
    async handler(ctx) {
      return reportingFailures(ctx, access.config, async logger => {
        const { input, spec } = parseNewEnvironment(
          ctx.input.spec,
          ctx.input.ttl,
          access.config,
          clock(),
        );
        await authorizer.authorizeEnvironmentCreation({
          credentials: await ctx.getInitiatorCredentials(),
          environment: spec.name,
          owner: spec.owner,
        });
        // Checked and rendered once per task: a retried task publishes the
        // same change from the same base (and so succeeds again) instead of
        // finding its own environment and calling the name taken.
        const { baseCommit, files } = await ctx.checkpoint({
          key: `epicshelter-environment-create-${spec.name}`,
          fn: async () =>
            newEnvironmentChangeOf(
              await readTaskSnapshot(access, ctx.input, logger),
              { input, spec },
            ),
        });
        const outputPath = ctx.input.outputPath ?? 'gitops';
        await writeChangeToWorkspace(ctx.workspacePath, outputPath, files);
        await writeChangeRecord(ctx.workspacePath, {
          baseCommit,
          paths: [environmentDir(spec.name)],
          kind: 'created',
        });
        logger.info(
          `Rendered environment ${spec.name}: ${files.length} files into ${outputPath}/`,
        );
        ctx.output('name', spec.name);
        ctx.output('entityRef', environmentEntityRef(spec.name));
        ctx.output(
          'files',
          files.map(f => f.path),
        );
        ctx.output('outputPath', outputPath);
        ctx.output('summary', environmentSummary(spec));
        ctx.output('title', `Create environment ${spec.name}`);
        ctx.output('baseCommit', baseCommit);
      });
    },
  });
}
