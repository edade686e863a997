#!/usr/bin/env node
/*
 * node scripts/adopter/check-tabs.js BASE_URL GITOPS_REPOSITORY
 *
 * Opens the fresh app (built, served by its backend) in Debian's Chromium
 * and checks that the Epicshelter entity tabs render on the seeded dev
 * environment: Argo CD (its applications from the fake Argo CD) and
 * Crossplane (its resources from the fake Kubernetes API). Then creates an
 * environment with the Create environment form (its owner and workloads
 * pickers included) and checks its commit in GITOPS_REPOSITORY and its
 * entity in the catalog. Screenshots go next to the app
 * (ADOPTER_SCREENSHOTS, default: the current directory).
 */
const path = require('node:path');
const { chromium } = require(require.resolve('playwright-core', {
  paths: [path.resolve(__dirname, '../..')],
}));

const { portalClient, pass, run } = require('./portal-client');
const {
  gitopsHead,
  expectCommitted,
  expectInCatalog,
} = require('./environment-checks');

const [base, repository] = process.argv.slice(2);
if (!base || !repository) {
  console.error('usage: check-tabs.js BASE_URL GITOPS_REPOSITORY');
  process.exit(2);
}
const formEnv = 'adopter-form';
const shots = process.env.ADOPTER_SCREENSHOTS ?? '.';

/** The stock app's sign-in page: enter as the guest user. */
async function signIn(page) {
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.waitFor({ timeout: 60_000 });
  await enter.click();
  await enter.waitFor({ state: 'detached', timeout: 60_000 });
}

async function checkTab(page, tab, expected) {
  await page.goto(`${base}/catalog/default/resource/dev/${tab}`);
  try {
    await page.getByText(expected).first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await page.screenshot({
      path: path.join(shots, `${tab}-failed.png`),
      fullPage: true,
    });
    throw new Error(`the ${tab} tab of resource:dev shows no "${expected}"`);
  }
  await page.screenshot({
    path: path.join(shots, `${tab}.png`),
    fullPage: true,
  });
  pass(`the ${tab} tab of resource:dev renders ("${expected}")`);
}

/** The Create environment form, as a user fills it, up to the finished task. */
async function createWithForm(page) {
  await page.goto(`${base}/create/templates/default/create-environment`);
  await page.getByLabel('Name').first().fill(formEnv);
  // MyGroupsPicker picks the guest's only group by itself, once it has
  // loaded the guest's groups
  const owner = page.getByLabel('Owner').first();
  await owner.waitFor({ timeout: 60_000 });
  const deadline = Date.now() + 60_000;
  while ((await owner.inputValue()) !== 'guests') {
    if (Date.now() > deadline) {
      throw new Error(
        `the form's owner picker offers "${await owner.inputValue()}", not the guest's group guests`,
      );
    }
    await page.waitForTimeout(500);
  }
  for (let step = 0; step < 2; step++) {
    await page.getByRole('button', { name: 'Next' }).click();
  }
  await page.getByRole('button', { name: 'Add Item' }).first().click();
  await page.getByLabel('Name').first().fill('form-db');
  // the environments plugin's EnvironmentWorkloadsPicker
  await page.getByLabel('Workloads').click();
  await page.getByRole('option', { name: 'storefront' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();
  const done = page.getByRole('link', { name: 'Environment in the catalog' });
  try {
    await done.waitFor({ timeout: 180_000 });
  } catch (error) {
    await page.screenshot({
      path: path.join(shots, 'create-environment-failed.png'),
      fullPage: true,
    });
    throw new Error(
      `the Create environment task started from the form did not finish: ${(
        await page.locator('body').innerText()
      ).slice(-600)}`,
    );
  }
  await page.screenshot({
    path: path.join(shots, 'create-environment.png'),
    fullPage: true,
  });
  pass(`the Create environment form created ${formEnv}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(base);
    await signIn(page);
    await checkTab(page, 'argocd', 'dev-workloads');
    await checkTab(page, 'crossplane', 'dev/dev-orders-cache');

    const before = gitopsHead(repository);
    await createWithForm(page);
    expectCommitted(repository, before, formEnv);
    const { getJson, guestToken } = portalClient(base);
    await expectInCatalog(getJson, await guestToken(), formEnv);
  } finally {
    await browser.close();
  }
}

run(main);
