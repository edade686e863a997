import os from 'node:os';
import path from 'node:path';
import { expect, Locator, Page, test } from '@playwright/test';

/**
 * Keeps a full-page screenshot as a Playwright artifact: a file under
 * .data/e2e-artifacts and an attachment in the HTML report (.data/e2e-report).
 */
export async function keepScreenshot(page: Page, name: string) {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

/** Signs in as the guest user and waits for the sidebar. */
export async function signInAsGuest(page: Page) {
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

/** Reloads `path` until `check` passes (data that arrives within seconds). */
export async function eventually(
  page: Page,
  path: string,
  check: () => Promise<void>,
  timeout = 120_000,
) {
  await expect(async () => {
    await page.goto(path);
    await check();
  }).toPass({ timeout, intervals: [2_000, 3_000, 5_000] });
}

/** Marks the document: the mark is gone if the page reloads (see {@link expectNotReloaded}). */
export async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { liveMark: string }).liveMark = 'not reloaded';
  });
}

/** Fails when the page was reloaded since {@link markDocument}. */
export async function expectNotReloaded(page: Page) {
  expect(
    await page.evaluate(
      () => (window as unknown as { liveMark?: string }).liveMark,
    ),
  ).toBe('not reloaded');
}

/**
 * A change the open page (marked with {@link markDocument}) must show
 * without reload: makes it, waits for `changed`, checks the page was not
 * reloaded and keeps a screenshot under `screenshot`; then puts things back
 * (also when that failed) and waits for `restored`, still without reload.
 */
export async function changeAndRestoreLive(
  page: Page,
  steps: {
    change: () => Promise<void>;
    changed: () => Promise<void>;
    screenshot?: string;
    restore: () => Promise<void>;
    restored: () => Promise<void>;
  },
) {
  try {
    await steps.change();
    await steps.changed();
    await expectNotReloaded(page);
    if (steps.screenshot) await keepScreenshot(page, steps.screenshot);
  } finally {
    await steps.restore();
  }
  await steps.restored();
  await expectNotReloaded(page);
}

/**
 * Opens the side panel of a node of the open Crossplane graph and waits for
 * its conditions and its YAML (`kind: <kind>`); returns the panel.
 */
export async function openCrossplaneNodePanel(
  page: Page,
  kind: string,
  name: string,
): Promise<Locator> {
  await page.getByTestId(`crossplane-node-${kind}-${name}`).click();
  const panel = page.getByRole('dialog', { name: `${kind} ${name}` });
  await expect(
    panel.getByRole('heading', { name: 'Conditions' }),
  ).toBeVisible();
  await expect(panel).toContainText(`kind: ${kind}`);
  return panel;
}

/** What to fill in on the "Create environment" form; the rest keeps its defaults (local). */
export type EnvironmentForm = {
  name: string;
  /** The environment's description. */
  description?: string;
  /** A database to declare, by name. */
  database?: string;
  /** Workloads to deploy, picked from the apps of the GitOps repository. */
  workloads?: string[];
  /** Keeps a screenshot of the review step under this name. */
  reviewScreenshot?: string;
};

/**
 * Opens the "Create environment" form and fills in its first step (name,
 * description) as the guest, whose only group (checkout-team) the owner
 * picker selects by itself.
 */
export async function openEnvironmentForm(
  page: Page,
  form: Pick<EnvironmentForm, 'name' | 'description'>,
) {
  await page.goto('/create/templates/default/create-environment');
  await page.getByLabel('Name').first().fill(form.name);
  await expect(page.getByLabel('Owner').first()).toHaveValue('checkout-team');
  if (form.description) {
    await page.getByLabel('Description').first().fill(form.description);
  }
}

/**
 * From the form's first step, keeps where it runs (the defaults: local) and
 * fills in the resources step: the database and the workloads.
 */
export async function fillEnvironmentResources(
  page: Page,
  form: Pick<EnvironmentForm, 'database' | 'workloads'>,
) {
  for (let step = 0; step < 2; step++) {
    await page.getByRole('button', { name: 'Next' }).click();
  }
  if (form.database) {
    await page.getByRole('button', { name: 'Add Item' }).first().click();
    await page.getByLabel('Name').first().fill(form.database);
  }
  if (form.workloads?.length) {
    await page.getByLabel('Workloads').click();
    for (const workload of form.workloads) {
      await page.getByRole('option', { name: workload }).click();
    }
    await page.keyboard.press('Escape');
  }
}

/**
 * Creates an environment with the "Create environment" template's form as
 * the guest (owner: the guest's only group, checkout-team, which the picker
 * selects by itself) and waits for the task to finish. Returns the text of
 * the finished task's page.
 */
export async function createEnvironmentWithForm(
  page: Page,
  form: EnvironmentForm,
): Promise<string> {
  await openEnvironmentForm(page, form);
  await fillEnvironmentResources(page, form);
  await page.getByRole('button', { name: 'Review' }).click();
  if (form.reviewScreenshot) {
    await keepScreenshot(page, form.reviewScreenshot);
  }
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(
    page.getByRole('link', { name: 'Environment in the catalog' }),
  ).toBeVisible({ timeout: 120_000 });
  return page.locator('body').innerText();
}

/**
 * What names a place on the server that runs the portal: the checkout's
 * absolute path (and so its .data directories), a `.data/` directory named
 * as app-config names it (`../../.data/...`), the temporary directory
 * (scaffolder workspaces, TechDocs builds) and `file://` URLs.
 */
export const SERVER_PATHS = [
  path.resolve(__dirname, '..'),
  '../.data/',
  `${os.tmpdir()}/`,
  'file://',
];

/**
 * The server paths the page shows: in its visible text (also inside open
 * shadow roots, where TechDocs renders) and in any attribute (href, src,
 * title, aria-label, which MUI tooltips take their text from, data-*),
 * each with where it was found.
 */
export async function serverPathsOnPage(page: Page): Promise<string[]> {
  return page.evaluate(forbidden => {
    const found: string[] = [];
    const check = (where: string, value: string | null) => {
      for (const p of forbidden) {
        const at = value?.indexOf(p) ?? -1;
        if (value && at >= 0) {
          const around = value.slice(Math.max(0, at - 80), at + p.length + 80);
          found.push(`${where}: …${around}…`);
        }
      }
    };
    check('text', document.body.innerText);
    const visit = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        for (const attr of Array.from(el.attributes)) {
          check(`<${el.localName} ${attr.name}>`, attr.value);
        }
        if (el.shadowRoot) {
          check(`shadow text of <${el.localName}>`, el.shadowRoot.textContent);
          visit(el.shadowRoot);
        }
      }
    };
    visit(document);
    return found;
  }, SERVER_PATHS);
}

/** Fails naming each server path the page shows (see {@link serverPathsOnPage}). */
export async function expectNoServerPaths(page: Page, what = page.url()) {
  expect(await serverPathsOnPage(page), `server paths on ${what}`).toEqual([]);
}
