import { expect, test } from '@playwright/test';
import {
  createEnvironmentWithForm,
  keepScreenshot,
  openCrossplaneNodePanel,
  signInAsGuest,
} from './helpers';

/**
 * Screenshots kept as Playwright artifacts: files under .data/e2e-artifacts
 * and attachments in the HTML report (.data/e2e-report).
 */
test('a guest signs in, browses the catalog, opens a component and sees the templates', async ({
  page,
}) => {
  await signInAsGuest(page);

  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  for (const item of ['Catalog', 'Create', 'APIs', 'Docs']) {
    await expect(
      nav.getByRole('link', { name: item, exact: true }),
    ).toBeVisible();
  }

  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(page.getByText('Epicshelter Catalog').first()).toBeVisible();
  const ordersLink = page.getByRole('link', { name: 'Orders API' }).first();
  await expect(ordersLink).toBeVisible();
  await keepScreenshot(page, 'catalog');

  await ordersLink.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/orders-api/);
  await expect(
    page.getByText('Takes and tracks customer orders').first(),
  ).toBeVisible();
  // Overview first, then the GitOps tabs in the order app-config.yaml names.
  const wanted = ['Overview', 'Argo CD', 'Crossplane', 'Kubernetes'];
  const contentNav = page.getByRole('navigation', {
    name: 'Content navigation',
  });
  await expect(
    contentNav.getByRole('link', { name: 'Crossplane' }),
  ).toBeVisible();
  const tabs = (await contentNav.getByRole('link').allTextContents()).map(t =>
    t.trim(),
  );
  expect(tabs[0]).toBe('Overview');
  expect(tabs.filter(t => wanted.includes(t))).toEqual(wanted);
  await keepScreenshot(page, 'entity-orders-api');

  await page.goto('/create');
  await expect(page.getByText('Create environment').first()).toBeVisible();
  await keepScreenshot(page, 'create');
});

test('the Argo CD tab of an annotated component shows its applications from the sandbox', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/orders-api/argocd');
  await expect(page.getByText(/Sandbox data/).first()).toBeVisible();
  await expect(page.getByText('orders-api-dev').first()).toBeVisible();
  await expect(page.getByText('orders-api-staging').first()).toBeVisible();
  await keepScreenshot(page, 'argocd-tab');
});

test('the Crossplane tab of an annotated component shows its resources from the sandbox', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/orders-api/crossplane');
  await expect(
    page.getByText(
      /Sandbox data: these resources come from the fake Kubernetes API/,
    ),
  ).toBeVisible();
  await expect(page.getByText(/orders-db/).first()).toBeVisible();
  await keepScreenshot(page, 'crossplane-tab');

  // a node's side panel: conditions, events, and its YAML fetched on demand
  const panel = await openCrossplaneNodePanel(
    page,
    'Instance',
    'dev-orders-db-hk2x9',
  );
  await expect(panel).toContainText('password: <redacted>');
  await keepScreenshot(page, 'crossplane-node-panel');
});

test('a guest creates an environment with the template and finds it on the Environments page', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsGuest(page);
  // The owner is picked from the groups the user belongs to (the guest's
  // only one, checkout-team); workloads from the apps of the GitOps
  // repository.
  await createEnvironmentWithForm(page, {
    name: 'e2e-review',
    workloads: ['storefront'],
    reviewScreenshot: 'create-environment-review',
  });
  await expect(
    page.getByRole('link', { name: /Change \(pull request or repository\)/ }),
  ).toBeVisible();
  await keepScreenshot(page, 'create-environment-done');

  // The catalog provider reads the new commit; the environment appears in
  // the list (the matrix, read from the repository, may show it first).
  await expect(async () => {
    await page.goto('/environments');
    await expect(
      page.getByRole('link', { name: 'e2e-review', exact: true }).first(),
    ).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  for (const seeded of ['dev', 'staging']) {
    await expect(
      page.getByRole('link', { name: seeded, exact: true }).first(),
    ).toBeVisible();
    // one verdict per environment, the same as on its page
    await expect(
      page.getByTestId(`environment-status-${seeded}`),
    ).toHaveAttribute(
      'data-status',
      /^(Failed|Degraded|Progressing|OutOfSync|Unknown|Healthy)$/,
    );
  }
  await expect(
    page.getByRole('button', { name: 'Create environment' }),
  ).toHaveAttribute('href', '/create/templates/default/create-environment');
  await keepScreenshot(page, 'environments-page');

  await page.getByRole('link', { name: 'e2e-review' }).first().click();
  await expect(page).toHaveURL(/\/catalog\/default\/resource\/e2e-review/);
  await expect(
    page.getByText('Lifecycle', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByRole('heading', { name: 'About' })).toBeVisible();
  await keepScreenshot(page, 'environment-page');
  // its Overview's status card: the verdict and the cluster that runs it
  // (the separate Environment tab repeated the Overview and is off)
  await expect(page.getByTestId('environment-verdict').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId('environment-placement')).toContainText(
    'the local cluster',
  );
  await keepScreenshot(page, 'environment-status');

  // The seeded dev environment: its Argo CD applications on the sandbox.
  await page.goto('/catalog/default/resource/dev');
  await page.getByText('Deployments', { exact: true }).first().click();
  await expect(page.getByText('dev-workloads').first()).toBeVisible();
  await keepScreenshot(page, 'environment-deployments');

  // staging runs a commit older than the GitOps head on the cloud instance:
  // one commit behind at seeding, more once earlier tests have created
  // environments (how many depends on which of them the fake has picked up).
  await page.goto('/catalog/default/resource/staging');
  await page.getByText('Deployments', { exact: true }).first().click();
  await expect(page.getByText('staging-workloads').first()).toBeVisible();
  await expect(page.getByText(/behind by \d+ commits?/).first()).toBeVisible();
  await keepScreenshot(page, 'environment-deployments-staging');
});
