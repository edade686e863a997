import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { EntityApplicationsResponse } from '@epicshelter/plugin-argocd-common';
import { TEST_BACKEND, argoCdTestApi } from '../__testUtils__/argoCdTestApis';
import { ArgoCdContent } from './ArgoCdContent';
import { ArgoCdOverviewCard } from './ArgoCdOverviewCard';
import {
  componentEntity,
  failingMultiSourceApp,
  multiSourceHistory,
} from './fixtures';

jest.setTimeout(30_000);

const BASE = TEST_BACKEND;
const ENTITY = `${BASE}/entities/component/default/orders-api`;
const APP = `${ENTITY}/instances/local/applications/shop`;

const listed = (canAct: boolean): EntityApplicationsResponse => ({
  items: [failingMultiSourceApp, { ...failingMultiSourceApp, name: '' }],
  instances: [{ name: 'local', sandbox: false, status: 'ok' }],
  sandbox: false,
  canAct,
});

describe('Argo CD views of failing, multi-source applications', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const render = (entity: Entity, element: JSX.Element) => {
    const alertApi = mockApis.alert();
    renderInTestApp(
      <EntityProvider entity={entity}>{element}</EntityProvider>,
      {
        apis: [argoCdTestApi(), alertApi],
      },
    );
    return alertApi;
  };

  it('overview card: namespace, every source revision, the failed sync, the last successful sync and the ApplicationSet error', async () => {
    server.use(
      http.get(`${ENTITY}/applications`, () =>
        HttpResponse.json(listed(false)),
      ),
    );
    render(componentEntity, <ArgoCdOverviewCard />);
    const row = (await screen.findByText('shop')).closest('tr')!;
    // One row: the application without a name is not listed.
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(row.textContent).toContain('local · namespace team-a');
    expect(within(row).getByText('18.1.0')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'aaaaaaa' })).toHaveAttribute(
      'href',
      `https://github.com/acme/shop-config/commit/${'a'.repeat(40)}`,
    );
    expect(
      within(row).getByRole('link', { name: 'bbbbbbb' }),
    ).toBeInTheDocument();
    expect(row.textContent).toMatch(
      /chart nginx.*ref values.*path overlays\/prod/,
    );
    expect(row.textContent).toMatch(
      /OutOfSync.*Degraded.*Last sync failed .* ago \(by grace\): one or more objects failed to apply/,
    );
    expect(row.textContent).toMatch(/synced \d+ \w+ ago/);
    expect(row.textContent).toContain(
      'ApplicationSet shop-set: ErrorOccurred=True (ApplicationGenerationFromParamsError): failed to execute go template {{.path.basenamee}}: map has no entry for key "basenamee"',
    );
    expect(row.textContent).toContain(
      'ApplicationSet shop-set: ResourcesUpToDate=False',
    );
    // Conditions that are fine are not noise.
    expect(row.textContent).not.toContain('ParametersGenerated');
    expect(row.textContent).not.toContain('RolloutProgressing');
  });

  it('tab: every source with repository, path or chart and revision; history rows per source', async () => {
    server.use(
      http.get(`${ENTITY}/applications`, () =>
        HttpResponse.json(listed(false)),
      ),
      http.get(`${APP}/history`, () => HttpResponse.json(multiSourceHistory)),
      http.get(`${APP}/resource-tree`, () =>
        HttpResponse.json({
          instance: 'local',
          sandbox: false,
          tree: { nodes: [] },
          syncStatus: {},
        }),
      ),
      http.get(APP, () =>
        HttpResponse.json({
          instance: 'local',
          sandbox: false,
          summary: failingMultiSourceApp,
          application: {},
          applicationSet: {
            name: 'shop-set',
            applications: ['shop'],
            conditions: [],
          },
        }),
      ),
    );
    render(componentEntity, <ArgoCdContent />);
    const panel = await screen.findByTestId('argocd-app-local-shop');
    expect(
      within(panel)
        .getAllByTestId('argocd-source')
        .map(s => s.textContent),
    ).toEqual([
      '18.1.0 chart nginx of https://charts.bitnami.com/bitnami',
      'aaaaaaa ref values of https://github.com/acme/shop-config.git',
      'bbbbbbb path overlays/prod of https://github.com/acme/shop-manifests.git',
    ]);
    expect(panel.textContent).toContain('namespace team-a');
    expect(panel.textContent).toMatch(/last successful sync \d+ \w+ ago/);
    expect(
      within(panel).getByTestId('argocd-appset-conditions').textContent,
    ).toContain('ErrorOccurred=True');
    await userEvent.click(
      within(panel).getByRole('button', { name: 'History & resources' }),
    );
    const historyRow = (
      await screen.findByText('values: raise replicas')
    ).closest('tr')!;
    expect(historyRow.textContent).toMatch(
      /18\.1\.0 chart nginx.*aaaaaaa ref values.*ddddddd path overlays\/prod/,
    );
  });

  it('history: a revision whose commit Argo CD cannot read says so plainly, the reason on hover', async () => {
    const reason =
      'Argo CD instance "local": revision 9c4e1b7a2f3d8e6c5b4a39281706f5e4d3c2b1a0 not found in repository';
    const [entry] = multiSourceHistory.items;
    server.use(
      http.get(`${ENTITY}/applications`, () =>
        HttpResponse.json(listed(false)),
      ),
      http.get(`${APP}/history`, () =>
        HttpResponse.json({
          ...multiSourceHistory,
          items: [
            {
              ...entry,
              author: undefined,
              message: undefined,
              metadataError: reason,
            },
          ],
        }),
      ),
      http.get(`${APP}/resource-tree`, () =>
        HttpResponse.json({
          instance: 'local',
          sandbox: false,
          tree: { nodes: [] },
          syncStatus: {},
        }),
      ),
      http.get(APP, () =>
        HttpResponse.json({
          instance: 'local',
          sandbox: false,
          summary: failingMultiSourceApp,
          application: {},
        }),
      ),
    );
    render(componentEntity, <ArgoCdContent />);
    const panel = await screen.findByTestId('argocd-app-local-shop');
    await userEvent.click(
      within(panel).getByRole('button', { name: 'History & resources' }),
    );
    const unavailable = await screen.findByTestId(
      'argocd-commit-details-unavailable',
    );
    expect(unavailable).toHaveTextContent(
      'Commit details unavailable: Argo CD could not read this revision',
    );
    expect(unavailable).toHaveAttribute('title', reason);
    expect(unavailable.closest('tr')!.textContent).not.toContain(
      'not found in repository',
    );
  });

  it('toasts the backend’s own message when an action fails, and never calls a dry run "started"', async () => {
    let syncs = 0;
    server.use(
      http.get(`${ENTITY}/applications`, () => HttpResponse.json(listed(true))),
      http.post(`${APP}/sync`, async ({ request }) => {
        syncs++;
        const body = (await request.json()) as { dryRun?: boolean };
        if (!body.dryRun) {
          return HttpResponse.json(
            {
              error: {
                name: 'ConflictError',
                message:
                  'Argo CD instance "local": another operation is already in progress',
              },
              request: { method: 'POST', url: '/sync' },
              response: { statusCode: 409 },
            },
            { status: 409, statusText: 'Conflict' },
          );
        }
        return HttpResponse.json({
          instance: 'local',
          application: 'shop',
          action: 'sync',
          sandbox: false,
        });
      }),
    );
    const alerts = render(componentEntity, <ArgoCdContent />);
    const panel = await screen.findByTestId('argocd-app-local-shop');

    await userEvent.click(within(panel).getByRole('button', { name: 'Sync' }));
    let dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    const failed = await alerts.waitForAlert(a => a.severity === 'error');
    expect(failed.message).toBe(
      'Sync of shop on local failed: Argo CD instance "local": another operation is already in progress',
    );
    expect(String(failed.message)).not.toContain('Request failed with');

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await userEvent.click(within(panel).getByRole('button', { name: 'Sync' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByLabelText('Dry run'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    const dry = await alerts.waitForAlert(a =>
      String(a.message).startsWith('Dry run'),
    );
    expect(dry.message).toBe(
      'Dry run of shop on local requested: Argo CD only compares, nothing is applied; the result shows as the operation state.',
    );
    expect(
      alerts.getAlerts().some(a => String(a.message).includes('started')),
    ).toBe(false);
    expect(syncs).toBe(2);
  });
});
