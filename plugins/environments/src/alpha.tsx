/**
 * The environments frontend plugin for the new frontend system (discovered
 * by `app.packages: all` through the `./alpha` export).
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
  EntityHeaderLayoutBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import {
  getEnvironmentSpec,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from './api';
import { scaffolderTemplateRouteRef } from './routes';

export { scaffolderTemplateRouteRef } from './routes';

/** Route of the Environments page. @alpha */
export const environmentsRouteRef = createRouteRef();

/** The environments API client. @alpha */
export const environmentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: environmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EnvironmentsClient({ discoveryApi, fetchApi }),
    }),
});

/** The Environments page (sidebar item "Environments"). @alpha */
export const environmentsPage = PageBlueprint.make({
  params: {
    path: '/environments',
    title: 'Environments',
    icon: <CloudQueueIcon />,
    routeRef: environmentsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/EnvironmentsPage').then(m => <m.EnvironmentsPage />),
  },
});

/**
 * The page of a commit of the local GitOps repository
 * (`/gitops/commits/<sha>`), which changes published there link to.
 * @alpha
 */
export const gitOpsCommitPage = PageBlueprint.make({
  name: 'gitops-commit',
  params: {
    path: '/gitops/commits',
    title: 'GitOps commit',
    noHeader: true,
    loader: () =>
      import('./components/GitOpsCommitPage').then(m => <m.GitOpsCommitPage />),
  },
});

/**
 * The decommission of an environment (`/decommissions/<name>`), which stays
 * once the catalog has removed the environment; the decommission template
 * links to it.
 * @alpha
 */
export const decommissionPage = PageBlueprint.make({
  name: 'decommission',
  params: {
    path: '/decommissions',
    title: 'Decommission',
    noHeader: true,
    loader: () =>
      import('./components/DecommissionPage').then(m => <m.DecommissionPage />),
  },
});

/** Entity tab "Environment" on environment resources. @alpha */
export const environmentOverviewContent = EntityContentBlueprint.make({
  name: 'overview',
  params: {
    path: '/environment',
    title: 'Environment',
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentOverview').then(m => (
        <m.EnvironmentOverview />
      )),
  },
});

/** Entity tab "Deployments" on environment resources. @alpha */
export const environmentDeploymentsContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: '/deployments',
    title: 'Deployments',
    group: 'deployment',
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentDeployments').then(m => (
        <m.EnvironmentDeployments />
      )),
  },
});

/** Entity tab "Infrastructure" on environment resources. @alpha */
export const environmentInfrastructureContent = EntityContentBlueprint.make({
  name: 'infrastructure',
  params: {
    path: '/infrastructure',
    title: 'Infrastructure',
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentInfrastructure').then(m => (
        <m.EnvironmentInfrastructure />
      )),
  },
});

/** Entity tab "Lifecycle" on environment resources. @alpha */
export const environmentLifecycleContent = EntityContentBlueprint.make({
  name: 'lifecycle',
  params: {
    path: '/lifecycle',
    title: 'Lifecycle',
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentLifecycle').then(m => (
        <m.EnvironmentLifecycle />
      )),
  },
});

/** Card "Status" on environment resources: the one verdict and where it runs. @alpha */
export const environmentStatusCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentStatusCard').then(m => (
        <m.EnvironmentStatusCard variant="gridItem" />
      )),
  },
});

/**
 * Card "Workloads" on environment resources: image tag and replicas of each
 * workload, with the paths of its app base and of the overlay's patch.
 * @alpha
 */
export const environmentWorkloadsCard = EntityCardBlueprint.make({
  name: 'workloads',
  params: {
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentWorkloadsCard').then(m => (
        <m.EnvironmentWorkloadsCard />
      )),
  },
});

/**
 * Card "Decommission" on environment resources: a button to the
 * decommission template, prefilled with the environment.
 * @alpha
 */
export const environmentDecommissionCard = EntityCardBlueprint.make({
  name: 'decommission',
  params: {
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/DecommissionEnvironmentCard').then(m => (
        <m.DecommissionEnvironmentCard />
      )),
  },
});

/**
 * Card "Expiry" on ephemeral environments: when it expires, and an
 * "Extend" button to the extend template.
 * @alpha
 */
export const environmentExpiryCard = EntityCardBlueprint.make({
  name: 'expiry',
  params: {
    filter: entity =>
      isEnvironmentEntity(entity) && !!getEnvironmentSpec(entity)?.expiry,
    loader: () =>
      import('./components/EnvironmentExpiryCard').then(m => (
        <m.EnvironmentExpiryCard />
      )),
  },
});

/**
 * Card "Promote" on environment resources: a button to the promote
 * template with the environment as the target.
 * @alpha
 */
export const environmentPromoteCard = EntityCardBlueprint.make({
  name: 'promote',
  params: {
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/PromoteEnvironmentCard').then(m => (
        <m.PromoteEnvironmentCard />
      )),
  },
});

/**
 * The header of environment pages: the catalog's header (title, owner,
 * System, tabs) with the environment's one verdict and its reason.
 * @alpha
 */
export const environmentEntityHeader = EntityHeaderLayoutBlueprint.make({
  name: 'environment',
  params: {
    filter: isEnvironmentEntity,
    loader: () =>
      import('./components/EnvironmentEntityHeader').then(
        m => m.EnvironmentEntityHeader,
      ),
  },
});

/**
 * Scaffolder form field `EnvironmentWorkloadsPicker`: workloads picked from
 * the apps of the GitOps repository.
 * @alpha
 */
export const environmentWorkloadsPickerField = FormFieldBlueprint.make({
  name: 'environment-workloads-picker',
  params: {
    field: () =>
      import('./fields').then(m => m.environmentWorkloadsPickerFormField),
  },
});

/**
 * Scaffolder form field `GitOpsRepositoryPicker`: a local GitOps repository
 * picked from those the portal may write to.
 * @alpha
 */
export const gitOpsRepositoryPickerField = FormFieldBlueprint.make({
  name: 'gitops-repository-picker',
  params: {
    field: () =>
      import('./fields').then(m => m.gitOpsRepositoryPickerFormField),
  },
});

/** The environments frontend plugin. @alpha */
export default createFrontendPlugin({
  pluginId: 'environments',
  title: 'Environments',
  routes: { root: environmentsRouteRef },
  externalRoutes: { scaffolderTemplate: scaffolderTemplateRouteRef },
  extensions: [
    environmentsApi,
    environmentsPage,
    gitOpsCommitPage,
    decommissionPage,
    environmentOverviewContent,
    environmentDeploymentsContent,
    environmentInfrastructureContent,
    environmentLifecycleContent,
    environmentStatusCard,
    environmentWorkloadsCard,
    environmentDecommissionCard,
    environmentExpiryCard,
    environmentPromoteCard,
    environmentEntityHeader,
    environmentWorkloadsPickerField,
    gitOpsRepositoryPickerField,
  ],
});
