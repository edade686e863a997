import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { createEnvironmentToolPermission } from '@epicshelter/plugin-environments-common';
import {
  renderWorkloads,
  renderedWorkloadsDiff,
} from '@epicshelter/plugin-gitops-common';
import {
  environmentSummary,
  newEnvironmentChangeOf,
  parseNewEnvironment,
} from '../actions/createEnvironment';
import { reportingFailures } from '../actions/taskFailure';
import { readTaskSnapshot } from '../repository';
import { changeInputShape, changeOutputSchema } from './changeSchema';
import { AgentActionDeps, proposeChange, publishedMeta } from './proposeChange';
import { audited } from './audit';

/**
 * The rendered workloads of a new environment as a diff from nothing; the
 * problems are those of the new render only (before, the folder is
 * missing by definition).
 */
function newWorkloadsRender(
  repo: Record<string, string>,
  name: string,
  files: Array<{ path: string; content: string }>,
) {
  const after = {
    ...repo,
    ...Object.fromEntries(files.map(f => [f.path, f.content])),
  };
  return {
    diff: renderedWorkloadsDiff(repo, name, files).diff,
    problems: renderWorkloads(after, name).problems,
  };
}

/**
 * `create-environment`: a dry run by default (the files, their diff and the
 * rendered workloads); with `confirm: true` it opens the change. The same
 * parsing, authorization, validation, rendering and publishing as the
 * create-environment template.
 */
export function registerCreateEnvironmentAction(
  registry: ActionsRegistryService,
  deps: AgentActionDeps,
) {
  const { access, authorizer, auditor, clock } = deps;
  registry.register({
    name: 'create-environment',
    title: 'Create an environment',
    description:
      'Creates an Epicshelter environment in the GitOps repository. Without confirm it is a dry run that writes nothing and returns the files, their diff, the rendered workloads diff and baseCommit; call again with the same input, confirm: true and that baseCommit to open the change (a pull or merge request, or a commit in a local repository). The caller must belong to the owner it names, or be a platform admin.',
    attributes: { readOnly: false, destructive: false, idempotent: false },
    // Hidden from callers who may change no environment (see the policy).
    visibilityPermission: createEnvironmentToolPermission,
    schema: {
      input: z =>
        z.object({
          spec: z
            .record(z.unknown())
            .describe(
              'The environment spec: name (DNS label), owner (group or user ref), target (local | cloud), provider (local | aws | gcp | azure), region (cloud), crossplaneApi (v1 | v2), workloads (app names of apps/<name>/base), resources { databases, caches, buckets, kubernetesCluster }',
            ),
          ttl: z
            .string()
            .optional()
            .describe(
              'Time to live of an ephemeral environment, e.g. 4h, 1d or 7d (bounded by epicshelter.environments.ttl); left out: the configured default, or no expiry',
            ),
          ...changeInputShape(z),
        }),
      output: changeOutputSchema,
    },
    examples: [
      {
        title: 'Preview a local environment with a database',
        input: {
          spec: {
            name: 'team-a-dev',
            owner: 'group:default/team-a',
            target: 'local',
            provider: 'local',
            workloads: ['web'],
            resources: {
              databases: [
                {
                  name: 'main',
                  engine: 'postgres',
                  version: '16',
                  size: 'small',
                },
              ],
            },
          },
        },
      },
    ],
    action: async ({ input, credentials, logger }) =>
      audited(
        auditor,
        {
          eventId: 'environment-create',
          credentials,
          mutating: input.confirm === true,
          meta: { environment: String(input.spec.name ?? '') },
          describe: ({ output }) => publishedMeta(output),
        },
        () =>
          reportingFailures({ logger }, access.config, async log => {
            const parsed = parseNewEnvironment(
              input.spec,
              input.ttl,
              access.config,
              clock(),
            );
            const { spec } = parsed;
            await authorizer.authorizeEnvironmentCreation({
              credentials,
              environment: spec.name,
              owner: spec.owner,
            });
            const snapshot = await readTaskSnapshot(access, input, log);
            const { files } = newEnvironmentChangeOf(snapshot, parsed);
            const output = await proposeChange(deps, {
              credentials,
              input,
              snapshot,
              logger: log,
              planned: {
                environment: spec.name,
                kind: 'created',
                title: `Create environment ${spec.name}`,
                summary: environmentSummary(spec),
                files,
                rendered: newWorkloadsRender(snapshot.files, spec.name, files),
              },
            });
            return { output };
          }),
      ),
  });
}
