/**
 * Environments frontend plugin: legacy frontend system exports and the API
 * client. The new frontend system plugin is the default export of
 * `@epicshelter/plugin-environments/alpha`.
 *
 * @packageDocumentation
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { EnvironmentsClient, environmentsApiRef } from './api';
import { legacyScaffolderTemplateRouteRef } from './routes';
import {
  GITOPS_REPOSITORY_PICKER,
  GitOpsRepositoryPicker,
  validateGitOpsRepository,
} from './components/GitOpsRepositoryPicker';
import {
  ENVIRONMENT_WORKLOADS_PICKER,
  EnvironmentWorkloadsPicker,
  validateEnvironmentWorkloads,
} from './components/EnvironmentWorkloadsPicker';

export { EnvironmentsClient, environmentsApiRef } from './api';
export type { EnvironmentsApi } from './api';
export {
  ENVIRONMENT_WORKLOADS_PICKER,
  EnvironmentWorkloadsPicker,
  validateEnvironmentWorkloads,
} from './components/EnvironmentWorkloadsPicker';
export {
  GITOPS_REPOSITORY_PICKER,
  GitOpsRepositoryPicker,
  validateGitOpsRepository,
} from './components/GitOpsRepositoryPicker';
export { EnvironmentVerdict } from './components/EnvironmentVerdict';
export { legacyScaffolderTemplateRouteRef } from './routes';
export { isEnvironmentEntity } from '@epicshelter/plugin-environments-common';

/** Route of the Environments page (legacy apps). @public */
export const rootRouteRef = createRouteRef({ id: 'environments' });

/**
 * Route of the decommission page (legacy apps): mount it at `/decommissions`
 * (`<Route path="/decommissions" element={<EnvironmentDecommissionPage />} />`),
 * where the decommission template and the Decommission card link.
 * @public
 */
export const decommissionRouteRef = createRouteRef({
  id: 'environments:decommission',
});

/** Legacy plugin instance. @public */
export const environmentsPlugin = createPlugin({
  id: 'environments',
  routes: { root: rootRouteRef, decommission: decommissionRouteRef },
  externalRoutes: { scaffolderTemplate: legacyScaffolderTemplateRouteRef },
  apis: [
    createApiFactory({
      api: environmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EnvironmentsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/** The Environments page: `<Route path="/environments" element={<EnvironmentsPage />} />`. @public */
export const EnvironmentsPage: () => JSX.Element | null =
  environmentsPlugin.provide(
    createRoutableExtension({
      name: 'EnvironmentsPage',
      mountPoint: rootRouteRef,
      component: () =>
        import('./components/EnvironmentsPage').then(
          m => m.LegacyEnvironmentsPage,
        ),
    }),
  );

/** Entity tab content "Environment" (`if={isEnvironmentEntity}`). @public */
export const EntityEnvironmentOverviewContent: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentOverviewContent',
      component: {
        lazy: () =>
          import('./components/EnvironmentOverview').then(
            m => m.EnvironmentOverview,
          ),
      },
    }),
  );

/** Entity tab content "Deployments". @public */
export const EntityEnvironmentDeploymentsContent: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentDeploymentsContent',
      component: {
        lazy: () =>
          import('./components/EnvironmentDeployments').then(
            m => m.EnvironmentDeployments,
          ),
      },
    }),
  );

/** Entity tab content "Infrastructure". @public */
export const EntityEnvironmentInfrastructureContent: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentInfrastructureContent',
      component: {
        lazy: () =>
          import('./components/EnvironmentInfrastructure').then(
            m => m.EnvironmentInfrastructure,
          ),
      },
    }),
  );

/** Entity tab content "Lifecycle". @public */
export const EntityEnvironmentLifecycleContent: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentLifecycleContent',
      component: {
        lazy: () =>
          import('./components/EnvironmentLifecycle').then(
            m => m.EnvironmentLifecycle,
          ),
      },
    }),
  );

