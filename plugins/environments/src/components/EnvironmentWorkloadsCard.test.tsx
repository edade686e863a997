import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
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

describe('EnvironmentWorkloadsCard', () => {
  it('gives each workload its paths in the GitOps repository', () => {
    expect(
      workloadRows('staging', [{ name: 'orders-api', replicas: 3 }]),
    ).toEqual([
      {
        name: 'orders-api',
        replicas: 3,
        base: 'apps/orders-api/base',
        patch: 'environments/staging/workloads/patches/orders-api.yaml',
      },
    ]);
  });

  it('shows image tag, replicas, app base and overlay patch of each workload', async () => {
    await renderInTestApp(
      <EntityProvider entity={staging}>
        <EnvironmentWorkloadsCard />
      </EntityProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const card = await screen.findByTestId('environment-workloads');
    expect(
      within(card).getByText(
        'What the overlay environments/staging/workloads/kustomization.yaml deploys',
      ),
    ).toBeInTheDocument();
    const orders = within(card).getByText('orders-api').closest('tr')!;
    expect(orders).toHaveTextContent(
      'orders-api1.4.23apps/orders-api/baseenvironments/staging/workloads/patches/orders-api.yaml',
    );
    const storefront = within(card).getByText('storefront').closest('tr')!;
    expect(storefront).toHaveTextContent(
      "storefrontas in the app basethe target's defaultapps/storefront/base",
    );
  });

  it('says when the environment was not read from the GitOps repository', async () => {
    await renderInTestApp(
      <EntityProvider
        entity={{ ...staging, spec: { type: 'environment', owner: 'x' } }}
      >
        <EnvironmentWorkloadsCard />
      </EntityProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(/was not read from the GitOps repository/),
    ).toBeInTheDocument();
  });
});
