import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
  starredEntitiesApiRef,
  MockStarredEntitiesApi,
} from '@backstage/plugin-catalog-react';
import { EntityHeaderLayoutBlueprint } from '@backstage/plugin-catalog-react/alpha';
import type { EnvironmentStatusResponse } from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import { environmentEntityHeader } from '../alpha';

jest.setTimeout(30_000);

const BASE = 'http://backstage.test/api/environments';

const environment: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'staging', namespace: 'default' },
  spec: { type: 'environment', owner: 'group:default/platform-team' },
  relations: [
    { type: 'ownedBy', targetRef: 'group:default/platform-team' },
    { type: 'partOf', targetRef: 'system:default/environments' },
  ],
};

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/checkout-team' },
};

const failed: EnvironmentStatusResponse = {
  status: {
    environment: 'staging',
    status: 'Failed',
    reason:
      'The template run that created staging failed: the name is already taken.',
    findings: [
      {
        status: 'Failed',
        source: 'lifecycle',
        reason:
          'The template run that created staging failed: the name is already taken.',
      },
    ],
  },
  lifecycle: { environment: 'staging', state: 'failed', steps: [] },
};

describe('environment entity header', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const tester = () => createExtensionTester(environmentEntityHeader);

  it('applies to environments only', () => {
    const filter = tester().get(
      EntityHeaderLayoutBlueprint.dataRefs.filterFunction,
    );
    expect(filter?.(environment)).toBe(true);
    expect(filter?.(component)).toBe(false);
  });

  async function renderHeader() {
    const Header = tester().get(EntityHeaderLayoutBlueprint.dataRefs.component);
    return renderInTestApp(
      <EntityProvider entity={environment}>
        <Header
          tabs={[
            { id: 'overview', label: 'Overview', href: '/overview' },
            { id: 'lifecycle', label: 'Lifecycle', href: '/lifecycle' },
          ]}
          activeTabId="overview"
        />
      </EntityProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        initialRouteEntries: ['/catalog/default/resource/staging'],
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
          [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        ],
      },
    );
  }

  it('shows the environment verdict with its reason, owner, System and tabs', async () => {
    server.use(
      http.get(`${BASE}/environments/staging/status`, () =>
        HttpResponse.json(failed),
      ),
    );
    await renderHeader();
    const verdict = await screen.findByTestId('environment-header-verdict');
    expect(await screen.findByText('Failed')).toBeInTheDocument();
    expect(verdict).toHaveAttribute('data-status', 'Failed');
    expect(verdict).toHaveTextContent(
      'The template run that created staging failed: the name is already taken.',
    );
    expect(screen.getByText('Status')).toBeInTheDocument();
    expect(screen.getByText('platform-team')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'environments' })).toHaveAttribute(
      'href',
      '/catalog/default/system/environments',
    );
    expect(screen.getByText('Lifecycle')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Add to favorites' }),
    ).toBeInTheDocument();
  });

  it('says the verdict is unknown, with the reason, when the backend cannot compute it', async () => {
    server.use(
      http.get(`${BASE}/environments/staging/status`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'No environment' } },
          { status: 404 },
        ),
      ),
    );
    await renderHeader();
    expect(await screen.findByText('Unknown')).toBeInTheDocument();
    expect(screen.getByTestId('environment-header-verdict')).toHaveAttribute(
      'data-status',
      'Unknown',
    );
  });
});
