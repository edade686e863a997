import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import type {
  EnvironmentDeploymentsResponse,
  EnvironmentLifecycleResponse,
  EnvironmentStatusResponse,
  PromotionMatrixResponse,
} from '@epicshelter/plugin-environments-common';
import { CROSSPLANE_PLUGIN_ID } from '@epicshelter/plugin-crossplane-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import { EnvironmentDeployments } from './EnvironmentDeployments';
import { EnvironmentInfrastructure } from './EnvironmentInfrastructure';
import { EnvironmentLifecycle } from './EnvironmentLifecycle';
import { EnvironmentOverview } from './EnvironmentOverview';
import { EnvironmentStatusCard } from './EnvironmentStatusCard';
import { EnvironmentsPageContent } from './EnvironmentsPage';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://backstage.test/api';
const HEAD = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const OLD = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const UNKNOWN = '3333333ccccccccccccccccccccccccccccccccc';
const UNKNOWN_REASON = `Commit ${UNKNOWN} is not in the GitOps repository /srv/gitops: Argo CD deploys from another repository, or from history this copy does not have`;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'dev',
    namespace: 'default',
    annotations: {
      'epicshelter.io/environment': 'dev',
      'epicshelter.io/gitops-repository': 'https://github.com/acme/gitops',
      'epicshelter.io/gitops-branch': 'main',
      'epicshelter.io/gitops-path': 'environments/dev',
    },
    links: [
      {
        url: 'https://github.com/acme/gitops/tree/main/environments/dev',
        title: 'GitOps folder',
      },
    ],
  },
  spec: {
    type: 'environment',
    owner: 'group:default/checkout-team',
    environment: {
      target: 'local',
      provider: 'local',
      crossplaneApi: 'v2',
      workloads: [{ name: 'orders-api', imageTag: '1.2.0' }],
      resources: [
        {
          type: 'database',
          name: 'orders-db',
          entityRef: 'resource:default/dev-orders-db',
          crossplane: {
            apiVersion: 'platform.epicshelter.io/v1alpha1',
            kind: 'Database',
            namespace: 'dev',
            name: 'dev-orders-db',
          },
          details: { engine: 'postgres', version: '16', size: 'small' },
        },
      ],
      applications: {
        workloads: 'dev-workloads',
        infrastructure: 'dev-infrastructure',
      },
    },
  },
};

beforeAll(() => {
  // jsdom has no SVG layout; the Crossplane graph (DependencyGraph) measures nodes with getBBox.
  (window.SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 200,
    height: 60,
  });
});

function render(element: JSX.Element, extraApis: any[] = []) {
  const discoveryApi = { getBaseUrl: async (id: string) => `${BASE}/${id}` };
  const fetchApi = new MockFetchApi();
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [
          environmentsApiRef,
          new EnvironmentsClient({ discoveryApi, fetchApi }),
        ],
        ...extraApis,
      ]}
    >
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const statusResponse: EnvironmentStatusResponse = {
  status: {
    environment: 'dev',
    status: 'Progressing',
    reason:
      'dev-infrastructure on Argo CD instance local is Progressing: waiting for Database dev-orders-db.',
    findings: [
      {
        status: 'Progressing',
        source: 'application',
        reason:
          'dev-infrastructure on Argo CD instance local is Progressing: waiting for Database dev-orders-db.',
      },
      {
        status: 'OutOfSync',
        source: 'application',
        reason:
          'dev-workloads on Argo CD instance local is OutOfSync with the GitOps repository.',
      },
    ],
  },
  placement: {
    target: 'local',
    phase: 'local',
    cluster: 'the local cluster',
    infrastructureOwner:
      "the local cluster's Argo CD (instance local) and Crossplane",
    argoCdInstance: 'local',
    summary:
      'Runs on the local cluster, whose Argo CD (instance local) and Crossplane reconcile its workloads and its in-cluster substitutes for cloud resources.',
  },
  lifecycle: { environment: 'dev', state: 'ready', steps: [] },
};

