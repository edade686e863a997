import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import { EnvironmentsPageContent } from './EnvironmentsPage';

jest.setTimeout(30_000);

const BASE = 'http://backstage.test/api';

const environment = (name: string, expiresAt?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'environment',
    owner: 'group:default/team-a',
    environment: {
      target: 'local',
      provider: 'local',
      ...(expiresAt ? { expiry: { ttl: '4h', expiresAt } } : {}),
    },
  },
});

describe('EnvironmentsPage expiry column', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it("shows each environment's expiry", async () => {
    server.use(
      http.get(`${BASE}/environments/matrix`, () =>
        HttpResponse.json({ matrix: { columns: [], rows: [] }, errors: [] }),
      ),
    );
    // three and a half hours from now
    const expiresAt = new Date(
      Date.now() + 210 * 60_000 + 20_000,
    ).toISOString();
    const discoveryApi = { getBaseUrl: async (id: string) => `${BASE}/${id}` };
    const fetchApi = new MockFetchApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, discoveryApi],
          [fetchApiRef, fetchApi],
          [
            environmentsApiRef,
            new EnvironmentsClient({ discoveryApi, fetchApi }),
          ],
          [
            catalogApiRef,
            {
              getEntities: async () => ({
                items: [environment('preview', expiresAt), environment('prod')],
              }),
            },
          ],
        ]}
      >
        <EnvironmentsPageContent />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByTestId('environment-expiry-preview'),
    ).toHaveTextContent('expires in 3 hours 30 minutes');
    expect(screen.getByText('Expires')).toBeInTheDocument();
    expect(screen.getByTestId('environment-expiry-prod')).toHaveTextContent(
      'never',
    );
  });
});
