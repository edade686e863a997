import { expect, Page, test } from '@playwright/test';

/** Screenshots kept as Playwright artifacts (.data/e2e-artifacts). */
async function keepScreenshot(page: Page, name: string) {
  await test.info().attach(name, {
    body: await page.screenshot({ fullPage: true }),
    contentType: 'image/png',
  });
}

async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

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
  await expect(page.getByRole('tab', { name: 'Kubernetes' })).toBeVisible();
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
