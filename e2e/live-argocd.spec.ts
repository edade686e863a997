import { APIRequestContext, expect, Page, test } from '@playwright/test';
import {
  expectNotReloaded,
  keepScreenshot,
  markDocument,
  signInAsGuest,
} from './helpers';

/**
 * Live Argo CD pages (issue #16): a change in Argo CD reaches the open Argo
 * CD tab within seconds, without reload, also after the backend's watch
 * stream was cut. The test changes an application of the fake Argo CD that
 * scripts/e2e.sh starts (its control route `PUT /fake/applications/<instance>`,
 * packages/fake-argocd); the backend's watch sees the change, signals it,
 * and the tab fetches again. Each test puts the application back.
 */

const FAKE_ARGOCD = process.env.FAKE_ARGOCD_URL ?? 'http://127.0.0.1:8090';
/** Within a few seconds: the signal is sent within a second of the change. */
const LIVE = { timeout: 10_000 };

type Application = {
  metadata: { name: string; namespace?: string };
  status?: { health?: { status?: string; message?: string } };
};

async function readApplication(
  request: APIRequestContext,
  name: string,
): Promise<Application> {
  const session = await request.post(`${FAKE_ARGOCD}/local/api/v1/session`, {
    data: { username: 'admin', password: 'password' },
  });
  const { token } = await session.json();
  const res = await request.get(
    `${FAKE_ARGOCD}/local/api/v1/applications/${name}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status()).toBe(200);
  return res.json();
}

async function writeApplication(request: APIRequestContext, app: Application) {
  const res = await request.put(`${FAKE_ARGOCD}/fake/applications/local`, {
    data: app,
  });
  expect(res.status()).toBe(200);
}

/** Changes orders-api-dev's health to Degraded with `message`, checks the open tab shows it, and puts it back. */
async function degradeAndRestore(
  page: Page,
  request: APIRequestContext,
  message: string,
  screenshot?: string,
) {
  const original = await readApplication(request, 'orders-api-dev');
  const panel = page.getByTestId('argocd-app-local-orders-api-dev');
  try {
    await writeApplication(request, {
      ...original,
      status: {
        ...original.status,
        health: { status: 'Degraded', message },
      },
    });
    await expect(panel).toContainText(message, LIVE);
    await expect(panel).toContainText('Degraded');
    await expectNotReloaded(page);
    if (screenshot) await keepScreenshot(page, screenshot);
  } finally {
    await writeApplication(request, original);
  }
  await expect(panel).not.toContainText(message, LIVE);
  await expectNotReloaded(page);
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
