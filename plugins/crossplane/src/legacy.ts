/**
 * Exports for apps on the legacy frontend system.
 *
 * @packageDocumentation
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  CrossplaneClient,
  crossplaneApiRef,
} from '@epicshelter/plugin-crossplane-react';

/** The crossplane plugin for the legacy frontend system. @public */
export const crossplaneLegacyPlugin = createPlugin({
  id: 'epicshelter-crossplane',
  apis: [
    createApiFactory({
      api: crossplaneApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CrossplaneClient(deps),
    }),
  ],
});

/** The "Crossplane" entity tab content (legacy). @public */
export const EntityCrossplaneContent = crossplaneLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityCrossplaneContent',
    component: {
      lazy: () =>
        import('@epicshelter/plugin-crossplane-react').then(
          m => m.CrossplaneResourcesContent,
        ),
    },
  }),
);

/** The Crossplane overview card (legacy). @public */
export const EntityCrossplaneOverviewCard = crossplaneLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityCrossplaneOverviewCard',
    component: {
      lazy: () =>
        import('@epicshelter/plugin-crossplane-react').then(
          m => m.CrossplaneOverviewCard,
        ),
    },
  }),
);

export { isCrossplaneAvailable } from '@epicshelter/plugin-crossplane-common';
export {
  crossplaneApiRef,
  CrossplaneClient,
  CrossplaneResourcesContent,
} from '@epicshelter/plugin-crossplane-react';
export type { CrossplaneResourcesContentProps } from '@epicshelter/plugin-crossplane-react';
