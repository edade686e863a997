import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
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

describe('DecommissionEnvironmentCard', () => {
  it('opens the decommission template with the environment prefilled', async () => {
    await renderInTestApp(
      <EntityProvider entity={staging}>
        <DecommissionEnvironmentCard />
      </EntityProvider>,
      {
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
    );
    expect(
      screen.queryByRole('button', { name: 'Decommission environment' }),
    ).not.toBeInTheDocument();
  });
});
