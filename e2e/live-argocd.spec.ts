import { APIRequestContext, expect, Page, test } from '@playwright/test';
import {
  degraded,
  FAKE_ARGOCD,
  readApplication,
  writeApplication,
} from './fakeArgoCd';
import { changeAndRestoreLive, markDocument, signInAsGuest } from './helpers';

/**
 * Live Argo CD pages (issue #16): a change in Argo CD reaches the open Argo
 * CD tab within seconds, without reload, also after the backend's watch
 * stream was cut. The test changes an application of the fake Argo CD that
 * scripts/e2e.sh starts (its control route `PUT /fake/applications/<instance>`,
 * packages/fake-argocd); the backend's watch sees the change, signals it,
 * and the tab fetches again. Each test puts the application back.
 */

/** Within a few seconds: the signal is sent within a second of the change. */
const LIVE = { timeout: 10_000 };

/** Changes orders-api-dev's health to Degraded with `message`, checks the open tab shows it, and puts it back. */
async function degradeAndRestore(
  page: Page,
  request: APIRequestContext,
  message: string,
  screenshot?: string,
) {
  const original = await readApplication(request, 'local', 'orders-api-dev');
  const panel = page.getByTestId('argocd-app-local-orders-api-dev');
  await changeAndRestoreLive(page, {
    change: () =>
      writeApplication(request, 'local', degraded(original, message)),
    changed: async () => {
      await expect(panel).toContainText(message, LIVE);
      await expect(panel).toContainText('Degraded');
    },
    screenshot,
    restore: () => writeApplication(request, 'local', original),
    restored: () => expect(panel).not.toContainText(message, LIVE),
  });
}

/** Opens orders-api's Argo CD tab as the guest and marks the document. */
async function openArgoCdTab(page: Page) {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/orders-api/argocd');
  await expect(page.getByTestId('argocd-app-local-orders-api-dev')).toBeVisible(
    { timeout: 30_000 },
  );
  await markDocument(page);
}

test('the Argo CD tab shows an application turning Degraded, and back, without reload', async ({
  page,
  request,
}) => {
  await openArgoCdTab(page);
  await degradeAndRestore(
    page,
    request,
    `e2e live change ${Date.now()}`,
    'live-argocd-tab',
  );
});

test('the Argo CD tab still updates after the watch stream was cut (resumed)', async ({
  page,
  request,
}) => {
  await openArgoCdTab(page);
  const dropped = await request.post(`${FAKE_ARGOCD}/fake/drop-watches`);
  expect((await dropped.json()).dropped).toBeGreaterThan(0);
  await degradeAndRestore(page, request, `e2e after a cut ${Date.now()}`);
});
