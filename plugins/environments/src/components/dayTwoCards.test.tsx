import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { scaffolderTemplateRouteRef } from '../routes';
import { EnvironmentExpiryCard } from './EnvironmentExpiryCard';
import { PromoteEnvironmentCard } from './PromoteEnvironmentCard';
import { ExpiryText } from './ExpiryText';

jest.setTimeout(30_000);

const environment = (expiry?: { ttl: string; expiresAt: string }): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'preview-42', namespace: 'default' },
  spec: {
    type: 'environment',
    owner: 'group:default/team-a',
    environment: {
      target: 'local',
      provider: 'local',
      ...(expiry ? { expiry } : {}),
    },
  },
});
const EXPIRING = environment({
  ttl: '1d',
  expiresAt: '2026-12-07T10:00:00.000Z',
});
const now = new Date('2026-12-07T07:00:00.000Z');
const routes = {
  mountedRoutes: {
    '/self-service/templates/:namespace/:templateName':
      scaffolderTemplateRouteRef,
  },
};

const formDataOf = (href: string) =>
  JSON.parse(new URLSearchParams(href.split('?')[1]).get('formData')!);

describe('EnvironmentExpiryCard', () => {
  it('says when the environment expires and opens the extend template for it', async () => {
    await renderInTestApp(
      <EntityProvider entity={EXPIRING}>
        <EnvironmentExpiryCard now={now} />
      </EntityProvider>,
      routes,
    );
    expect(
      await screen.findByTestId('environment-expiry-preview-42'),
    ).toHaveTextContent('expires in 3 hours');
    expect(
      screen.getByText(
        /expires at 2026-12-07T10:00:00.000Z \(time to live 1 day\)/,
      ),
    ).toBeInTheDocument();
    const href = screen
      .getByRole('button', { name: 'Extend' })
      .getAttribute('href')!;
    expect(href.split('?')[0]).toBe(
      '/self-service/templates/default/extend-environment',
    );
    expect(formDataOf(href)).toEqual({
      environment: 'resource:default/preview-42',
    });
  });

  it('shows the expiry without a button when the app has no template route', async () => {
    await renderInTestApp(
      <EntityProvider entity={EXPIRING}>
        <EnvironmentExpiryCard now={now} />
      </EntityProvider>,
    );
    expect(
      await screen.findByTestId('environment-expiry-preview-42'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Extend' }),
    ).not.toBeInTheDocument();
  });

  it('shows nothing for an environment that does not expire', async () => {
    await renderInTestApp(
      <EntityProvider entity={environment()}>
        <div data-testid="card">
          <EnvironmentExpiryCard now={now} />
        </div>
      </EntityProvider>,
      routes,
    );
    expect(await screen.findByTestId('card')).toBeEmptyDOMElement();
  });
});

describe('PromoteEnvironmentCard', () => {
  it('opens the promote template with this environment as the target', async () => {
    await renderInTestApp(
      <EntityProvider entity={EXPIRING}>
        <PromoteEnvironmentCard />
      </EntityProvider>,
      routes,
    );
    const href = (
      await screen.findByRole('button', { name: 'Promote into preview-42' })
    ).getAttribute('href')!;
    expect(href.split('?')[0]).toBe(
      '/self-service/templates/default/promote-workload',
    );
    expect(formDataOf(href)).toEqual({ to: 'resource:default/preview-42' });
  });
});

describe('ExpiryText', () => {
  it('says never for an environment without expiry, and how long is left otherwise', async () => {
    await renderInTestApp(
      <>
        <ExpiryText testId="dev" />
        <ExpiryText
          testId="old"
          expiresAt="2026-12-05T07:00:00.000Z"
          now={now}
        />
      </>,
    );
    expect(screen.getByTestId('environment-expiry-dev')).toHaveTextContent(
      'never',
    );
    expect(screen.getByTestId('environment-expiry-old')).toHaveTextContent(
      'expired 2 days ago',
    );
  });
});
