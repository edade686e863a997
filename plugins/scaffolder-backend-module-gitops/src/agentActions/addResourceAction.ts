import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { addEnvironmentResourceToolPermission } from '@epicshelter/plugin-environments-common';
import {
  environmentNameOf,
  planResourceAddition,
} from '../actions/addResource';
import { reportingFailures } from '../actions/taskFailure';
import { readTaskSnapshot } from '../repository';
import { changeInputShape, changeOutputSchema } from './changeSchema';
import { AgentActionDeps, proposeChange, publishedMeta } from './proposeChange';
import { audited } from './audit';

/**
 * `add-environment-resource`: adds a database, bucket or cache to an
 * environment; a dry run by default. The same authorization, planning,
 * validation and publishing as the add-resource template.
 */
export function registerAddResourceAction(
  registry: ActionsRegistryService,
  deps: AgentActionDeps,
) {
  const { access, authorizer, auditor } = deps;
  registry.register({
    name: 'add-environment-resource',
    title: 'Add a resource to an environment',
    description:
      'Adds a database, bucket or cache to an existing environment (the new claim, the infrastructure kustomization and the environment document). Without confirm it is a dry run that writes nothing and returns the changed files, their diff and baseCommit; call again with confirm: true and that baseCommit to open the change. Only owners of the environment and platform admins may change it.',
    attributes: { readOnly: false, destructive: false, idempotent: false },
    // Hidden from callers who may change no environment (see the policy).
    visibilityPermission: addEnvironmentResourceToolPermission,
    schema: {
      input: z =>
        z.object({
          environment: z
            .string()
            .describe(
              'Environment name or entity ref (resource:default/<name>)',
            ),
          type: z
            .enum(['database', 'bucket', 'cache'])
            .describe('Kind of resource to add'),
          resource: z
            .record(z.unknown())
            .describe(
              'The resource: name plus engine, version and size (database: postgres | mysql; cache: redis) or versioning (bucket)',
            ),
          ...changeInputShape(z),
        }),
      output: changeOutputSchema,
    },
    examples: [
      {
        title: 'Preview adding a cache to staging',
        input: {
          environment: 'staging',
          type: 'cache',
          resource: {
            name: 'sessions',
            engine: 'redis',
            version: '7.2',
            size: 'small',
          },
        },
      },
    ],
    action: async ({ input, credentials, logger }) =>
      audited(
        auditor,
        {
          eventId: 'environment-add-resource',
          credentials,
          mutating: input.confirm === true,
          meta: {
            environment: input.environment,
            type: input.type,
            resource: String(input.resource.name ?? ''),
          },
          describe: ({ output }) => publishedMeta(output),
        },
        () =>
          reportingFailures({ logger }, access.config, async log => {
            const env = environmentNameOf(input.environment);
            const name = String(input.resource.name ?? '');
            await authorizer.authorizeEnvironmentChange({
              credentials,
              environment: env,
              change: `add ${input.type} '${name}'`,
            });
            const snapshot = await readTaskSnapshot(access, input, log);
            const { changed, owner } = planResourceAddition({
              repo: snapshot.files,
              env,
              type: input.type,
              resource: input.resource,
            });
            const output = await proposeChange(deps, {
              credentials,
              input,
              snapshot,
              logger: log,
              planned: {
                environment: env,
                kind: 'changed',
                title: `Environment ${env}: add ${input.type} ${name}`,
                summary: `Adds ${input.type} \`${name}\` to environment \`${env}\` (owner \`${owner}\`).`,
                files: changed,
              },
            });
            return { output };
          }),
      ),
  });
}
