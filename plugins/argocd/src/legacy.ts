/**
 * Legacy frontend system exports of the Argo CD plugin.
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
import { ArgoCdClient, argoCdApiRef } from './api/ArgoCdApi';

/** Legacy plugin instance. @public */
export const argocdLegacyPlugin = createPlugin({
  id: 'epicshelter-argocd',
  apis: [
    createApiFactory({
      api: argoCdApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ArgoCdClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** Entity tab content, e.g. `<EntityLayout.Route path="/argocd" title="Argo CD" if={isArgoCdAvailable}>`. @public */
export const EntityArgoCdContent = argocdLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityArgoCdContent',
    component: {
      lazy: () =>
        import('./components/ArgoCdContent').then(m => m.ArgoCdContent),
    },
  }),
);

/** Entity overview card. @public */
export const EntityArgoCdOverviewCard = argocdLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityArgoCdOverviewCard',
    component: {
      lazy: () =>
        import('./components/ArgoCdOverviewCard').then(
          m => m.ArgoCdOverviewCard,
        ),
    },
  }),
);

export { isArgoCdAvailable } from '@epicshelter/plugin-argocd-common';
export { ArgoCdClient, argoCdApiRef } from './api/ArgoCdApi';
export type { ArgoCdApi, ArgoCdAppRef } from './api/ArgoCdApi';
