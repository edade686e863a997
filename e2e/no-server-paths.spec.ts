import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, Locator, Page, test } from '@playwright/test';
import { expectNoServerPaths, SERVER_PATHS, signInAsGuest } from './helpers';

/**
 * Issue #11, "no server paths on any page", swept in the browser: every page
 * and tab the portal has for an environment (dev), a component (orders-api)
 * and the plugins — the Environments page and its matrix, the entity tabs,
 * a Crossplane node's details panel, the decommission page, a GitOps commit
 * page, each template's form pages, a finished task's page and log, and the
 * plugins' and the blueprint's docs — shows no path of the server (see
 * SERVER_PATHS in helpers.ts) in its text, links or attributes, nor in the
 * tooltips that open on hover.
 */

/** The GitOps repository scripts/e2e.sh seeds and the portal reads. */
const E2E_REPOSITORY = path.resolve(
  __dirname,
  '../.data/e2e-gitops-repository',
);

test.beforeEach(async ({ page }) => {
  await signInAsGuest(page);
});

/** Waits for a page's data: no progress indicator left, the network quiet. */
async function settled(page: Page) {
  // Indeterminate ones: a determinate bar (a finished task's) stays.
  await expect(
    page.locator('[role="progressbar"]:not([aria-valuenow])'),
  ).toHaveCount(0, {
    timeout: 60_000,
  });
  await page
    .waitForLoadState('networkidle', { timeout: 10_000 })
    .catch(() => undefined); // live pages keep a stream open
}

/**
 * Hovers the page's elements that carry a tooltip (MUI puts the tooltip's
 * text in the element's aria-label) and checks the page while each is open.
 */
async function hoverTooltips(
  page: Page,
  scope: Locator = page.locator('main'),
) {
  const targets = scope.locator(
    '[aria-label]:not(a):not(button):not(input):not([role="tab"]):not([role="navigation"]):not([role="region"])',
  );
  const count = Math.min(await targets.count(), 25);
  for (let i = 0; i < count; i++) {
    const target = targets.nth(i);
    if (!(await target.isVisible())) continue;
    // Over another element (a sticky header): its own mouseover.
    await target
      .hover({ timeout: 3_000 })
      .catch(() => target.dispatchEvent('mouseover'));
    await page.waitForTimeout(200);
    await expectNoServerPaths(page, `${page.url()} (hovering ${i})`);
  }
  await page.mouse.move(0, 0);
}

/** The entity's tabs (the content navigation's links), as paths. */
async function tabsOf(page: Page, entityPath: string): Promise<string[]> {
  await page.goto(entityPath);
  const nav = page.getByRole('navigation', { name: 'Content navigation' });
  await expect(nav.getByRole('link').first()).toBeVisible();
  const hrefs = await nav
    .getByRole('link')
    .evaluateAll(links => links.map(l => l.getAttribute('href') ?? ''));
  return [...new Set(hrefs.filter(h => h.startsWith(entityPath)))];
}

/** Visits each tab of the entity, waits for its data, checks it and its tooltips. */
async function sweepEntity(
  page: Page,
  entityPath: string,
  expected: string[],
): Promise<string[]> {
  const tabs = await tabsOf(page, entityPath);
  for (const tab of expected) expect(tabs).toContain(`${entityPath}${tab}`);
  for (const tab of tabs) {
    await page.goto(tab);
    await settled(page);
    await expectNoServerPaths(page);
    await hoverTooltips(page);
  }
  return tabs;
}

/**
 * The entity's Inspect dialog (its header's button): its overview and raw YAML
 * show every annotation, where a location names the repository.
 */
