import { expect, Page, Response, test } from '@playwright/test';
import {
  createEnvironmentWithForm,
  eventually,
  keepScreenshot,
  signInAsGuest,
} from './helpers';

/**
 * The whole journey on the sandbox: an environment created with the form is
 * picked up by the fake Argo CD from the embedded GitOps repository (as the
 * ApplicationSets would), its applications become Synced/Healthy, the fake
 * Kubernetes API serves its Crossplane resources and workloads, the
 * Kubernetes tab shows them without errors, and its lifecycle reaches Ready.
 * Then what its pages show: no duplicate tabs, owner and System as links,
 * no file:// link and no path of the machine, and a portal page for the
 * commit that created it.
 */

const ENV = 'e2e-journey';

/** Nothing on the page links to file:// or shows the checkout's path. */
async function expectNoServerPaths(page: Page) {
  await expect(page.locator('a[href^="file:"]')).toHaveCount(0);
  const text = await page.locator('body').innerText();
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain('file://');
}

test('an environment created with the form goes all the way on the sandbox: Argo CD Synced/Healthy, Crossplane resources, Kubernetes tab, lifecycle Ready', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await signInAsGuest(page);

  // Create it with a database and the storefront workload.
  const published = await createEnvironmentWithForm(page, {
    name: ENV,
    database: 'journey-db',
    workloads: ['storefront'],
  });
  const sha = /Commit\s+([0-9a-f]{40})\s+on branch/.exec(published)?.[1];
  expect(sha, 'the task names the commit it published').toBeTruthy();
  await keepScreenshot(page, 'journey-created');

  // The change links to the portal's page of that commit, not to file://.
  const change = page.getByRole('link', {
    name: /Change \(pull request or repository\)/,
  });
  await expect(change).toHaveAttribute('href', `/gitops/commits/${sha}`);
  await page.goto(`/gitops/commits/${sha}`);
  await expect(page.getByTestId('gitops-commit')).toContainText(
    `environments/${ENV}/environment.yaml`,
  );
  await expectNoServerPaths(page);
  await keepScreenshot(page, 'journey-commit');

  // Argo CD: the ApplicationSets' two applications, Synced and Healthy.
  await eventually(
    page,
    `/catalog/default/resource/${ENV}/argocd`,
    async () => {
      for (const layer of ['workloads', 'infrastructure']) {
        const app = page.getByTestId(`argocd-app-local-${ENV}-${layer}`);
        await expect(app).toContainText('Synced', { timeout: 5_000 });
        await expect(app).toContainText('Healthy', { timeout: 5_000 });
      }
    },
  );
  await expect(page.getByText(/Sandbox data/).first()).toBeVisible();
  await expectNoServerPaths(page);
  await keepScreenshot(page, 'journey-argocd');

  // Crossplane: the declared database, served by the fake Kubernetes API.
  await eventually(
    page,
    `/catalog/default/resource/${ENV}/infrastructure`,
    async () => {
      await expect(
        page.getByTestId(`crossplane-node-Database-${ENV}-journey-db`),
      ).toBeVisible({ timeout: 10_000 });
    },
  );
  await expect(page.getByTestId('crossplane-sandbox-banner')).toBeVisible();
  await keepScreenshot(page, 'journey-crossplane');

  // Kubernetes: its workload on the sandbox cluster, and no failed request.
  const failed: string[] = [];
  const onResponse = (r: Response) => {
    if (r.url().includes('/api/kubernetes/') && r.status() >= 400) {
      failed.push(`${r.status()} ${r.url()}`);
    }
  };
  page.on('response', onResponse);
  await eventually(
    page,
    `/catalog/default/resource/${ENV}/kubernetes`,
    async () => {
      await expect(
        page.getByText(/Sandbox data: fake Kubernetes API/).first(),
      ).toBeVisible({ timeout: 10_000 });
      await expect(page.getByText('No pods with errors')).toBeVisible({
        timeout: 10_000,
      });
    },
  );
  await expect(page.getByText(/^\d+ pods?$/).first()).toBeVisible();
  // the cluster's panel lists the workload's Deployment
  await page
    .getByText(/Sandbox data: fake Kubernetes API/)
    .first()
    .click();
  await expect(page.getByText('storefront').first()).toBeVisible();
  await expect(page.getByText(/problem retrieving/i)).toHaveCount(0);
  await expect(page.getByText(/Error communicating/i)).toHaveCount(0);
  page.off('response', onResponse);
  expect(failed).toEqual([]);
  await keepScreenshot(page, 'journey-kubernetes');

  // Lifecycle: from request to ready.
  await eventually(
    page,
    `/catalog/default/resource/${ENV}/lifecycle`,
    async () => {
      await expect(page.getByTestId('lifecycle-state')).toContainText('Ready', {
        timeout: 10_000,
      });
    },
    180_000,
  );
  await keepScreenshot(page, 'journey-lifecycle');

  // Its page: one tab per view, owner and System as links, no server path.
  await page.goto(`/catalog/default/resource/${ENV}`);
  const contentNav = page.getByRole('navigation', {
    name: 'Content navigation',
  });
  await expect(
    contentNav.getByRole('link', { name: 'Lifecycle' }),
  ).toBeVisible();
  const tabs = (await contentNav.getByRole('link').allTextContents()).map(t =>
    t.trim(),
  );
  expect(new Set(tabs).size).toBe(tabs.length);
  expect(tabs).toEqual(
    expect.arrayContaining([
      'Overview',
      'Deployments',
      'Infrastructure',
      'Lifecycle',
      'Argo CD',
      'Kubernetes',
    ]),
  );
  expect(tabs).not.toContain('Environment');
  expect(tabs).not.toContain('Crossplane');
  // About: the owner and the System are entity links
  await expect(
    page.locator('a[href$="/catalog/default/group/checkout-team"]').first(),
  ).toBeVisible();
  await expect(
    page.locator('a[href$="/catalog/default/system/environments"]').first(),
  ).toBeVisible();
  await expectNoServerPaths(page);
  await keepScreenshot(page, 'journey-overview');

  // The component it deploys shows the database it uses.
  await page.goto('/catalog/default/component/storefront');
  await expect(
    page.getByRole('link', { name: new RegExp(`journey-db`) }).first(),
  ).toBeVisible();
  await expectNoServerPaths(page);
});
