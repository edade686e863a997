import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { decommissionEnvironmentToolPermission } from '@epicshelter/plugin-environments-common';
import { InputError } from '@backstage/errors';
import { environmentDir } from '@epicshelter/plugin-gitops-common';
import { environmentNameOf } from '../actions/addResource';
import {
  assertProtectionLive,
  decommissionChangeOf,
} from '../actions/decommission';
import { reportingFailures } from '../actions/taskFailure';
import { readTaskSnapshot } from '../repository';
import { changeInputShape, changeOutputSchema } from './changeSchema';
import { AgentActionDeps, proposeChange, publishedMeta } from './proposeChange';
import { audited } from './audit';

/**
 * `decommission-environment`: removes an environment in one change; a dry
 * run by default, returning what goes and the data that would be lost. The
 * same authorization, typed-name confirmation, planning and publishing as
 * the decommission-environment template.
 */
export function registerDecommissionEnvironmentAction(
  registry: ActionsRegistryService,
  deps: AgentActionDeps,
) {
  const { access, authorizer, auditor } = deps;
  registry.register({
    name: 'decommission-environment',
    title: 'Decommission an environment',
    description:
      "Decommissions an environment in one change: deletes its folder (Argo CD then removes its applications, workloads and cloud resources; databases and buckets listed in orphan are kept). Without confirm it is a dry run that writes nothing and returns what goes (the plan in summary, the data that would be lost, the deleted and changed files) and baseCommit. To confirm, call again with confirm: true, that baseCommit and confirmation set to the environment's name. Only owners of the environment and platform admins may decommission it.",
    attributes: { readOnly: false, destructive: true, idempotent: false },
    // Hidden from callers who may change no environment (see the policy).
    visibilityPermission: decommissionEnvironmentToolPermission,
    schema: {
      input: z =>
        z.object({
          environment: z
            .string()
            .describe(
              'Environment name or entity ref (resource:default/<name>)',
            ),
          orphan: z
            .array(z.string())
            .optional()
            .describe(
              'Databases and buckets to keep instead of deleting, by their name in the environment',
            ),
          confirmation: z
            .string()
            .optional()
            .describe(
              "With confirm: the environment's name, typed again to confirm",
            ),
          ...changeInputShape(z),
        }),
      output: z =>
        changeOutputSchema(z).extend({
          dataLoss: z
            .array(z.string())
            .describe(
              'Databases and buckets whose data is deleted with the environment',
            ),
        }),
    },
    examples: [
      {
        title: 'Preview decommissioning a preview environment',
        input: { environment: 'pr-42' },
      },
    ],
    action: async ({ input, credentials, logger }) =>
      audited(
        auditor,
        {
          eventId: 'environment-decommission',
          credentials,
          mutating: input.confirm === true,
          meta: {
            environment: input.environment,
            orphan: input.orphan ?? [],
          },
          describe: ({ output }) => publishedMeta(output),
        },
        () =>
          reportingFailures({ logger }, access.config, async log => {
            const env = environmentNameOf(input.environment);
            const orphan = [...new Set(input.orphan ?? [])].sort();
            await authorizer.authorizeEnvironmentChange({
              credentials,
              environment: env,
              change: 'make a decommission change',
              action: 'decommission',
            });
            const typed = input.confirmation?.trim() ?? '';
            if (input.confirm && typed !== env) {
              throw new InputError(
                `To decommission environment '${env}', pass its name '${env}' as confirmation${
                  typed ? ` (got '${typed}')` : ''
                }; nothing was changed.`,
              );
            }
            const snapshot = await readTaskSnapshot(access, input, log);
            const plan = decommissionChangeOf(snapshot, {
              environment: env,
              orphan,
              requester: (credentials.principal as { userEntityRef?: string })
                .userEntityRef,
            });
            if (input.confirm && plan.step === 'remove' && plan.kept.length) {
              await assertProtectionLive(deps.protection, env, credentials);
            }
            const output = await proposeChange(deps, {
              credentials,
              input,
              snapshot,
              logger: log,
              planned: {
                environment: env,
                kind: 'changed',
                // with orphans, the first change only protects them
                title: plan.title,
                summary: plan.summary,
                description: plan.body,
                files: plan.changed,
                deletions: plan.deleted,
                guardPaths: [
                  environmentDir(env),
                  ...plan.changed.map(c => c.path),
                ],
                // as the decommission-environment template, which publishes
                // without epicshelter:gitops:validate
                validate: false,
              },
            });
            return { output: { ...output, dataLoss: plan.dataLoss } };
          }),
      ),
  });
}
