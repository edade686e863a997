import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { PromotionMatrixResponse } from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import { scaffolderTemplateRouteRef } from '../routes';
import { EnvironmentsPage } from './EnvironmentsPage';

jest.setTimeout(30_000);

const emptyMatrix: PromotionMatrixResponse = {
  matrix: { columns: [], rows: [] },
  errors: [],
};

describe('EnvironmentsPage (new frontend system)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const apis = [
    [
      environmentsApiRef,
      new EnvironmentsClient({
        discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
        fetchApi: new MockFetchApi(),
      }),
    ],
    [catalogApiRef, { getEntities: async () => ({ items: [] }) }],
  ] as const;

  beforeEach(() => {
    server.use(
      http.get('http://backstage.test/api/environments/matrix', () =>
        HttpResponse.json(emptyMatrix),
      ),
    );
  });

  it('opens the create-environment template where the app binds the scaffolder template route', async () => {
    await renderInTestApp(<EnvironmentsPage />, {
      apis,
      mountedRoutes: {
        '/self-service/templates/:namespace/:templateName':
          scaffolderTemplateRouteRef,
      },
    });
    expect(await screen.findByText('All environments (0)')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create environment' }),
    ).toHaveAttribute(
      'href',
      '/self-service/templates/default/create-environment',
    );
  });

  it('shows no Create button when the route is not bound (no scaffolder in the app)', async () => {
    await renderInTestApp(<EnvironmentsPage />, { apis });
    expect(await screen.findByText('All environments (0)')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create environment' }),
    ).not.toBeInTheDocument();
  });
});
