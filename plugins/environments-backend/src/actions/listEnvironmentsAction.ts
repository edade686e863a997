import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ENVIRONMENT_RESOURCE_TYPE,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import { environmentListItem } from './environmentSummary';

/** An owner as a full entity ref (a bare name is a group of the default namespace). */
const ownerRef = (owner: string) =>
  stringifyEntityRef(
    parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }),
  );

/**
 * `list-environments`: the environments of the catalog the caller may read
 * (the catalog's permission checks, with the caller's credentials).
 */
export function registerListEnvironmentsAction(
  registry: ActionsRegistryService,
  deps: { catalog: CatalogService },
) {
  registry.register({
    name: 'list-environments',
    title: 'List environments',
    description:
      'Lists the Epicshelter environments in the catalog that the caller may see: name, entity ref, owner, where each runs (target, provider, region), its workloads with image tags, its resources and, for an ephemeral environment, when it expires. Optionally only those of one owner.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .optional()
            .describe(
              'Only environments of this owner: an entity ref (group:default/team-a, user:default/ada) or a group name',
            ),
        }),
      output: z =>
        z.object({
          environments: z.array(
            z.object({
              name: z.string(),
              entityRef: z.string(),
              owner: z.string().optional(),
              description: z.string().optional(),
              target: z.string().optional(),
              provider: z.string().optional(),
              region: z.string().optional(),
              workloads: z.array(
                z.object({
                  name: z.string(),
                  imageTag: z.string().optional(),
                  replicas: z.number().optional(),
                }),
              ),
              resources: z.array(
                z.object({
                  type: z.string(),
                  name: z.string(),
                  entityRef: z.string(),
                }),
              ),
              expiresAt: z.string().optional(),
              ttl: z.string().optional(),
            }),
          ),
        }),
    },
    examples: [{ title: 'Every environment', input: {} }],
    action: async ({ input, credentials }) => {
      const { items } = await deps.catalog.getEntities(
        {
          filter: {
            kind: 'Resource',
            'spec.type': ENVIRONMENT_RESOURCE_TYPE,
          },
        },
        { credentials },
      );
      const owner = input.owner && ownerRef(input.owner);
      const environments = items
        .filter(isEnvironmentEntity)
        .map(environmentListItem)
        .filter(e => !owner || (e.owner && ownerRef(e.owner) === owner))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { output: { environments } };
    },
  });
}