describe('environment status', () => {
  it('the status card at the top of the environment page gives the one verdict, the other findings and where it runs', async () => {
    server.use(
      http.get(`${BASE}/environments/environments/dev/status`, () =>
        HttpResponse.json(statusResponse),
      ),
    );
    await render(<EnvironmentStatusCard />);
    const verdict = await screen.findByTestId('environment-verdict');
    expect(verdict).toHaveAttribute('data-status', 'Progressing');
    expect(verdict).toHaveTextContent(
      'Progressing — dev-infrastructure on Argo CD instance local is Progressing: waiting for Database dev-orders-db.',
    );
    expect(screen.getByTestId('environment-findings')).toHaveTextContent(
      'OutOfSync: dev-workloads on Argo CD instance local is OutOfSync with the GitOps repository.',
    );
    const placement = screen.getByTestId('environment-placement');
    expect(placement).toHaveTextContent(
      /^Runs Onthe local clusterInfrastructure/,
    );
    expect(placement).toHaveTextContent(
      "the local cluster's Argo CD (instance local) and Crossplane",
    );
  });

  it('a cloud environment that is bootstrapping says so', async () => {
    server.use(
      http.get(`${BASE}/environments/environments/dev/status`, () =>
        HttpResponse.json({
          ...statusResponse,
          placement: {
            target: 'cloud',
            phase: 'bootstrapping',
            cluster: 'its own aws cluster in eu-west-1',
            infrastructureOwner:
              "the bootstrap cluster's Crossplane, until the cloud cluster takes over",
            argoCdInstance: 'cloud',
            summary:
              'Bootstrapping: Argo CD instance cloud does not run dev-infrastructure yet.',
          },
        }),
      ),
    );
    await render(<EnvironmentStatusCard />);
    const placement = await screen.findByTestId('environment-placement');
    expect(placement).toHaveTextContent(
      'its own aws cluster in eu-west-1 (cloud — bootstrapping)',
    );
    expect(placement).toHaveTextContent(
      'Bootstrapping: Argo CD instance cloud does not run dev-infrastructure yet.',
    );
  });
});

