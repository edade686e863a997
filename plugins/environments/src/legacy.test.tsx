import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import {
  EnvironmentStatusResponse,
  computeDecommissionLifecycle,
  computeEnvironmentStatus,
  computeLifecycle,
} from '@epicshelter/plugin-environments-common';
import {
  EntityEnvironmentDecommissionCard,
  EntityEnvironmentExpiryCard,
  EntityEnvironmentPromoteCard,
  EntityEnvironmentStatusCard,
  EntityEnvironmentWorkloadsCard,
  EnvironmentDecommissionPage,
  legacyScaffolderTemplateRouteRef,
} from './index';
import {
  TEST_BACKEND_BASE as BASE,
  WithEnvironmentsApi,
} from './__testUtils__/environmentsApi';

jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'preview-42', namespace: 'default' },
  spec: {
    type: 'environment',
    owner: 'group:default/team-a',
    environment: {
      target: 'local',
      provider: 'local',
      workloads: [{ name: 'web', imageTag: '1.2.0' }],
      applications: {
        workloads: 'preview-42-workloads',
        infrastructure: 'preview-42-infrastructure',
      },
      expiry: { ttl: '1d', expiresAt: '2026-12-07T10:00:00.000Z' },
    },
  },
};

/** Renders `element` as a legacy app does: core-plugin-api APIs, legacy route refs. */
async function renderLegacy(
  element: JSX.Element,
  options: { routeEntries?: string[] } = {},
) {
  await renderInTestApp(
    <WithEnvironmentsApi entity={entity}>{element}</WithEnvironmentsApi>,
    {
      mountedRoutes: {
        '/create/templates/:namespace/:templateName':
          legacyScaffolderTemplateRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      ...options,
    },
  );
}

/** No decommission proposed: the environment is still in the repository and the catalog. */
const notDecommissioned = computeDecommissionLifecycle({
  environment: 'preview-42',
  changeBranch: 'epicshelter/preview-42',
  defaultBranch: 'main',
  inRepository: true,
  applications: [],
  resources: [],
  orphaned: [],
  entityPresent: true,
  now: '2026-12-07T07:00:00.000Z',
});

describe('legacy frontend exports of the environment cards', () => {
  beforeEach(() => {
    server.use(
      http.get(
        `${BASE}/environments/environments/preview-42/decommission`,
        () => HttpResponse.json(notDecommissioned),
      ),
    );
  });

  it('EntityEnvironmentPromoteCard links to the promote template through the legacy route', async () => {
    await renderLegacy(<EntityEnvironmentPromoteCard />);
    const button = await screen.findByTestId('promote-into-environment');
    expect(button.getAttribute('href')).toMatch(
      /^\/create\/templates\/default\/promote-workload\?formData=/,
    );
  });

  it('EntityEnvironmentDecommissionCard links to the decommission template', async () => {
    await renderLegacy(<EntityEnvironmentDecommissionCard />);
    const button = await screen.findByTestId('decommission-environment');
    expect(button.getAttribute('href')).toMatch(
      /^\/create\/templates\/default\/decommission-environment\?formData=/,
    );
  });

  it('EntityEnvironmentExpiryCard says when it expires and links to Extend', async () => {
    await renderLegacy(
      <EntityEnvironmentExpiryCard now={new Date('2026-12-07T07:00:00Z')} />,
    );
    expect(
      await screen.findByTestId('environment-expiry-preview-42'),
    ).toHaveTextContent('expires in 3 hours');
    expect(
      screen.getByTestId('extend-environment').getAttribute('href'),
    ).toMatch(/^\/create\/templates\/default\/extend-environment\?formData=/);
  });

  it('EntityEnvironmentWorkloadsCard shows the workloads', async () => {
    server.use(
      http.get(`${BASE}/environments/environments/preview-42/workloads`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'not read here' } },
          { status: 404 },
        ),
      ),
    );
    await renderLegacy(<EntityEnvironmentWorkloadsCard />);
    // without the built overlay, the card lists the declared workloads
    expect(await screen.findByText('1.2.0')).toBeInTheDocument();
  });

  it('EntityEnvironmentStatusCard shows the verdict', async () => {
    const lifecycle = computeLifecycle({
      environment: 'preview-42',
      changeBranch: 'epicshelter/preview-42',
      defaultBranch: 'main',
      expectedApplications: [],
      applications: [],
      resources: [],
    });
    const status: EnvironmentStatusResponse = {
      status: computeEnvironmentStatus({
        environment: 'preview-42',
        expectedApplications: [],
        applications: [],
        lifecycle,
      }),
      lifecycle,
    };
    server.use(
      http.get(`${BASE}/environments/environments/preview-42/status`, () =>
        HttpResponse.json(status),
      ),
    );
    await renderLegacy(<EntityEnvironmentStatusCard />);
    expect(
      await screen.findAllByText(status.status.reason, { exact: false }),
    ).not.toHaveLength(0);
  });

  it('EnvironmentDecommissionPage follows the decommission at /decommissions/<name>', async () => {
    // as a legacy App.tsx mounts it
    await renderLegacy(
      <Routes>
        <Route
          path="/decommissions/*"
          element={<EnvironmentDecommissionPage />}
        />
      </Routes>,
      { routeEntries: ['/decommissions/preview-42'] },
    );
    expect(
      await screen.findByText(
        'No decommission of preview-42 has been proposed yet.',
      ),
    ).toBeInTheDocument();
  });
});
