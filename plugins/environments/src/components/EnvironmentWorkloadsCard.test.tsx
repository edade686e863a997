import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { EnvironmentWorkloadsResponse } from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import {
  EnvironmentWorkloadsCard,
  workloadRows,
} from './EnvironmentWorkloadsCard';

jest.setTimeout(30_000);

const staging: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'staging',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'staging' },
  },
  spec: {
    type: 'environment',
    owner: 'group:default/platform-team',
    environment: {
      target: 'local',
      provider: 'local',
      crossplaneApi: 'v2',
      workloads: [
        { name: 'orders-api', imageTag: '1.4.2', replicas: 3 },
        { name: 'storefront' },
      ],
      resources: [],
      applications: {
        workloads: 'staging-workloads',
        infrastructure: 'staging-infrastructure',
      },
    },
  },
};

const URL =
  'http://backstage.test/api/environments/environments/staging/workloads';

const built: EnvironmentWorkloadsResponse = {
  environment: 'staging',
  commit: '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  overlay: 'environments/staging/workloads/kustomization.yaml',
  items: [
    {
      name: 'orders-api',
      kind: 'Deployment',
      replicas: 3,
      images: ['ghcr.io/epicshelter/orders-api:1.4.2'],
      base: 'apps/orders-api/base',
      patches: ['environments/staging/workloads/patches/orders-api.yaml'],
    },
    {
      name: 'storefront',
      kind: 'Deployment',
      replicas: 1,
      images: ['ghcr.io/epicshelter/storefront:2.0.0'],
      base: 'apps/storefront/base',
      patches: ['environments/staging/workloads/patches/storefront.yaml'],
    },
  ],
  problems: [],
};

describe('EnvironmentWorkloadsCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const render = (entity: Entity) =>
    renderInTestApp(
      <EntityProvider entity={entity}>
        <EnvironmentWorkloadsCard />
      </EntityProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [
            environmentsApiRef,
            new EnvironmentsClient({
              discoveryApi: mockApis.discovery({
                baseUrl: 'http://backstage.test',
              }),
              fetchApi: new MockFetchApi(),
            }),
          ],
        ],
      },
    );

  it('gives each declared workload the paths the generator writes', () => {
    expect(
      workloadRows('staging', [{ name: 'orders-api', replicas: 3 }]),
    ).toEqual([
      {
        name: 'orders-api',
        replicas: 3,
        base: 'apps/orders-api/base',
        patches: ['environments/staging/workloads/patches/orders-api.yaml'],
      },
    ]);
  });

  it('shows image, replicas, app base and overlay patches as the overlay builds them', async () => {
    server.use(http.get(URL, () => HttpResponse.json(built)));
    await render(staging);
    const card = await screen.findByTestId('environment-workloads');
    expect(
      await within(card).findByText(
        'What environments/staging/workloads/kustomization.yaml deploys at 1111111',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByText('orders-api').closest('tr')!,
    ).toHaveTextContent(
      'orders-apighcr.io/epicshelter/orders-api:1.4.23apps/orders-api/baseenvironments/staging/workloads/patches/orders-api.yaml',
    );
    // the overlay's value, not "as in the app base"
    expect(
      within(card).getByText('storefront').closest('tr')!,
    ).toHaveTextContent(
      'storefrontghcr.io/epicshelter/storefront:2.0.01apps/storefront/base',
    );
  });

  it('names what the overlay cannot build', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json({
          ...built,
          items: [],
          problems: ['apps/storefront/base does not exist.'],
        }),
      ),
    );
    await render(staging);
    expect(
      await screen.findByText('apps/storefront/base does not exist.'),
    ).toBeInTheDocument();
  });

  it('falls back to what the catalog declares, with the reason, when the overlay cannot be read', async () => {
    server.use(
      http.get(URL, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message:
                'No gitops.repository configured: the workloads overlay cannot be read',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await render(staging);
    expect(
      await screen.findByText(/The workloads overlay could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('environment-workloads')).toHaveTextContent(
      'No gitops.repository configured: the workloads overlay cannot be read Below: what the catalog declares.',
    );
    const orders = screen.getByText('orders-api').closest('tr')!;
    expect(orders).toHaveTextContent(
      'orders-api1.4.23apps/orders-api/baseenvironments/staging/workloads/patches/orders-api.yaml',
    );
  });
});
