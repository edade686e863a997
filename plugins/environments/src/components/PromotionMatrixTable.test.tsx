import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { buildPromotionMatrix } from '@epicshelter/plugin-environments-common';
import { PromotionMatrixTable, promoteWorkloadLink } from './EnvironmentsPage';

describe('PromotionMatrixTable', () => {
  const matrix = buildPromotionMatrix([
    {
      name: 'dev',
      target: 'local',
      workloads: [
        { name: 'orders-api', imageTag: '1.3.0' },
        { name: 'worker', imageTag: '0.9.0' },
      ],
    },
    {
      name: 'staging',
      target: 'local',
      workloads: [{ name: 'orders-api', imageTag: '1.2.0' }],
    },
    {
      name: 'prod',
      target: 'cloud',
      workloads: [
        { name: 'orders-api', imageTag: '1.2.0' },
        { name: 'worker', imageTag: '0.8.0' },
      ],
    },
  ]);

  it('marks a cell that differs from its predecessor and links to the prefilled promote template', async () => {
    await renderInTestApp(<PromotionMatrixTable matrix={matrix} />, {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    // staging is behind dev; prod equals staging for orders-api
    const behind = await screen.findByTestId(
      'matrix-behind-orders-api-staging',
    );
    expect(behind).toHaveTextContent('dev runs 1.3.0');
    expect(
      within(behind).getByRole('button', { name: 'Promote' }),
    ).toHaveAttribute(
      'href',
      promoteWorkloadLink({
        from: 'dev',
        to: 'staging',
        workload: 'orders-api',
      }),
    );
    expect(screen.queryByTestId('matrix-behind-orders-api-prod')).toBeNull();
    expect(screen.queryByTestId('matrix-behind-orders-api-dev')).toBeNull();
    // staging does not deploy worker: prod's predecessor for worker is dev
    expect(screen.getByTestId('matrix-behind-worker-prod')).toHaveTextContent(
      'dev runs 0.9.0',
    );
  });

  it('prefills the template form with entity refs and the workload', () => {
    const link = promoteWorkloadLink({
      from: 'dev',
      to: 'staging',
      workload: 'orders-api',
    });
    const [path, query] = link.split('?');
    expect(path).toBe('/create/templates/default/promote-workload');
    expect(JSON.parse(new URLSearchParams(query).get('formData')!)).toEqual({
      from: 'resource:default/dev',
      to: 'resource:default/staging',
      workloads: ['orders-api'],
    });
  });
});
