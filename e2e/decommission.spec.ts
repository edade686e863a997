import { expect, test } from '@playwright/test';
import {
  createEnvironmentWithForm,
  eventually,
  keepScreenshot,
  signInAsGuest,
} from './helpers';

/**
 * Decommission on the sandbox: an environment created with the form is
 * decommissioned from its page (its name typed to confirm); the change lands
 * on the embedded GitOps repository, the fake Argo CD prunes its two
 * applications, the fake Kubernetes API deletes its Crossplane resources,
 * the catalog drops it, and the Decommission page follows all of that to
 * "Removed". The Environments list no longer shows it.
 */

const ENV = 'e2e-decommission';

test('an environment decommissioned from its page is followed to removed, and leaves the Environments list', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await signInAsGuest(page);

  // Create it with a database, so there is a Crossplane resource to delete.
  await createEnvironmentWithForm(page, { name: ENV, database: 'decom-db' });

  // Its page, once the catalog and the fakes have it: the Decommission card.
  await eventually(
    page,
    `/catalog/default/resource/${ENV}/infrastructure`,
    async () => {
      await expect(
        page.getByTestId(`crossplane-node-Database-${ENV}-decom-db`),
      ).toBeVisible({ timeout: 10_000 });
    },
    180_000,
  );
  await page.goto(`/catalog/default/resource/${ENV}`);
  const decommission = page.getByTestId('decommission-environment');
  await expect(decommission).toBeVisible({ timeout: 60_000 });
  await decommission.click();

  // The template, prefilled with the environment; confirm by typing its name.
  await expect(page.getByText('Decommission an environment')).toBeVisible({
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Preview only').uncheck();
  await page.getByLabel("Type the environment's name to confirm").fill(ENV);
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const follow = page.getByRole('link', { name: 'Follow the decommission' });
  await expect(follow).toBeVisible({ timeout: 120_000 });
  await keepScreenshot(page, 'decommission-task');
  await expect(follow).toHaveAttribute('href', `/decommissions/${ENV}`);
  await follow.click();

  // The page polls the lifecycle: proposed → merged → pruned → gone → removed.
  await expect(page.getByTestId('decommission-state')).toContainText(
    'Removed',
    { timeout: 240_000 },
  );
  for (const step of [
    'proposed',
    'merged',
    'pruned',
    'resources-gone',
    'entity-removed',
  ]) {
    await expect(page.getByTestId(`decommission-step-${step}`)).toHaveAttribute(
      'data-state',
      'done',
    );
  }
  await keepScreenshot(page, 'decommission-removed');

  // Gone from the Environments list.
  await page.goto('/environments');
  await expect(
    page.getByRole('heading', { name: 'Environments' }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('link', { name: ENV, exact: true })).toHaveCount(
    0,
  );
  await expect(page.getByText(ENV, { exact: true })).toHaveCount(0);
});