async function expectInspectWithoutServerPaths(page: Page, entityPath: string) {
  await page.goto(entityPath);
  await page.getByRole('button', { name: 'Inspect entity' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('backstage.io/managed-by-location');
  await expectNoServerPaths(page, `the Inspect dialog of ${entityPath}`);
  await dialog.getByRole('tab', { name: /raw yaml/i }).click();
  await expect(dialog).toContainText('apiVersion');
  await expectNoServerPaths(page, `the raw YAML of ${entityPath}`);
}

test('the Environments page and its promotion matrix', async ({ page }) => {
  await page.goto('/environments');
  await expect(page.getByTestId('environment-status-dev')).toBeVisible();
  await expect(page.getByTestId('promotion-matrix')).toBeVisible();
  await settled(page);
  await expectNoServerPaths(page);
  await hoverTooltips(page);
});

test("an environment's tabs: Overview, Deployments, Infrastructure, Lifecycle, Argo CD, Kubernetes", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/catalog/default/resource/dev');
  await expect(page.getByTestId('environment-verdict').first()).toBeVisible();
  await sweepEntity(page, '/catalog/default/resource/dev', [
    '/deployments',
    '/infrastructure',
    '/lifecycle',
    '/argocd',
    '/kubernetes',
  ]);
  await expectInspectWithoutServerPaths(page, '/catalog/default/resource/dev');
});

test("a component's tabs, with a Crossplane node's details panel open", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const component = '/catalog/default/component/orders-api';
  await sweepEntity(page, component, ['/argocd', '/crossplane']);

  await page.goto(`${component}/argocd`);
  await expect(page.getByText('orders-api-dev').first()).toBeVisible();
  await expectNoServerPaths(page);

  await page.goto(`${component}/crossplane`);
  await expect(page.getByText(/Desired \(Git\) vs live/).first()).toBeVisible();
  const node = page.getByTestId('crossplane-node-Instance-dev-orders-db-hk2x9');
  await node.click();
  const panel = page.getByRole('dialog', {
    name: 'Instance dev-orders-db-hk2x9',
  });
  await expect(panel).toContainText('kind: Instance');
  await settled(page);
  await expectNoServerPaths(page, 'the Crossplane node details panel');
  await hoverTooltips(page, panel);
});

test('the GitOps commit page and the decommission page', async ({ page }) => {
  // The last commit that changed dev (earlier specs add commits of their
  // own environments on top of what e2e.sh seeds).
  const sha = execFileSync(
    'git',
    [
      '-C',
      E2E_REPOSITORY,
      'log',
      '-1',
      '--format=%H',
      'main',
      '--',
      'environments/dev/environment.yaml',
    ],
    { encoding: 'utf8' },
  ).trim();
  await page.goto(`/gitops/commits/${sha}`);
  await expect(page.getByTestId('gitops-commit')).toContainText(
    'environments/dev/environment.yaml',
  );
  await settled(page);
  await expectNoServerPaths(page);

  await page.goto('/decommissions/dev');
  await settled(page);
  await expectNoServerPaths(page);
});

/** The title of the form's current step. */
const activeStep = (page: Page) =>
  page
    .locator(
      '.MuiStepLabel-label.MuiStepLabel-active, .MuiStepLabel-label.Mui-active',
    )
    .first()
    .innerText();