/** Entity card "Status": the environment's one verdict and where it runs. @public */
export const EntityEnvironmentStatusCard: (props: {
  variant?: 'gridItem';
}) => JSX.Element = environmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentStatusCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentStatusCard').then(
          m => m.EnvironmentStatusCard,
        ),
    },
  }),
);

/**
 * The decommission of one environment, followed to the end even once the
 * catalog has removed it (`/decommissions/<name>`; see {@link decommissionRouteRef}).
 * @public
 */
export const EnvironmentDecommissionPage: () => JSX.Element | null =
  environmentsPlugin.provide(
    createRoutableExtension({
      name: 'EnvironmentDecommissionPage',
      mountPoint: decommissionRouteRef,
      component: () =>
        import('./components/DecommissionPage').then(m => m.DecommissionPage),
    }),
  );

/** Entity card "Workloads": image tag and replicas of each workload, built from the overlay. @public */
export const EntityEnvironmentWorkloadsCard: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentWorkloadsCard',
      component: {
        lazy: () =>
          import('./components/EnvironmentWorkloadsCard').then(
            m => m.EnvironmentWorkloadsCard,
          ),
      },
    }),
  );

/**
 * Entity card "Promote": a button to the promote template with this
 * environment as the target (bind `scaffolderTemplate` in `bindRoutes`).
 * @public
 */
export const EntityEnvironmentPromoteCard: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentPromoteCard',
      component: {
        lazy: () =>
          import('./components/PromoteEnvironmentCard').then(
            m => m.LegacyPromoteEnvironmentCard,
          ),
      },
    }),
  );

/**
 * Entity card "Decommission": the decommission template's button, then how
 * far the decommission got (bind `scaffolderTemplate` in `bindRoutes`).
 * @public
 */
export const EntityEnvironmentDecommissionCard: () => JSX.Element | null =
  environmentsPlugin.provide(
    createComponentExtension({
      name: 'EntityEnvironmentDecommissionCard',
      component: {
        lazy: () =>
          import('./components/DecommissionEnvironmentCard').then(
            m => m.LegacyDecommissionEnvironmentCard,
          ),
      },
    }),
  );

/**
 * Entity card "Expiry" of an ephemeral environment: when it expires, and
 * the Extend button (bind `scaffolderTemplate` in `bindRoutes`).
 * @public
 */
export const EntityEnvironmentExpiryCard: (props: {
  now?: Date;
}) => JSX.Element | null = environmentsPlugin.provide(
  createComponentExtension({
    name: 'EntityEnvironmentExpiryCard',
    component: {
      lazy: () =>
        import('./components/EnvironmentExpiryCard').then(
          m => m.LegacyEnvironmentExpiryCard,
        ),
    },
  }),
);

/**
 * Scaffolder field extension `EnvironmentWorkloadsPicker` for legacy apps:
 * `<ScaffolderFieldExtensions><EnvironmentWorkloadsPickerFieldExtension /></ScaffolderFieldExtensions>`.
 * @public
 */
export const EnvironmentWorkloadsPickerFieldExtension =
  environmentsPlugin.provide(
    createScaffolderFieldExtension({
      name: ENVIRONMENT_WORKLOADS_PICKER,
      component: EnvironmentWorkloadsPicker,
      validation: validateEnvironmentWorkloads,
    }),
  );

/**
 * Scaffolder field extension `GitOpsRepositoryPicker` for legacy apps:
 * `<ScaffolderFieldExtensions><GitOpsRepositoryPickerFieldExtension /></ScaffolderFieldExtensions>`.
 * @public
 */
export const GitOpsRepositoryPickerFieldExtension = environmentsPlugin.provide(
  createScaffolderFieldExtension({
    name: GITOPS_REPOSITORY_PICKER,
    component: GitOpsRepositoryPicker,
    validation: validateGitOpsRepository,
  }),
);
