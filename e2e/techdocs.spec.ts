import { expect, test } from '@playwright/test';
import { keepScreenshot, signInAsGuest } from './helpers';

/**
 * TechDocs in the portal: the backend builds the docs sites with the local
 * mkdocs (app-config.yaml `techdocs`), the Docs page lists them, a plugin's
 * user guide renders, and docs search answers from the techdocs index.
 */

test('the Docs page lists the user guides and a plugin guide renders, page by page', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page);

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Docs', exact: true })
    .click();
  // Six plugin families and the GitOps repository blueprint (the System).
  await expect(page.getByText('All (7)').first()).toBeVisible();
  for (const site of [
    'plugin-argocd',
    'plugin-crossplane',
    'plugin-environments',
    'Epicshelter',
  ]) {
    await expect(
      page.getByRole('link', { name: site, exact: true }).first(),
    ).toBeVisible();
  }
  await keepScreenshot(page, 'docs-index');

  // Built on first view by the backend's mkdocs (or already by the prebuild).
  await page.goto('/docs/default/component/plugin-argocd');
  await expect(
    page.getByRole('heading', { name: 'Argo CD plugin' }).first(),
  ).toBeVisible({ timeout: 120_000 });
  await expect(
    page.getByRole('heading', { name: 'Which entities show it' }),
  ).toBeVisible();
  await keepScreenshot(page, 'docs-argocd');

  // The site's own navigation (the visible one of the reader's copies).
  await page
    .getByRole('link', { name: 'Permissions', exact: true })
    .filter({ visible: true })
    .first()
    .click();
  await expect(page).toHaveURL(/plugin-argocd\/permissions/);
  await expect(
    page.getByRole('cell', { name: 'argocd.application.action' }),
  ).toBeVisible();

  // A family member shows the family's site on its own Docs tab.
  await page.goto('/catalog/default/component/plugin-argocd-backend/docs');
  await expect(
    page.getByRole('heading', { name: 'Argo CD plugin' }).first(),
  ).toBeVisible({ timeout: 120_000 });

  // The epicshelter System shows the GitOps repository blueprint's docs.
  await page.goto('/docs/default/system/epicshelter');
  await expect(
    page.getByRole('heading', { name: 'GitOps repository' }).first(),
  ).toBeVisible({ timeout: 120_000 });
  await keepScreenshot(page, 'docs-gitops-repository');
});

test('docs search answers from the techdocs index and links into a guide', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInAsGuest(page);

  // The index exists once the backend has built the sites and re-run the
  // techdocs collator (about a minute after start): retry until then.
  await expect(async () => {
    const answer = page.waitForResponse(
      r =>
        r.url().includes('/api/search/query') && r.url().includes('techdocs'),
    );
    await page.goto('/search?query=prefetch&types%5B0%5D=techdocs');
    const response = await answer;
    expect(response.status()).toBe(200);
    const body = await response.json();
    expect(body.results.length).toBeGreaterThan(0);
  }).toPass({ timeout: 200_000, intervals: [5_000] });

  const hit = page
    .locator('a[href*="/docs/default/component/plugin-argocd/configuration"]')
    .first();
  await expect(hit).toBeVisible();
  await keepScreenshot(page, 'docs-search');
  await hit.click();
  await expect(
    page.getByRole('heading', { name: 'Configuration' }).first(),
  ).toBeVisible({ timeout: 120_000 });
});