/** Picks the first option of each empty pick list (entity pickers) of the step. */
async function pickFirstOptions(page: Page) {
  const boxes = page.locator(
    'form input[aria-autocomplete], form input[role="combobox"]',
  );
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    if (!(await box.isVisible()) || (await box.inputValue())) continue;
    await box.click();
    await page.keyboard.press('ArrowDown');
    const option = page.getByRole('option').first();
    const listed = await option.waitFor({ timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (listed) await option.click();
    await page.keyboard.press('Escape');
  }
}

/**
 * Walks a template's form from its first step, checking each step, until
 * the review (checked too) or a step its empty fields stop at (the
 * validation messages checked).
 */
async function sweepForm(
  page: Page,
  fill?: () => Promise<void>,
): Promise<string> {
  await expect(page.getByRole('button', { name: /Next|Review/ })).toBeVisible({
    timeout: 60_000,
  });
  await settled(page);
  await fill?.();
  for (let step = 0; step < 8; step++) {
    await expectNoServerPaths(page, `${page.url()} step ${step + 1}`);
    await hoverTooltips(page);
    const review = page.getByRole('button', { name: 'Review' });
    const next = review.or(page.getByRole('button', { name: 'Next' }));
    const heading = await activeStep(page);
    await pickFirstOptions(page);
    await next.first().click();
    await settled(page);
    if (await page.getByRole('button', { name: 'Create' }).isVisible()) {
      await expectNoServerPaths(page, `${page.url()} review`);
      return 'the review';
    }
    const now = await activeStep(page);
    if (now === heading) {
      // Stopped by validation: the messages must not name the server either.
      await expectNoServerPaths(page, `${page.url()} validation`);
      return `step ${now}, stopped by its validation`;
    }
  }
  return 'step 8';
}

for (const template of [
  'create-environment',
  'add-resource',
  'promote-workload',
  'extend-environment',
  'bootstrap-gitops-repository',
]) {
  test(`the ${template} template's form pages`, async ({ page }) => {
    await page.goto(`/create/templates/default/${template}`);
    const reached = await sweepForm(
      page,
      template === 'create-environment'
        ? () => page.getByLabel('Name').first().fill('no-paths')
        : undefined,
    );
    test.info().annotations.push({ type: 'reached', description: reached });
  });
}

test("the decommission template's form pages and the finished task's page and log", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/catalog/default/resource/dev');
  await page.getByTestId('decommission-environment').click();
  await expect(page.getByText('Decommission an environment')).toBeVisible();
  await sweepForm(page);
  // Preview only (the default): the task plans and changes nothing.
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText('What goes', { exact: true })).toBeVisible({
    timeout: 120_000,
  });
  await settled(page);
  await expectNoServerPaths(page, 'the finished task page');
  // Its log: shown on the page (only the lines in view are rendered),
  // and whole as the page's download.
  const showLogs = page.getByRole('button', { name: 'Show Logs' });
  if (await showLogs.isVisible()) await showLogs.click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download logs' }).click(),
  ]);
  const log = fs.readFileSync(await download.path(), 'utf8');
  expect(log).toMatch(/Beginning step/);
  expect(
    SERVER_PATHS.filter(p => log.includes(p)),
    'server paths in the task log',
  ).toEqual([]);
  await expectNoServerPaths(page, 'the finished task page and log');
  await hoverTooltips(page);
});

/** The first heading of a TechDocs page's content (in its shadow root). */
const docsHeading = (page: Page) => page.locator('.md-content h1').first();

test("the Docs page, the plugins' and the blueprint's docs, page by page", async ({
  page,
}) => {
  test.setTimeout(600_000);
  await page.goto('/docs');
  await expect(page.getByText('All (7)').first()).toBeVisible();
  await settled(page);
  await expectNoServerPaths(page);
  // The sites' links: /docs/<namespace>/<kind>/<name>.
  const sites = await page
    .locator('a[href*="/docs/default/"]')
    .evaluateAll(links => [
      ...new Set(
        links
          .map(l => (l as HTMLAnchorElement).pathname.replace(/\/$/, ''))
          .filter(p => /^\/docs\/[^/]+\/[^/]+\/[^/]+$/.test(p)),
      ),
    ]);
  expect(sites.length).toBe(7);
  for (const site of sites) {
    await page.goto(site);
    // Built on first view by the backend's mkdocs: the page's heading.
    await expect(docsHeading(page)).toBeVisible({ timeout: 120_000 });
    await expectNoServerPaths(page);
    // Each page of the site, from its own navigation.
    const pages = await page
      .locator(`a[href*="${site}/"]`)
      .evaluateAll(links => [
        ...new Set(
          links
            .map(l => l as HTMLAnchorElement)
            .filter(l => l.origin === window.location.origin)
            .map(l => l.pathname),
        ),
      ]);
    for (const docsPage of pages) {
      await page.goto(docsPage);
      await expect(docsHeading(page)).toBeVisible({ timeout: 60_000 });
      await expectNoServerPaths(page);
    }
  }
});
