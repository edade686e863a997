import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { degraded, readApplication, writeApplication } from './fakeArgoCd';
import { changeAndRestoreLive, markDocument, signInAsGuest } from './helpers';

/**
 * Live pages (issue #16): a change in the cluster or in Argo CD reaches open
 * pages within seconds, without reload. The tests change Crossplane objects
 * in the fake Kubernetes API and applications in the fake Argo CD that
 * scripts/e2e.sh starts (their control routes `PUT /fake/objects` and
 * `PUT /fake/applications/<instance>`); the backends' watches see the
 * change, signal it, and the Crossplane tab, the environment page and the
 * Environments page fetch again. Each test puts things back as they were.
 */

const FAKE_KUBERNETES =
  process.env.FAKE_KUBERNETES_URL ?? 'http://127.0.0.1:7080';
/** A managed resource of the dev environment's orders-db (demo data). */
const INSTANCE =
  '/apis/rds.aws.m.upbound.io/v1beta1/namespaces/dev/instances/dev-orders-db-hk2x9';
/** The XR dev declares as its orders-db. */
const DATABASE =
  '/apis/platform.epicshelter.io/v1alpha1/namespaces/dev/databases/dev-orders-db';
/** The bucket XR dev declares as its storefront-assets (failing in the demo). */
const BUCKET =
  '/apis/platform.epicshelter.io/v1alpha1/namespaces/dev/buckets/dev-storefront-assets';
/** Within a few seconds: the signal is sent within a second of the change. */
const LIVE = { timeout: 10_000 };

type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  status?: { conditions?: Record<string, string>[] };
};

async function read(
  request: APIRequestContext,
  path: string,
): Promise<KubeObject> {
  const res = await request.get(`${FAKE_KUBERNETES}${path}`);
  expect(res.status()).toBe(200);
  return res.json();
}

async function write(request: APIRequestContext, object: KubeObject) {
  const res = await request.put(`${FAKE_KUBERNETES}/fake/objects`, {
    data: object,
  });
  expect(res.status()).toBe(200);
}

/** The object with these conditions instead of its own. */
const withConditions = (
  object: KubeObject,
  conditions: Record<string, string>[],
): KubeObject => ({
  ...object,
  status: {
    ...object.status,
    conditions: conditions.map(c => ({
      lastTransitionTime: new Date().toISOString(),
      ...c,
    })),
  },
});

/** The conditions of a healthy Crossplane object. */
const READY_AND_SYNCED = [
  { type: 'Ready', status: 'True', reason: 'Available' },
  { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
];

/**
 * Signs in and opens dev's page (its status card: the verdict and the other
 * findings), which does not say `message` yet; marks the document.
 */
async function openEnvironmentPage(page: Page, message: string) {
  await signInAsGuest(page);
  await page.goto('/catalog/default/resource/dev');
  await expect(page.getByTestId('environment-verdict').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(message)).toHaveCount(0);
  await markDocument(page);
}

test('the Crossplane tab shows a managed resource becoming Ready without reload', async ({
  page,
  request,
}) => {
  const original = await read(request, INSTANCE);
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/orders-api/crossplane');
  const node = page.getByTestId('crossplane-node-Instance-dev-orders-db-hk2x9');
  await expect(node).toContainText('Ready False');
  await markDocument(page);
  await changeAndRestoreLive(page, {
    change: () => write(request, withConditions(original, READY_AND_SYNCED)),
    changed: () => expect(node).toContainText('Ready True', LIVE),
    screenshot: 'live-crossplane-tab',
    restore: () => write(request, original),
    restored: () => expect(node).toContainText('Ready False', LIVE),
  });
});

test('the environment page shows a failing Crossplane resource without reload', async ({
  page,
  request,
}) => {
  const original = await read(request, DATABASE);
  const message = `e2e live change ${Date.now()}`;
  await openEnvironmentPage(page, message);
  await changeAndRestoreLive(page, {
    change: () =>
      write(
        request,
        withConditions(original, [
          { type: 'Ready', status: 'False', reason: 'ReconcileError', message },
          {
            type: 'Synced',
            status: 'False',
            reason: 'ReconcileError',
            message,
          },
        ]),
      ),
    changed: () => expect(page.getByText(message).first()).toBeVisible(LIVE),
    screenshot: 'live-environment-page',
    restore: () => write(request, original),
    restored: () => expect(page.getByText(message)).toHaveCount(0, LIVE),
  });
});

test('the Environments page follows the resource its verdict names without reload', async ({
  page,
  request,
}) => {
  // dev's verdict names its failing storefront-assets bucket (demo data)
  const original = await read(request, BUCKET);
  await signInAsGuest(page);
  await page.goto('/environments');
  const dev = page.getByTestId('environment-status-dev');
  await expect(dev).toHaveAttribute(
    'aria-label',
    /Bucket dev-storefront-assets is not ready/,
    { timeout: 30_000 },
  );
  const before = (await dev.getAttribute('aria-label'))!;
  await markDocument(page);
  await changeAndRestoreLive(page, {
    change: () => write(request, withConditions(original, READY_AND_SYNCED)),
    changed: () =>
      expect(dev).not.toHaveAttribute(
        'aria-label',
        /Bucket dev-storefront-assets is not ready/,
        LIVE,
      ),
    screenshot: 'live-environments-page',
    restore: () => write(request, original),
    restored: () => expect(dev).toHaveAttribute('aria-label', before, LIVE),
  });
});

test('the environment page shows its Argo CD application turning Degraded without reload', async ({
  page,
  request,
}) => {
  const original = await readApplication(request, 'local', 'dev-workloads');
  const message = `e2e live health ${Date.now()}`;
  await openEnvironmentPage(page, message);
  await changeAndRestoreLive(page, {
    change: () =>
      writeApplication(request, 'local', degraded(original, message)),
    changed: () =>
      expect(
        page
          .getByText(new RegExp(`dev-workloads .*is Degraded: ${message}`))
          .first(),
      ).toBeVisible(LIVE),
    screenshot: 'live-environment-page-argocd',
    restore: () => writeApplication(request, 'local', original),
    restored: () => expect(page.getByText(message)).toHaveCount(0, LIVE),
  });
});
