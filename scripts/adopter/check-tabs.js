#!/usr/bin/env node
/*
 * node scripts/adopter/check-tabs.js BASE_URL
 *
 * Opens the fresh app (built, served by its backend) in Debian's Chromium
 * and checks that the Epicshelter entity tabs render on the seeded dev
 * environment: Argo CD (its applications from the fake Argo CD) and
 * Crossplane (its resources from the fake Kubernetes API). Screenshots go
 * next to the app (ADOPTER_SCREENSHOTS, default: the current directory).
 */
const path = require('node:path');
const { chromium } = require(require.resolve('playwright-core', {
  paths: [path.resolve(__dirname, '../..')],
}));

const base = process.argv[2];
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
  console.log(
    `[adopter] ok: the ${tab} tab of resource:dev renders ("${expected}")`,
  );
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
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  console.error(`[adopter] FAILED: ${error.message}`);
  process.exit(1);
});
