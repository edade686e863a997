import { expect, Locator, Page, test } from '@playwright/test';
import {
  fillEnvironmentResources,
  openCrossplaneNodePanel,
  openEnvironmentForm,
  signInAsGuest,
} from './helpers';

/**
 * The README and user-guide screenshots of the frontend plugins, taken on
 * the sandbox (scripts/screenshots.sh starts it: the seeded dev and staging
 * environments, the fake Argo CD and Kubernetes API) at 1280x800 and
 * written to plugins/<pkg>/docs/images/<name>.png. Each waits for the data
 * it shows, so a picture never shows a spinner.
 */

const images = (pkg: string, name: string) =>
  `plugins/${pkg}/docs/images/${name}.png`;

/** A 1280x800 picture of the viewport, with `anchor` scrolled near its top. */
async function shoot(page: Page, pkg: string, name: string, anchor?: Locator) {
  if (anchor) {
    await anchor.evaluate(element => {
      element.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -24);
    });
  }
  // relative times and spinners settle; hover effects go
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: images(pkg, name) });
}

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

test('argocd: the Argo CD tab and the overview card of a component', async ({
  page,
}) => {
  await page.goto('/catalog/default/component/orders-api/argocd');
  await expect(page.getByText('orders-api-dev').first()).toBeVisible();
  await expect(page.getByText('orders-api-staging').first()).toBeVisible();
  await shoot(page, 'argocd', 'argocd-tab');

  await page.goto('/catalog/default/component/orders-api');
  const card = page.locator('.MuiCard-root').filter({
    has: page.getByRole('columnheader', { name: 'Sync / health' }),
  });
  await expect(card).toBeVisible();
  await expect(card.getByText('orders-api-dev').first()).toBeVisible();
  await shoot(page, 'argocd', 'argocd-overview-card', card);
});

test('crossplane: the Crossplane tab of a component, graph and table', async ({
  page,
}) => {
  await page.goto('/catalog/default/component/orders-api/crossplane');
  const node = page.getByTestId('crossplane-node-Instance-dev-orders-db-hk2x9');
  await expect(node).toBeVisible();
  await shoot(page, 'crossplane', 'crossplane-graph');

  await page.getByRole('tab', { name: 'Table' }).click();
  await expect(
    page.getByRole('cell', { name: /dev-orders-db-hk2x9/ }).first(),
  ).toBeVisible();
  await shoot(
    page,
    'crossplane',
    'crossplane-table',
    page.getByRole('heading', { name: /^Cluster / }).first(),
  );

  await page.goto('/catalog/default/component/orders-api/crossplane');
  await openCrossplaneNodePanel(page, 'Instance', 'dev-orders-db-hk2x9');
  await shoot(page, 'crossplane', 'crossplane-node-panel');
});

test('environments: an environment page, the Environments page and its promotion matrix', async ({
  page,
}) => {
  await page.goto('/catalog/default/resource/dev');
  await expect(page.getByTestId('environment-verdict').first()).toBeVisible();
  await expect(page.getByTestId('environment-placement')).toBeVisible();
  await shoot(page, 'environments', 'environment-page');

  await page.goto('/environments');
  await expect(page.getByTestId('environment-status-dev')).toBeVisible();
  await expect(page.getByTestId('environment-status-staging')).toBeVisible();
  const matrix = page.getByTestId('promotion-matrix');
  await expect(matrix).toBeVisible();
  await shoot(page, 'environments', 'environments-page');
  await shoot(page, 'environments', 'promotion-matrix', matrix);
});

test('environments: the Create environment form', async ({ page }) => {
  await openEnvironmentForm(page, {
    name: 'team-a-dev',
    description: 'Team A development environment',
  });
  await shoot(page, 'environments', 'create-environment-form');
  await fillEnvironmentResources(page, {
    database: 'orders-db',
    workloads: ['storefront'],
  });
  await shoot(
    page,
    'environments',
    'create-environment-resources',
    page.getByRole('heading', { name: 'Databases' }).first(),
  );
});

test('environments: the decommission preview of an environment', async ({
  page,
}) => {
  await page.goto('/catalog/default/resource/dev');
  const decommission = page.getByTestId('decommission-environment');
  await expect(decommission).toBeVisible();
  await decommission.click();
  await expect(page.getByText('Decommission an environment')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByLabel('Preview only')).toBeChecked();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  // the task's output: the plan, with nothing proposed
  const plan = page.getByText('What goes', { exact: true });
  await expect(plan).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText(/dev-orders-db/).first()).toBeVisible();
  const hideLogs = page.getByRole('button', { name: 'Hide logs' });
  if (await hideLogs.isVisible()) await hideLogs.click();
  await shoot(page, 'environments', 'decommission-preview', plan);
});
