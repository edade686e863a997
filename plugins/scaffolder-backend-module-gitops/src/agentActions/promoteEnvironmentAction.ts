import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { promoteEnvironmentToolPermission } from '@epicshelter/plugin-environments-common';
import { environmentNameOf } from '../actions/addResource';
import { promotionBody, promotionChangeOf } from '../actions/promote';
import { reportingFailures } from '../actions/taskFailure';
import { readTaskSnapshot } from '../repository';
import { changeInputShape, changeOutputSchema } from './changeSchema';
import { AgentActionDeps, proposeChange, publishedMeta } from './proposeChange';
import { audited } from './audit';

/**
 * `promote-environment`: sets the target's image tags (and, with
 * copyConfig, replicas) to the source's; a dry run by default, with the
 * rendered diff. The same authorization, planning, validation and
 * publishing as the promote-workload template.
 */
export function registerPromoteEnvironmentAction(
  registry: ActionsRegistryService,
  deps: AgentActionDeps,
) {
  const { access, authorizer, auditor } = deps;
  registry.register({
    name: 'promote-environment',
    title: 'Promote workloads between environments',
    description:
      "Promotes workloads from one environment to another: sets the target overlay's image tag (and, with copyConfig, its replicas override) to the source's. Without confirm it is a dry run that writes nothing and returns the changed files, their diff, the rendered diff of the target's workloads and baseCommit; call again with confirm: true and that baseCommit to open the change. Only owners of the target and platform admins may promote into it.",
    // It replaces what runs in the target environment.
    attributes: { readOnly: false, destructive: true, idempotent: true },
    // Hidden from callers who may change no environment (see the policy).
    visibilityPermission: promoteEnvironmentToolPermission,
    schema: {
      input: z =>
        z.object({
          from: z
            .string()
            .describe(
              'Source environment: name or entity ref (resource:default/<name>)',
            ),
          to: z
            .string()
            .describe(
              'Target environment, whose overlay changes: name or entity ref',
            ),
          workloads: z
            .array(z.string())
            .optional()
            .describe(
              'Workloads to promote; left out or empty: every workload both deploy whose release differs',
            ),
          copyConfig: z
            .boolean()
            .optional()
            .describe(
              "Also copy the source's replicas override, not only the image tag",
            ),
          ...changeInputShape(z),
        }),
      output: changeOutputSchema,
    },
    examples: [
      {
        title: 'Preview promoting web from dev to staging',
        input: { from: 'dev', to: 'staging', workloads: ['web'] },
      },
    ],
    action: async ({ input, credentials, logger }) =>
      audited(
        auditor,
        {
          eventId: 'environment-promote',
          credentials,
          mutating: input.confirm === true,
          meta: { from: input.from, to: input.to },
          describe: ({ output }) => publishedMeta(output),
        },
        () =>
          reportingFailures({ logger }, access.config, async log => {
            const from = environmentNameOf(input.from);
            const to = environmentNameOf(input.to);
            const workloads = input.workloads ?? [];
            await authorizer.authorizeEnvironmentChange({
              credentials,
              environment: to,
              change: `promote ${
                workloads.length > 0 ? workloads.join(', ') : 'workloads'
              } from '${from}'`,
            });
            const snapshot = await readTaskSnapshot(access, input, log);
            const plan = promotionChangeOf(snapshot, {
              from,
              to,
              workloads,
              copyConfig: input.copyConfig,
            });
            const names = plan.workloads.join(', ');
            const output = await proposeChange(deps, {
              credentials,
              input,
              snapshot,
              logger: log,
              planned: {
                environment: to,
                kind: 'changed',
                title: `Environment ${to}: promote ${names} from ${from}`,
                summary: `Promotes ${plan.promotions.join(
                  '; ',
                )} from \`${from}\` to \`${to}\` (owner \`${plan.owner}\`).`,
                description: promotionBody({ from, to, ...plan }),
                files: plan.changed,
                rendered: { diff: plan.diff, problems: plan.problems },
              },
            });
            return { output };
          }),
      ),
  });
}
