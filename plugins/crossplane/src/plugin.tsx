import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  CROSSPLANE_PLUGIN_ID,
  isCrossplaneAvailable,
} from '@epicshelter/plugin-crossplane-common';
import {
  CrossplaneClient,
  crossplaneApiRef,
} from '@epicshelter/plugin-crossplane-react';

/** The crossplane API extension. @public */
export const crossplaneApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: crossplaneApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CrossplaneClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Crossplane" entity tab. @public */
export const crossplaneEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/crossplane',
    title: 'Crossplane',
    filter: isCrossplaneAvailable,
    loader: () =>
      import('@epicshelter/plugin-crossplane-react').then(m => (
        <m.CrossplaneResourcesContent />
      )),
  },
});

/** The Crossplane overview card. @public */
export const crossplaneOverviewCard = EntityCardBlueprint.make({
  name: 'overview',
  params: {
    filter: isCrossplaneAvailable,
    loader: () =>
      import('@epicshelter/plugin-crossplane-react').then(m => (
        <m.CrossplaneOverviewCard />
      )),
  },
});

/**
 * The crossplane frontend plugin (new frontend system).
 * @public
 */
export const crossplanePlugin = createFrontendPlugin({
  pluginId: CROSSPLANE_PLUGIN_ID,
  extensions: [crossplaneApi, crossplaneEntityContent, crossplaneOverviewCard],
});
