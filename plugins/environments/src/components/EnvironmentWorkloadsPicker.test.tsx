import { fireEvent, screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import {
  EnvironmentWorkloadsPicker,
  validateEnvironmentWorkloads,
} from './EnvironmentWorkloadsPicker';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://backstage.test/api';
const discoveryApi = { getBaseUrl: async (id: string) => `${BASE}/${id}` };
const client = new EnvironmentsClient({
  discoveryApi,
  fetchApi: new MockFetchApi(),
});

function props(
  over: Partial<FieldExtensionComponentProps<string[]>>,
): FieldExtensionComponentProps<string[]> {
  return {
    formData: [],
    onChange: jest.fn(),
    schema: {
      title: 'Workloads',
      description: 'Apps of the GitOps repository to deploy',
    },
    required: false,
    rawErrors: [],
    uiSchema: {},
    idSchema: { $id: 'root_workloads' },
    ...over,
  } as unknown as FieldExtensionComponentProps<string[]>;
}

function render(element: JSX.Element) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, new MockFetchApi()],
        [environmentsApiRef, client],
      ]}
    >
      {element}
    </TestApiProvider>,
  );
}

describe('EnvironmentWorkloadsPicker', () => {
  it('offers the apps of the GitOps repository and returns the picked ones', async () => {
    server.use(
      http.get(`${BASE}/environments/apps`, () =>
        HttpResponse.json({
          items: [{ name: 'orders-api' }, { name: 'storefront' }],
        }),
      ),
    );
    const onChange = jest.fn();
    await render(
      <EnvironmentWorkloadsPicker
        {...props({ onChange, formData: ['orders-api'] })}
      />,
    );
    expect(screen.getByText('orders-api')).toBeInTheDocument();
    const input = screen.getByLabelText('Workloads');
    fireEvent.mouseDown(input);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    const option = await screen.findByRole('option', { name: 'storefront' });
    // an app already picked is not offered twice
    expect(screen.queryByRole('option', { name: 'orders-api' })).toBeNull();
    fireEvent.click(option);
    expect(onChange).toHaveBeenLastCalledWith(['orders-api', 'storefront']);
    expect(screen.getByTestId('workloads-picker-help')).toHaveTextContent(
      'Apps of the GitOps repository to deploy',
    );
  });

  it('says in a sentence when the repository cannot be read or has no app', async () => {
    server.use(
      http.get(`${BASE}/environments/apps`, () =>
        HttpResponse.json(
          {
            // the body the backend's error middleware sends
            error: {
              name: 'NotFoundError',
              message: 'No gitops.repository configured',
            },
            request: { method: 'GET', url: '/api/environments/apps' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await render(<EnvironmentWorkloadsPicker {...props({})} />);
    expect(
      await screen.findByText(
        'The apps of the GitOps repository could not be read: No gitops.repository configured',
      ),
    ).toBeInTheDocument();
  });
});

describe('validateEnvironmentWorkloads', () => {
  it('refuses a workload that is not an app of the repository, with a sentence', async () => {
    server.use(
      http.get(`${BASE}/environments/apps`, () =>
        HttpResponse.json({ items: [{ name: 'storefront' }] }),
      ),
    );
    const errors: string[] = [];
    const context = {
      apiHolder: { get: () => client as any },
    };
    await validateEnvironmentWorkloads(
      ['storefront', 'billing'],
      { addError: m => errors.push(m) },
      context,
    );
    expect(errors).toEqual([
      'billing is not an app of the GitOps repository (apps/NAME/base); pick from the list.',
    ]);
    errors.length = 0;
    await validateEnvironmentWorkloads(
      ['storefront'],
      { addError: m => errors.push(m) },
      context,
    );
    expect(errors).toEqual([]);
  });
});