describe('environment entity tabs', () => {
  it('Environment tab shows the spec, workloads, resources and links', async () => {
    server.use(
      http.get(`${BASE}/environments/environments/dev/status`, () =>
        HttpResponse.json(statusResponse),
      ),
    );
    await render(<EnvironmentOverview />);
    const overview = await screen.findByTestId('environment-overview');
    expect(
      within(overview).getByText('https://github.com/acme/gitops'),
    ).toBeInTheDocument();
    expect(
      within(overview).getByText('dev-workloads, dev-infrastructure'),
    ).toBeInTheDocument();
    expect(within(overview).getByText('1.2.0')).toBeInTheDocument();
    expect(
      within(overview).getByText('engine: postgres, version: 16, size: small'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('environment-links')).getByText(
        'GitOps folder',
      ),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/tree/main/environments/dev',
    );
  });

  it('Deployments tab compares each revision with the head and names a failing instance', async () => {
    const body: EnvironmentDeploymentsResponse = {
      environment: 'dev',
      head: { branch: 'main', sha: HEAD },
      items: [
        {
          instance: 'local',
          name: 'dev-workloads',
          layer: 'workloads',
          cluster: 'in-cluster',
          syncStatus: 'OutOfSync',
          healthStatus: 'Healthy',
          revision: OLD,
          comparison: {
            revision: OLD,
            head: HEAD,
            status: 'behind',
            behindBy: 3,
            aheadBy: 0,
          },
        },
        {
          instance: 'local',
          name: 'dev-infrastructure',
          layer: 'infrastructure',
          cluster: 'in-cluster',
          syncStatus: 'Synced',
          healthStatus: 'Healthy',
          revision: HEAD,
          comparison: {
            revision: HEAD,
            head: HEAD,
            status: 'in-sync',
            behindBy: 0,
            aheadBy: 0,
          },
        },
        {
          instance: 'local',
          name: 'orders-api-dev',
          layer: 'other',
          syncStatus: 'Synced',
          healthStatus: 'Healthy',
          revision: UNKNOWN,
          comparison: {
            revision: UNKNOWN,
            head: HEAD,
            status: 'unknown',
            message: UNKNOWN_REASON,
          },
        },
      ],
      instances: [
        { name: 'local', status: 'ok', sandbox: true },
        { name: 'aws', status: 'error', error: 'connect ECONNREFUSED' },
      ],
      sandbox: true,
    };
    server.use(
      http.get(`${BASE}/environments/environments/dev/deployments`, () =>
        HttpResponse.json(body),
      ),
    );
    await render(<EnvironmentDeployments />);
    expect(
      await screen.findByTestId('revision-local-dev-workloads'),
    ).toHaveTextContent('behind by 3 commits');
    expect(
      screen.getByTestId('revision-local-dev-infrastructure'),
    ).toHaveTextContent('in sync');
    expect(screen.getByTestId('gitops-head')).toHaveTextContent(
      'Head of main: 1111111',
    );
    // A revision that cannot be compared: a short status, the reason on hover.
    const unknown = screen.getByTestId('revision-local-orders-api-dev');
    expect(unknown).toHaveTextContent(/^unknown$/);
    expect(screen.queryByText(UNKNOWN_REASON)).not.toBeInTheDocument();
    fireEvent.mouseOver(within(unknown).getByText('unknown'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      UNKNOWN_REASON,
    );
    expect(screen.getByText(/Argo CD instance aws failed/)).toBeInTheDocument();
    expect(screen.getByText(/Sandbox data/)).toBeInTheDocument();
  });

  it('Deployments tab puts the cluster under the instance and the head in the card header', async () => {
    const body: EnvironmentDeploymentsResponse = {
      environment: 'dev',
      head: {
        branch: 'main',
        sha: HEAD,
        url: `https://github.com/acme/gitops/commit/${HEAD}`,
      },
      items: [
        {
          instance: 'cloud',
          name: 'dev-workloads',
          layer: 'workloads',
          cluster: 'https://kubernetes.default.svc',
          syncStatus: 'Synced',
          healthStatus: 'Progressing',
          revision: HEAD,
          lastSyncedAt: '2026-11-26T07:31:12Z',
          comparison: {
            revision: HEAD,
            head: HEAD,
            status: 'in-sync',
            behindBy: 0,
            aheadBy: 0,
          },
        },
        {
          instance: 'cloud',
          name: 'dev-infrastructure',
          layer: 'infrastructure',
          syncStatus: 'OutOfSync',
          healthStatus: 'Degraded',
          revision: OLD,
        },
      ],
      instances: [{ name: 'cloud', status: 'ok' }],
      sandbox: false,
    };
    server.use(
      http.get(`${BASE}/environments/environments/dev/deployments`, () =>
        HttpResponse.json(body),
      ),
    );
    await render(<EnvironmentDeployments />);
    const where = await screen.findByTestId('instance-cloud-dev-workloads');
    // The cluster's host under the instance, the full URL on hover.
    expect(where).toHaveTextContent(/^cloudkubernetes\.default\.svc$/);
    expect(
      screen.queryByText('https://kubernetes.default.svc'),
    ).not.toBeInTheDocument();
    fireEvent.mouseOver(within(where).getByText('kubernetes.default.svc'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'https://kubernetes.default.svc',
    );
    expect(
      screen.getByTestId('instance-cloud-dev-infrastructure'),
    ).toHaveTextContent('cluster unknown');
    // One column per question; no separate cluster or layer column.
    const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toEqual([
      'Application',
      'Instance / cluster',
      'Sync / last sync',
      'Health',
      'Revision',
      'Compared with the GitOps branch',
    ]);
    // The last sync under the sync status, in UTC whoever looks.
    expect(screen.getByTestId('sync-cloud-dev-workloads')).toHaveTextContent(
      /^Synced2026-11-26 07:31 UTC$/,
    );
    expect(
      screen.getByTestId('sync-cloud-dev-infrastructure'),
    ).toHaveTextContent(/^OutOfSyncnever synced$/);
    expect(
      screen.getByTestId('revision-cloud-dev-infrastructure'),
    ).toHaveTextContent('not compared');
    // The GitOps head is the subheader of the Applications card, linked.
    const head = screen.getByTestId('gitops-head');
    expect(head).toHaveTextContent('Head of main: 1111111');
    expect(
      within(head).getByRole('link', { name: /^1111111/ }),
    ).toHaveAttribute('href', `https://github.com/acme/gitops/commit/${HEAD}`);
    expect(screen.getByText('Applications')).toBeInTheDocument();
    expect(screen.queryByText(/Sandbox data/)).not.toBeInTheDocument();
  });

  it('Lifecycle tab shows each step and the first blocking reason', async () => {
    const body: EnvironmentLifecycleResponse = {
      environment: 'dev',
      state: 'in-progress',
      blockedAt: 'synced',
      reason:
        'dev-workloads on local is at revision 2222222, which does not contain commit 1111111 yet (OutOfSync)',
      steps: [
        {
          id: 'requested',
          title: 'Template run',
          state: 'done',
          message: 'Task t1 completed',
          at: '2026-01-01T10:00:00Z',
          url: '/create/tasks/t1',
        },
        {
          id: 'proposed',
          title: 'Change proposed',
          state: 'skipped',
          message: 'Committed directly to main',
        },
        {
          id: 'merged',
          title: 'On main',
          state: 'done',
          message: 'Commit 1111111 on main',
        },
        {
          id: 'synced',
          title: 'Argo CD synced',
          state: 'pending',
          message:
            'dev-workloads on local is at revision 2222222, which does not contain commit 1111111 yet (OutOfSync)',
        },
        {
          id: 'ready',
          title: 'Resources ready',
          state: 'pending',
          message: 'Waiting for Argo CD to apply the infrastructure',
        },
      ],
    };
    server.use(
      http.get(`${BASE}/environments/environments/dev/lifecycle`, () =>
        HttpResponse.json(body),
      ),
    );
    await render(<EnvironmentLifecycle />);
    expect(await screen.findByTestId('lifecycle-reason')).toHaveTextContent(
      'blocked at “Argo CD synced”: dev-workloads on local is at revision 2222222',
    );
    expect(screen.getByTestId('lifecycle-step-requested')).toHaveAttribute(
      'data-state',
      'done',
    );
    expect(screen.getByTestId('lifecycle-step-synced')).toHaveAttribute(
      'data-state',
      'pending',
    );
    expect(screen.getByTestId('lifecycle-state')).toHaveTextContent(
      'In progress',
    );
  });

  it('Lifecycle tab shows the backend error', async () => {
    server.use(
      http.get(`${BASE}/environments/environments/dev/lifecycle`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No environment resource:default/dev in the catalog',
            },
          },
          { status: 404 },
        ),
      ),
    );
    await render(<EnvironmentLifecycle />);
    expect(
      (
        await screen.findAllByText(
          /No environment resource:default\/dev in the catalog/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });

  it('Infrastructure tab renders the Crossplane graph and desired vs live', async () => {
    const node = (
      kind: string,
      name: string,
      role: 'composite' | 'managed',
      ready: 'True' | 'False',
      apiVersion: string,
    ) => ({
      id: `local:${apiVersion.split('/')[0]}/${kind}:dev:${name}`,
      cluster: 'local',
      apiVersion,
      kind,
      name,
      namespace: 'dev',
      role,
      crossplaneVersion: 'v2',
      conditions: [
        {
          type: 'Ready',
          status: ready,
          reason: ready === 'True' ? 'Available' : 'Creating',
        },
        { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
      ],
      ready,
      synced: 'True',
      labels: {},
    });
    const xr = node(
      'Database',
      'dev-orders-db',
      'composite',
      'False',
      'platform.epicshelter.io/v1alpha1',
    );
    const mr = node(
      'Instance',
      'dev-orders-db-hk2x9',
      'managed',
      'False',
      'rds.aws.m.upbound.io/v1beta1',
    );
    server.use(
      http.get(
        `${BASE}/${CROSSPLANE_PLUGIN_ID}/entity/Resource/default/dev/resources`,
        () =>
          HttpResponse.json({
            entityRef: 'resource:default/dev',
            environment: 'dev',
            selector: 'epicshelter.io/environment=dev',
            sandbox: true,
            liveAvailable: true,
            clusters: [
              {
                cluster: 'local',
                nodes: [xr, mr],
                edges: [{ from: xr.id, to: mr.id }],
                roots: [xr.id],
                requestCount: 3,
              },
            ],
            desired: { resources: [] },
            comparison: [
              {
                kind: 'Database',
                name: 'dev-orders-db',
                namespace: 'dev',
                resourceName: 'orders-db',
                status: 'failing',
                message: 'Ready=False (Creating)',
                cluster: 'local',
              },
            ],
            yamlAllowed: false,
          }),
      ),
    );
    await render(<EnvironmentInfrastructure />);
    // the Crossplane plugin's graph, one node per object with Ready/Synced
    expect(
      await screen.findByTestId('crossplane-node-Database-dev-orders-db'),
    ).toHaveAttribute(
      'aria-label',
      // the crossplane graph puts the node's state (e.g. "Progressing
      // (Creating)") between its name and its conditions
      expect.stringMatching(
        /^Database dev-orders-db .*Ready False Synced True$/,
      ),
    );
    expect(
      screen.getByTestId('crossplane-node-Instance-dev-orders-db-hk2x9'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('crossplane-sandbox-banner')).toBeInTheDocument();
    // desired vs live from the Crossplane plugin
    expect(screen.getByText('Not ready')).toBeInTheDocument();
    expect(screen.getByText('Ready=False (Creating)')).toBeInTheDocument();
    // what the environment spec declares
    expect(
      within(screen.getByTestId('environment-declared-resources')).getByText(
        'orders-db (database) → Database dev/dev-orders-db',
      ),
    ).toBeInTheDocument();
  });

  it('Infrastructure tab still lists what Git declares when the crossplane backend fails', async () => {
    server.use(
      http.get(
        `${BASE}/${CROSSPLANE_PLUGIN_ID}/entity/Resource/default/dev/resources`,
        () =>
          HttpResponse.json(
            {
              error: {
                name: 'ServiceUnavailableError',
                message: 'crossplane backend unavailable',
              },
            },
            { status: 503 },
          ),
      ),
    );
    await render(<EnvironmentInfrastructure />);
    expect(
      (await screen.findAllByText(/crossplane backend unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('orders-db (database) → Database dev/dev-orders-db'),
    ).toBeInTheDocument();
  });
});

describe('EnvironmentsPage', () => {
  it('lists environments with badges and the promotion matrix', async () => {
    const matrix: PromotionMatrixResponse = {
      matrix: {
        columns: [
          {
            name: 'dev',
            target: 'local',
            provider: 'local',
            deployment: {
              instance: 'local',
              syncStatus: 'Synced',
              healthStatus: 'Healthy',
              revision: HEAD,
            },
            status: statusResponse.status,
          },
          {
            name: 'prod',
            target: 'cloud',
            provider: 'aws',
            status: {
              environment: 'prod',
              status: 'Unknown',
              reason:
                'Argo CD applications could not be read: Argo CD instance aws unreachable.',
              findings: [],
            },
          },
        ],
        rows: [
          {
            workload: 'orders-api',
            cells: [
              {
                imageTag: '1.2.0',
                revision: HEAD,
                syncStatus: 'Synced',
                healthStatus: 'Healthy',
                instance: 'local',
                differsFromPrevious: false,
              },
              { imageTag: '1.1.0', differsFromPrevious: true },
            ],
          },
        ],
      },
      errors: [
        { environment: 'prod', message: 'Argo CD instance aws unreachable' },
      ],
    };
    server.use(
      http.get(`${BASE}/environments/matrix`, () => HttpResponse.json(matrix)),
    );
    const prod: Entity = {
      ...entity,
      metadata: { name: 'prod', namespace: 'default' },
      spec: {
        ...entity.spec,
        environment: {
          ...(entity.spec!.environment as object),
          target: 'cloud',
          provider: 'aws',
          region: 'us-east-1',
        },
      },
    };
    const catalogApi = {
      getEntities: jest.fn(async () => ({ items: [prod, entity] })),
    };
    await render(
      <EnvironmentsPageContent createEnvironmentLink="/create/templates/default/create-environment" />,
      [[catalogApiRef, catalogApi]],
    );
    expect(await screen.findByText('All environments (2)')).toBeInTheDocument();
    expect(catalogApi.getEntities).toHaveBeenCalledWith({
      filter: { kind: 'Resource', 'spec.type': 'environment' },
    });
    // the same verdict as the environment's page: all its applications,
    // resources and lifecycle, not its workloads application alone
    const dev = await screen.findByTestId('environment-status-dev');
    expect(dev).toHaveTextContent('Progressing');
    expect(dev).toHaveAttribute(
      'aria-label',
      `Progressing: ${statusResponse.status.reason}`,
    );
    expect(screen.getByTestId('environment-status-prod')).toHaveTextContent(
      'Unknown',
    );
    // sorted by name whatever order the catalog answers in
    const table = screen.getByTestId('environments-table');
    const names = within(table)
      .getAllByRole('link')
      .map(a => a.textContent)
      .filter(t => t === 'dev' || t === 'prod');
    expect(names).toEqual(['dev', 'prod']);
    expect(
      screen.getByRole('button', { name: 'Create environment' }),
    ).toHaveAttribute('href', '/create/templates/default/create-environment');
    expect(screen.getByTestId('matrix-column-dev')).toHaveTextContent(
      'dev (local)Progressing',
    );
    expect(screen.getByText('aws · us-east-1')).toBeInTheDocument();
    expect(screen.getByTestId('matrix-orders-api-dev')).toHaveTextContent(
      '1.2.0',
    );
    expect(screen.getByTestId('matrix-orders-api-prod')).toHaveTextContent(
      '1.1.0',
    );
    expect(
      screen.getByText(/prod: Argo CD instance aws unreachable/),
    ).toBeInTheDocument();
  });
});
