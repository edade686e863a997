import yaml from 'yaml';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  environmentDir,
  environmentFilePath,
  formatSpecIssues,
  generateEnvironment,
  isInside,
  safeParseEnvironmentSpec,
  toYaml,
  validateNewEnvironment,
} from '@epicshelter/plugin-gitops-common';
import { examples } from './addResource.examples';
import { readTaskSnapshot } from '../repository';
import { writeChangeRecord } from '../publish/changeRecord';
import { environmentChangeOutput, repositoryInput } from './schema';
import { writeChangeToWorkspace } from '../publish/workspace';
import {
  EnvironmentActionOptions,
  environmentEntityRef,
  throwSpecIssues,
} from './createEnvironment';
import { reportingFailures } from './taskFailure';

const LIST = {
  database: 'databases',
  bucket: 'buckets',
  cache: 'caches',
} as const;

/** Environment name from a name or an entity ref (`resource:default/<env>`). @public */
export function environmentNameOf(value: string): string {
  const m = /^(?:resource:)?(?:default\/)?([^:/]+)$/.exec(value.trim());
  if (!m) {
    throw new InputError(
      `environment "${value}" must be an environment name or an entity ref resource:default/<name>`,
    );
  }
  return m[1];
}

/**
 * Merges the `resources` of a regenerated kustomization into the one in the
 * repository, keeping entries someone added by hand.
 */
function mergeKustomization(
  current: string,
  generated: string,
  path: string,
): string {
  const doc = yaml.parseDocument(current);
  if (doc.errors.length > 0) {
    throw new ConflictError(
      `${path} in the repository is not valid YAML: ${doc.errors[0].message}`,
    );
  }
  const want = (yaml.parse(generated)?.resources ?? []) as string[];
  const have = doc.get('resources');
  const list = yaml.isSeq(have) ? have : doc.createNode([]);
  const present = new Set(
    list.items.map(i => String(yaml.isScalar(i) ? i.value : i)),
  );
  for (const r of want) if (!present.has(r)) list.add(doc.createNode(r));
  doc.set('resources', list);
  return doc.toString();
}

/**
 * The files that change when `resource` is added to environment `env` of a
 * repository: the new claim, the infrastructure kustomization and the
 * environment document, keeping hand edits where they can be merged.
 * Throws NotFoundError, ConflictError or InputError, writing nothing.
 */
export function planResourceAddition(options: {
  repo: Record<string, string>;
  env: string;
  type: keyof typeof LIST;
  resource: Record<string, unknown>;
}): { changed: Array<{ path: string; content: string }>; owner: string } {
  const { repo, env, type, resource } = options;
  const docPath = environmentFilePath(env);
  if (!(docPath in repo)) {
    throw new NotFoundError(
      `Environment ${env} does not exist in the GitOps repository (${docPath} missing)`,
    );
  }
  const current = yaml.parse(repo[docPath])?.spec;
  const before = safeParseEnvironmentSpec(current);
  if (!before.success) {
    throw new ConflictError(
      `${docPath} holds an invalid spec, fix it first: ${formatSpecIssues(
        before.issues,
      )}`,
    );
  }
  const list = LIST[type];
  const nextInput = {
    ...current,
    resources: {
      ...(current.resources ?? {}),
      [list]: [...(current.resources?.[list] ?? []), resource],
    },
  };
  const after = safeParseEnvironmentSpec(nextInput);
  if (!after.success) throwSpecIssues(after.issues);
  // The platform API of the repository must offer it: check as if the
  // environment were new, against everything but its own folder.
  const others = Object.fromEntries(
    Object.entries(repo).filter(([p]) => !isInside(p, environmentDir(env))),
  );
  const issues = validateNewEnvironment(nextInput, others);
  if (issues.length > 0) throwSpecIssues(issues);

  const oldFiles = generateEnvironment(before.spec);
  const newFiles = generateEnvironment(after.spec);
  const changed: Array<{ path: string; content: string }> = [];
  for (const [path, content] of Object.entries(newFiles)) {
    if (oldFiles[path] === content) continue;
    const inRepo = repo[path];
    if (inRepo === undefined || inRepo === oldFiles[path]) {
      changed.push({ path, content });
    } else if (path === docPath) {
      // Keep hand-added metadata; the spec is ours to update.
      changed.push({
        path,
        content: toYaml({
          ...yaml.parse(inRepo),
          spec: yaml.parse(content).spec,
        }),
      });
    } else if (/\/kustomization\.ya?ml$/.test(path)) {
      changed.push({
        path,
        content: mergeKustomization(inRepo, content, path),
      });
    } else {
      throw new ConflictError(
        `${path} was edited by hand since it was generated; adding ${type} would overwrite that edit. Add the resource by hand or restore the file.`,
      );
    }
  }
  changed.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { changed, owner: after.spec.owner };
}

/**
 * `epicshelter:environment:add-resource`: adds one database, bucket or cache
 * to an existing environment, writing only the files that change.
 * @public
 */
export function createEnvironmentAddResourceAction(
  options: EnvironmentActionOptions,
) {
  const { authorizer, ...access } = options;
  return createTemplateAction({
    id: 'epicshelter:environment:add-resource',
    description:
      'Adds a database, bucket or cache to an existing environment: checks that the requester may change it (owner or platform admin), reads environments/<env>/environment.yaml, checks the platform API offers the resource, and writes the new claim, the infrastructure kustomization and the updated environment document into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: z =>
          z.string({
            description:
              'Environment name or its entity ref (resource:default/<name>)',
          }),
        type: z =>
          z.enum(['database', 'bucket', 'cache'], {
            description: 'Kind of resource to add',
          }),
        resource: z =>
          z.record(z.unknown(), {
            description:
              'The resource: name plus engine/version/size (database, cache) or versioning (bucket)',
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
      output: environmentChangeOutput,
    },
    async handler(ctx) {
      return reportingFailures(ctx, access.config, async logger => {
        const env = environmentNameOf(ctx.input.environment);
        const name = String(ctx.input.resource.name ?? '');
        await authorizer.authorizeEnvironmentChange({
          credentials: await ctx.getInitiatorCredentials(),
          environment: env,
          change: `add ${ctx.input.type} '${name}'`,
        });
        // Planned once per task: a retried task publishes the same change from
        // the same base instead of finding its own resource already there.
        const { baseCommit, changed, owner } = await ctx.checkpoint({
          key: `epicshelter-environment-add-resource-${env}-${ctx.input.type}-${name}`,
          fn: async () => {
            const snapshot = await readTaskSnapshot(access, ctx.input, logger);
            return {
              baseCommit: snapshot.commit,
              ...planResourceAddition({
                repo: snapshot.files,
                env,
                type: ctx.input.type,
                resource: ctx.input.resource,
              }),
            };
          },
        });
        const outputPath = ctx.input.outputPath ?? 'gitops';
        await writeChangeToWorkspace(ctx.workspacePath, outputPath, changed);
        await writeChangeRecord(ctx.workspacePath, {
          baseCommit,
          paths: [environmentDir(env)],
          kind: 'changed',
        });
        logger.info(
          `Adding ${ctx.input.type} ${name} to ${env}: ${changed
            .map(c => c.path)
            .join(', ')}`,
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
          `Adds ${ctx.input.type} \`${name}\` to environment \`${env}\` (owner \`${owner}\`).`,
        );
        ctx.output(
          'title',
          `Environment ${env}: add ${ctx.input.type} ${name}`,
        );
        ctx.output('baseCommit', baseCommit);
      });
    },
  });
}
