import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { buildPromotionMatrix } from '@epicshelter/plugin-environments-common';
import { PromotionMatrixTable } from './EnvironmentsPage';

describe('open changes in the promotion matrix', () => {
  const matrix = buildPromotionMatrix([
    {
      name: 'dev',
      target: 'local',
      workloads: [{ name: 'web', imageTag: '1.3.0' }],
    },
    {
      name: 'staging',
      target: 'local',
      workloads: [
        { name: 'api', imageTag: '2.0.0' },
        { name: 'web', imageTag: '1.2.0' },
      ],
      openChange: {
        kind: 'pull-request',
        number: 12,
        url: 'https://github.com/acme/gitops/pull/12',
        workloads: ['web'],
        removesEnvironment: false,
      },
    },
    {
      name: 'qa',
      target: 'local',
      workloads: [{ name: 'web', imageTag: '1.2.0' }],
      openChange: {
        kind: 'branch',
        branch: 'epicshelter/qa',
        sha: 'abc',
        workloads: ['web'],
        removesEnvironment: false,
      },
    },
    {
      name: 'prod',
      target: 'local',
      workloads: [{ name: 'web', imageTag: '1.2.0' }],
      // an extension: only the expiry changes
      openChange: {
        kind: 'pull-request',
        number: 13,
        url: 'https://github.com/acme/gitops/pull/13',
        workloads: [],
        removesEnvironment: false,
      },
    },
  ]);

  it('marks the cells of the workloads an open change touches, linking its pull request', async () => {
    await renderInTestApp(<PromotionMatrixTable matrix={matrix} />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const staging = await screen.findByTestId('matrix-open-change-web-staging');
    expect(staging).toHaveTextContent('change #12 open');
    expect(within(staging).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/acme/gitops/pull/12',
    );
    expect(screen.getByTestId('matrix-open-change-web-qa')).toHaveTextContent(
      'change open',
    );
    expect(screen.queryByTestId('matrix-open-change-web-dev')).toBeNull();
    // the change promotes web only: api's cell in staging shows none
    expect(screen.queryByTestId('matrix-open-change-api-staging')).toBeNull();
    expect(
      within(staging).getByTitle('Proposed and not merged yet: changes web'),
    ).toBeInTheDocument();
    // a change that touches no workload shows on its column only
    expect(screen.queryByTestId('matrix-open-change-staging')).toBeNull();
    expect(screen.getByTestId('matrix-open-change-prod')).toHaveTextContent(
      'change #13 open',
    );
    expect(screen.queryByTestId('matrix-open-change-web-prod')).toBeNull();
  });
});
