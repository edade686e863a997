import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  DecommissionLifecycleInput,
  computeDecommissionLifecycle,
} from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import { scaffolderTemplateRouteRef } from '../routes';
import { DecommissionEnvironmentCard } from './DecommissionEnvironmentCard';

jest.setTimeout(30_000);

const staging: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'staging',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'staging' },
  },
  spec: { type: 'environment', owner: 'group:default/platform-team' },
};

const reading: DecommissionLifecycleInput = {
  environment: 'staging',
  changeBranch: 'epicshelter/staging',
  defaultBranch: 'main',
  inRepository: true,
  applications: [{ kind: 'Application', name: 'staging-workloads' }],
  resources: [],
  orphaned: [],
  entityPresent: true,
  now: '2026-12-06T10:00:00Z',
};

describe('DecommissionEnvironmentCard', () => {
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
  ] as const;
  const answer = (input: DecommissionLifecycleInput) =>
    server.use(
      http.get(
        'http://backstage.test/api/environments/environments/staging/decommission',
        () => HttpResponse.json(computeDecommissionLifecycle(input)),
      ),
    );
  beforeEach(() => answer(reading));

  it('opens the decommission template with the environment prefilled', async () => {
    await renderInTestApp(
      <EntityProvider entity={staging}>
        <DecommissionEnvironmentCard />
      </EntityProvider>,
      {
        apis,
        mountedRoutes: {
          '/self-service/templates/:namespace/:templateName':
            scaffolderTemplateRouteRef,
        },
      },
    );
    const button = await screen.findByRole('button', {
      name: 'Decommission environment',
    });
    const href = button.getAttribute('href')!;
    expect(href.split('?')[0]).toBe(
      '/self-service/templates/default/decommission-environment',
    );
    expect(
      JSON.parse(new URLSearchParams(href.split('?')[1]).get('formData')!),
    ).toEqual({ environment: 'resource:default/staging' });
  });

  it('shows nothing when the app binds no scaffolder template route', async () => {
    await renderInTestApp(
      <EntityProvider entity={staging}>
        <DecommissionEnvironmentCard />
      </EntityProvider>,
      { apis },
    );
    expect(
      screen.queryByRole('button', { name: 'Decommission environment' }),
    ).not.toBeInTheDocument();
  });

  it('follows a decommission under way instead of offering one', async () => {
    answer({
      ...reading,
      change: {
        kind: 'pull-request',
        number: 12,
        url: 'https://github.com/o/r/pull/12',
        state: 'merged',
        createdAt: '2026-12-06T09:00:00Z',
      },
      inRepository: false,
    });
    await renderInTestApp(
      <EntityProvider entity={staging}>
        <DecommissionEnvironmentCard />
      </EntityProvider>,
      { apis },
    );
    expect(await screen.findByTestId('decommission-state')).toHaveTextContent(
      'Decommissioning — Waiting: Application staging-workloads still exists',
    );
    expect(screen.getByTestId('decommission-step-merged')).toHaveAttribute(
      'data-state',
      'done',
    );
    expect(screen.getByTestId('decommission-step-pruned')).toHaveAttribute(
      'data-state',
      'pending',
    );
    expect(
      screen.queryByRole('button', { name: 'Decommission environment' }),
    ).not.toBeInTheDocument();
  });

  const renderProtected = async (state: 'pending' | 'done') => {
    answer({
      ...reading,
      protection: {
        id: 'protected',
        title: 'Kept resources protected',
        state,
        message:
          state === 'done'
            ? 'Argo CD synced staging-infrastructure at abc1234 with the protection; Database/staging-orders-db will not be deleted. The removal can be proposed now.'
            : 'Waiting for Argo CD to sync staging-infrastructure with the protection',
      },
    });
    await renderInTestApp(
      <EntityProvider entity={staging}>
        <DecommissionEnvironmentCard />
      </EntityProvider>,
      {
        apis,
        mountedRoutes: {
          '/self-service/templates/:namespace/:templateName':
            scaffolderTemplateRouteRef,
        },
      },
    );
    const step = await screen.findByTestId('decommission-step-protected');
    expect(step).toHaveAttribute('data-state', state);
    expect(step).toHaveTextContent('1. Kept resources protected');
  };

  it('shows the protect step first and offers no removal while the protection is not live', async () => {
    await renderProtected('pending');
    expect(
      screen.queryByTestId('decommission-propose-removal'),
    ).not.toBeInTheDocument();
  });

  it('offers the removal with one click once the protection is live: the template prefilled', async () => {
    await renderProtected('done');
    const href = screen
      .getByTestId('decommission-propose-removal')
      .getAttribute('href')!;
    expect(href.split('?')[0]).toBe(
      '/self-service/templates/default/decommission-environment',
    );
    expect(
      JSON.parse(new URLSearchParams(href.split('?')[1]).get('formData')!),
    ).toEqual({
      environment: 'resource:default/staging',
      previewOnly: false,
      confirmation: 'staging',
    });
  });
});
