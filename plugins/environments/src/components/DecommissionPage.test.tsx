import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { MockFetchApi } from '@backstage/test-utils';
import {
  DecommissionLifecycleInput,
  computeDecommissionLifecycle,
} from '@epicshelter/plugin-environments-common';
import { EnvironmentsClient, environmentsApiRef } from '../api';
import {
  DecommissionPage,
  environmentFromDecommissionPath,
} from './DecommissionPage';

jest.setTimeout(30_000);

describe('DecommissionPage', () => {
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

  /** The environments backend answers the lifecycle computed from `input`. */
  const answerLifecycle = (input: DecommissionLifecycleInput) =>
    server.use(
      http.get(
        'http://backstage.test/api/environments/environments/qa/decommission',
        () => HttpResponse.json(computeDecommissionLifecycle(input)),
      ),
    );

  it('reads the environment from its path', () => {
    expect(environmentFromDecommissionPath('/decommissions/qa')).toBe('qa');
    expect(environmentFromDecommissionPath('/decommissions/qa/')).toBe('qa');
    expect(environmentFromDecommissionPath('/decommissions')).toBe('');
  });

  it('shows a decommission that ended, after the catalog removed the environment', async () => {
    answerLifecycle({
      environment: 'qa',
      changeBranch: 'epicshelter/qa',
      defaultBranch: 'main',
      inRepository: false,
      applications: [],
      resources: [],
      orphaned: [],
      entityPresent: false,
      now: '2026-12-06T10:00:00Z',
    });
    await renderInTestApp(<DecommissionPage />, {
      apis,
      initialRouteEntries: ['/decommissions/qa'],
    });
    expect(await screen.findByText('Removed')).toBeInTheDocument();
    expect(
      screen
        .getAllByRole('listitem')
        .map(i => [i.dataset.testid, i.dataset.state]),
    ).toEqual([
      ['decommission-step-proposed', 'done'],
      ['decommission-step-merged', 'done'],
      ['decommission-step-pruned', 'done'],
      ['decommission-step-resources-gone', 'done'],
      ['decommission-step-entity-removed', 'done'],
    ]);
  });

  it('says why a decommission cannot be read', async () => {
    server.use(
      http.get(
        'http://backstage.test/api/environments/environments/qa/decommission',
        () =>
          HttpResponse.json(
            { error: { name: 'Error', message: 'backend down' } },
            { status: 500 },
          ),
      ),
    );
    await renderInTestApp(<DecommissionPage />, {
      apis,
      initialRouteEntries: ['/decommissions/qa'],
    });
    expect(
      await screen.findByText(/The decommission of qa cannot be read/),
    ).toBeInTheDocument();
  });

  it('shows the protect step first while kept resources are being protected', async () => {
    answerLifecycle({
      environment: 'qa',
      changeBranch: 'epicshelter/qa',
      defaultBranch: 'main',
      inRepository: true,
      applications: [{ kind: 'Application', name: 'qa-workloads' }],
      resources: [],
      orphaned: [],
      entityPresent: true,
      now: '2026-12-06T10:00:00Z',
      protection: {
        id: 'protected',
        title: 'Kept resources protected',
        state: 'pending',
        message:
          'Waiting for the live objects to carry the protection: Database/qa-orders-db not paused yet',
      },
    });
    await renderInTestApp(<DecommissionPage />, {
      apis,
      initialRouteEntries: ['/decommissions/qa'],
    });
    expect(await screen.findByTestId('decommission-state')).toHaveTextContent(
      'Decommissioning — Waiting for the live objects to carry the protection: Database/qa-orders-db not paused yet',
    );
    expect(screen.getAllByRole('listitem').map(i => i.dataset.testid)[0]).toBe(
      'decommission-step-protected',
    );
  });
});
