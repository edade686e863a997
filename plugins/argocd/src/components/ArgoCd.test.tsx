import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { TEST_BACKEND, argoCdTestApi } from '../__testUtils__/argoCdTestApis';
import { ArgoCdContent } from './ArgoCdContent';
import { ArgoCdOverviewCard } from './ArgoCdOverviewCard';
import {
  componentEntity,
  environmentApps,
  environmentEntity,
  history,
  plainEntity,
  tree,
} from './fixtures';

// Rendering Material tables in jsdom is slow on small CI machines.
jest.setTimeout(30_000);

const BASE = TEST_BACKEND;

describe('Argo CD frontend', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const render = (entity: Entity, element: JSX.Element) =>
    renderInTestApp(
      <EntityProvider entity={entity}>{element}</EntityProvider>,
      {
        apis: [argoCdTestApi()],
      },
    );

  it('groups environment applications side by side, shows sandbox and instance errors, hides actions when not allowed', async () => {
    server.use(
      http.get(`${BASE}/entities/resource/default/dev/applications`, () =>
        HttpResponse.json(environmentApps),
      ),
    );
    render(environmentEntity, <ArgoCdContent />);

    expect(await screen.findByText('Environment dev')).toBeInTheDocument();
    expect(screen.getByText('Argo CD instance local')).toBeInTheDocument();
    expect(screen.getByText('Workloads')).toBeInTheDocument();
    expect(screen.getByText('Infrastructure')).toBeInTheDocument();
    expect(screen.getByText('dev-workloads')).toBeInTheDocument();
    expect(screen.getByText('dev-infrastructure')).toBeInTheDocument();
    expect(screen.getByText(/Sandbox data/)).toBeInTheDocument();
    expect(
      screen.getByText(/Argo CD instance "cloud" could not be queried/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('SyncError: storageGB must be at least 10'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
  });

  it('lets an owner sync with confirmation and options', async () => {
    let syncBody: unknown;
    server.use(
      http.get(`${BASE}/entities/resource/default/dev/applications`, () =>
        HttpResponse.json({ ...environmentApps, canAct: true }),
      ),
      http.post(
        `${BASE}/entities/resource/default/dev/instances/local/applications/dev-workloads/sync`,
        async ({ request }) => {
          syncBody = await request.json();
          return HttpResponse.json({
            instance: 'local',
            application: 'dev-workloads',
            action: 'sync',
            sandbox: true,
          });
        },
      ),
    );
    render(environmentEntity, <ArgoCdContent />);
    const panel = await screen.findByTestId('argocd-app-local-dev-workloads');
    await userEvent.click(within(panel).getByRole('button', { name: 'Sync' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByLabelText('Prune resources no longer in Git'),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    await waitFor(() =>
      expect(syncBody).toEqual({ prune: true, dryRun: false }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // A running operation can be terminated, and sync is disabled meanwhile.
    const infra = screen.getByTestId('argocd-app-local-dev-infrastructure');
    expect(
      within(infra).getByRole('button', { name: 'Terminate operation' }),
    ).toBeInTheDocument();
    expect(within(infra).getByRole('button', { name: 'Sync' })).toBeDisabled();
  });

  it('shows history with commit metadata and the resource tree', async () => {
    server.use(
      http.get(`${BASE}/entities/resource/default/dev/applications`, () =>
        HttpResponse.json(environmentApps),
      ),
      http.get(
        `${BASE}/entities/resource/default/dev/instances/local/applications/dev-workloads/history`,
        () => HttpResponse.json(history),
      ),
      http.get(
        `${BASE}/entities/resource/default/dev/instances/local/applications/dev-workloads/resource-tree`,
        () => HttpResponse.json(tree),
      ),
      http.get(
        `${BASE}/entities/resource/default/dev/instances/local/applications/dev-workloads`,
        () =>
          HttpResponse.json({
            instance: 'local',
            sandbox: true,
            summary: environmentApps.items[0],
            application: {},
            applicationSet: {
              name: 'environments',
              applications: ['dev-workloads', 'dev-infrastructure'],
              conditions: [],
            },
          }),
      ),
    );
    render(environmentEntity, <ArgoCdContent />);
    const panel = await screen.findByTestId('argocd-app-local-dev-workloads');
    await userEvent.click(
      within(panel).getByRole('button', { name: 'History & resources' }),
    );
    expect(
      await screen.findByText(
        'feat(infrastructure): add PostgreSQL claim for orders',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Ada Lovelace <ada@epicshelter.io>'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/platform-ingress-5d8-abcde/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Back-off restarting failed container'),
    ).toBeInTheDocument();
    // One OutOfSync for dev-infrastructure's status, one for the Deployment in the tree.
    expect(screen.getAllByText('OutOfSync')).toHaveLength(2);
    expect(
      await screen.findByText(/together with: dev-infrastructure/),
    ).toBeInTheDocument();
  });

  it('overview card lists applications with short SHA links', async () => {
    server.use(
      http.get(
        `${BASE}/entities/component/default/orders-api/applications`,
        () => HttpResponse.json(environmentApps),
      ),
    );
    render(componentEntity, <ArgoCdOverviewCard />);
    expect(await screen.findByText('dev-workloads')).toBeInTheDocument();
    const links = screen.getAllByRole('link', { name: '53e28ff' });
    expect(links[0]).toHaveAttribute(
      'href',
      'https://github.com/epicshelter/gitops/commit/53e28ff20cc530b9ada2173fbbd64d48338583ba',
    );
    expect(screen.getByText(/Sandbox data/)).toBeInTheDocument();
    // three columns fit the half-width card: instance, health and last sync
    // sit under application, sync and revision
    expect(screen.getAllByRole('columnheader').map(h => h.textContent)).toEqual(
      ['Application', 'Sync / health', 'Revision / last sync'],
    );
    const row = screen.getByText('dev-workloads').closest('tr')!;
    expect(row.textContent).toMatch(/dev-workloads.*local/);
    expect(row.textContent).toMatch(/Synced.*Healthy/);
    expect(row.textContent).toMatch(/53e28ff.*ago/);
  });

  it('tells the user which annotation to add, and what to check when nothing matches', async () => {
    render(plainEntity, <ArgoCdOverviewCard />);
    expect(await screen.findByText(/argocd\/app-selector/)).toBeInTheDocument();

    server.use(
      http.get(
        `${BASE}/entities/component/default/orders-api/applications`,
        () =>
          HttpResponse.json({
            items: [],
            instances: [{ name: 'local', sandbox: false, status: 'ok' }],
            sandbox: false,
            canAct: false,
          }),
      ),
    );
    render(componentEntity, <ArgoCdContent />);
    expect(
      await screen.findByText('No Argo CD application found'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /label selector "app.kubernetes.io\/name=orders-api" on the Argo CD instance\(s\) "local"/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Sandbox data/)).not.toBeInTheDocument();
  });

  it('shows backend errors', async () => {
    server.use(
      http.get(
        `${BASE}/entities/component/default/orders-api/applications`,
        () =>
          HttpResponse.json(
            {
              error: {
                name: 'NotAllowedError',
                message: 'You may not read the Argo CD applications',
              },
            },
            { status: 403 },
          ),
      ),
    );
    render(componentEntity, <ArgoCdContent />);
    expect(
      (await screen.findAllByText(/You may not read the Argo CD applications/))
        .length,
    ).toBeGreaterThan(0);
  });
});
