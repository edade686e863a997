import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import type { EnvironmentLifecycleResponse } from '@epicshelter/plugin-environments-common';
import {
  TEST_BACKEND_BASE as BASE,
  WithEnvironmentsApi,
} from '../__testUtils__/environmentsApi';
import { EnvironmentLifecycle } from './EnvironmentLifecycle';

const server = setupServer();
registerMswTestHooks(server);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'preview', namespace: 'default' },
  spec: { type: 'environment', owner: 'group:default/team-a' },
};
const now = new Date('2026-12-06T10:00:00.000Z');

const lifecycle = (
  expiry?: EnvironmentLifecycleResponse['expiry'],
): EnvironmentLifecycleResponse => ({
  environment: 'preview',
  state: 'ready',
  steps: [
    {
      id: 'merged',
      title: 'On main',
      state: 'done',
      message: 'Commit 1111111 on main',
    },
  ],
  ...(expiry ? { expiry } : {}),
});

async function renderLifecycle(body: EnvironmentLifecycleResponse) {
  server.use(
    http.get(`${BASE}/environments/environments/preview/lifecycle`, () =>
      HttpResponse.json(body),
    ),
  );
  await renderInTestApp(
    <WithEnvironmentsApi entity={entity}>
      <EnvironmentLifecycle now={now} />
    </WithEnvironmentsApi>,
  );
}

describe('the lifecycle view’s expiry', () => {
  it('shows when the environment expires and each extension, with who, when, from, to and its commit', async () => {
    await renderLifecycle(
      lifecycle({
        current: { ttl: '2d', expiresAt: '2026-12-06T13:00:00.000Z' },
        partial: false,
        extensions: [
          {
            at: '2026-12-05T09:30:00.000Z',
            requestedBy: 'Jane Doe',
            from: '2026-12-04T13:00:00.000Z',
            to: '2026-12-06T13:00:00.000Z',
            by: '2d',
            commit: {
              sha: 'abcdef1234567890abcdef1234567890abcdef12',
              url: 'https://github.com/acme/gitops/commit/abcdef1234567890abcdef1234567890abcdef12',
              subject: 'Environment preview: extend by 2d',
            },
          },
        ],
      }),
    );
    const section = await screen.findByTestId('lifecycle-expiry');
    expect(section).toHaveTextContent(
      'This environment expires in 3 hours (2026-12-06 13:00 UTC).',
    );
    const extension = within(section).getByTestId(
      'lifecycle-extension-abcdef1234567890abcdef1234567890abcdef12',
    );
    expect(extension).toHaveTextContent(
      'Extended by Jane Doe on 2026-12-05 09:30 UTC from 2026-12-04 13:00 UTC to 2026-12-06 13:00 UTC (2 days)',
    );
    expect(within(extension).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/commit/abcdef1234567890abcdef1234567890abcdef12',
    );
    expect(screen.queryByTestId('lifecycle-expiry-decommission')).toBeNull();
  });

  it('says that the expiry opened a decommission, linking its change', async () => {
    await renderLifecycle(
      lifecycle({
        current: { ttl: '4h', expiresAt: '2026-12-06T08:00:00.000Z' },
        partial: false,
        extensions: [],
        decommission: {
          change: {
            kind: 'pull-request',
            number: 31,
            url: 'https://github.com/acme/gitops/pull/31',
            workloads: ['web'],
            removesEnvironment: true,
          },
          expiryTriggered: true,
        },
      }),
    );
    expect(await screen.findByTestId('lifecycle-expiry')).toHaveTextContent(
      'expired 2 hours ago',
    );
    const open = screen.getByTestId('lifecycle-expiry-decommission');
    expect(open).toHaveTextContent(
      /^Expired: its decommission is open, change #31.*, waiting for review and merge\.$/,
    );
    expect(within(open).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/pull/31',
    );
    expect(screen.getByTestId('lifecycle-no-extension')).toHaveTextContent(
      'Not extended.',
    );
  });

  it('shows no expiry for an environment that does not expire', async () => {
    await renderLifecycle(lifecycle());
    expect(await screen.findByTestId('lifecycle-state')).toBeInTheDocument();
    expect(screen.queryByTestId('lifecycle-expiry')).toBeNull();
  });
});
