import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isEnvironmentEntity } from '@epicshelter/plugin-environments';

/**
 * What an environment's graph shows: the environment, its owner and System,
 * the resources it declares (databases, buckets, caches, clusters) and the
 * components it deploys, which use them. All of them are one relation away
 * from the environment, so one level is enough; users, APIs and domains are
 * left out.
 */
export const ENVIRONMENT_GRAPH = {
  kinds: ['resource', 'component', 'system', 'group'],
  relations: [
    'ownedBy',
    'ownerOf',
    'partOf',
    'hasPart',
    'dependsOn',
    'dependencyOf',
  ],
  maxDepth: 1,
  // a star around the environment: its neighbours in two columns, no edge
  // between two neighbours (every workload gets every resource's Secret, so
  // those edges would cross each other without telling more)
  unidirectional: true,
  mergeRelations: true,
  height: 420,
} as const;

/**
 * The relations card of environments ("Environment graph"), laid out left
 * to right. Other entities keep catalog-graph's own card, which app-config
 * turns off for environments.
 */
const environmentGraphCard = EntityCardBlueprint.make({
  name: 'environment-relations',
  params: {
    filter: isEnvironmentEntity,
    loader: () =>
      import('@backstage/plugin-catalog-graph').then(m => (
        <m.EntityCatalogGraphCard
          title="Environment graph"
          direction={m.Direction.LEFT_RIGHT}
          kinds={[...ENVIRONMENT_GRAPH.kinds]}
          relations={[...ENVIRONMENT_GRAPH.relations]}
          maxDepth={ENVIRONMENT_GRAPH.maxDepth}
          unidirectional={ENVIRONMENT_GRAPH.unidirectional}
          mergeRelations={ENVIRONMENT_GRAPH.mergeRelations}
          height={ENVIRONMENT_GRAPH.height}
        />
      )),
  },
});

/** The environment graph card, attached to the catalog-graph plugin. */
export const environmentGraphModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [environmentGraphCard],
});
