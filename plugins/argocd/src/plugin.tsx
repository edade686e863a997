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
  ARGOCD_PLUGIN_ID,
  isArgoCdAvailable,
} from '@epicshelter/plugin-argocd-common';
import { ArgoCdClient, argoCdApiRef } from './api/ArgoCdApi';

/** The Argo CD API client extension. @public */
export const argoCdApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: argoCdApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ArgoCdClient({ discoveryApi, fetchApi }),
    }),
});

/** Entity tab "Argo CD" (annotated entities and environment resources). @public */
export const argoCdEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/argocd',
    title: 'Argo CD',
    group: 'deployment',
    filter: isArgoCdAvailable,
    loader: () =>
      import('./components/ArgoCdContent').then(m => <m.ArgoCdContent />),
  },
});

/** Entity overview card "Argo CD". @public */
export const argoCdEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isArgoCdAvailable,
    loader: () =>
      import('./components/ArgoCdOverviewCard').then(m => (
        <m.ArgoCdOverviewCard />
      )),
  },
});

/** Argo CD frontend plugin (plugin id `epicshelter-argocd`), new frontend system. @public */
export const argocdPlugin = createFrontendPlugin({
  pluginId: ARGOCD_PLUGIN_ID,
  title: 'Argo CD',
  extensions: [argoCdApi, argoCdEntityContent, argoCdEntityCard],
});
