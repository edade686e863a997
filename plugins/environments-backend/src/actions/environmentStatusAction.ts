import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { NotFoundError } from '@backstage/errors';
import { isEnvironmentEntity } from '@epicshelter/plugin-environments-common';
import type { EnvironmentService } from '../services/EnvironmentService';
import { environmentListItem } from './environmentSummary';
import { environmentNameOf } from './environmentName';

/**
 * `get-environment-status`: the environment page's verdict (Argo CD
 * applications, Crossplane resources, lifecycle), where it runs and when it
 * expires, read with the caller's credentials like the page.
 */
export function registerEnvironmentStatusAction(
  registry: ActionsRegistryService,
  deps: { catalog: CatalogService; service: EnvironmentService },
) {
  registry.register({
    name: 'get-environment-status',
    title: 'Environment status',
    description:
      'The status of one environment, as its page shows it: the verdict (healthy, progressing, degraded, ...) with the reason and every finding from its Argo CD applications (sync, health, operation) and Crossplane resources (Ready, Synced), where it runs (placement), its lifecycle from template run to running workloads, and when an ephemeral environment expires.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          environment: z
            .string()
            .describe(
              'Environment name or entity ref (resource:default/<name>)',
            ),
        }),
      output: z =>
        z.object({
          environment: z
            .object({ name: z.string(), entityRef: z.string() })
            .passthrough()
            .describe('The environment as list-environments shows it'),
          status: z.object({
            environment: z.string(),
            status: z
              .string()
              .describe(
                'Failed, Degraded, Progressing, OutOfSync, Unknown or Healthy',
              ),
            reason: z.string(),
            findings: z
              .array(
                z.object({
                  status: z.string(),
                  reason: z.string(),
                  source: z.string(),
                }),
              )
              .describe('Every finding that is not healthy, worst first'),
          }),
          placement: z
            .object({
              target: z.string(),
              phase: z.string(),
              cluster: z.string(),
              infrastructureOwner: z.string(),
              argoCdInstance: z.string().optional(),
              summary: z.string(),
            })
            .optional(),
          lifecycle: z.object({
            environment: z.string(),
            state: z.string(),
            steps: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                state: z.string(),
                at: z.string().optional(),
                message: z.string(),
                url: z.string().optional(),
              }),
            ),
            blockedAt: z.string().optional(),
            reason: z.string().optional(),
          }),
          expiresAt: z
            .string()
            .optional()
            .describe('When an ephemeral environment expires (ISO 8601)'),
        }),
    },
    examples: [
      { title: 'Status of staging', input: { environment: 'staging' } },
    ],
    action: async ({ input, credentials }) => {
      const name = environmentNameOf(input.environment);
      const ref = `resource:default/${name}`;
      const entity = await deps.catalog.getEntityByRef(ref, { credentials });
      if (!entity || !isEnvironmentEntity(entity)) {
        throw new NotFoundError(
          `No environment ${ref} in the catalog; list-environments shows the environments you may see.`,
        );
      }
      const item = environmentListItem(entity);
      const { status, placement, lifecycle } = await deps.service.status(
        name,
        credentials,
      );
      return {
        output: {
          environment: item,
          status,
          ...(placement ? { placement } : {}),
          lifecycle,
          ...(item.expiresAt ? { expiresAt: item.expiresAt } : {}),
        },
      };
    },
  });
}
