import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

/**
 * README screenshots (scripts/screenshots.sh): e2e/screenshots.ts only, at
 * 1280x800, against the portal the script starts. Separate from the e2e
 * stage, whose config matches only *.spec.ts files.
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'screenshots.ts',
  timeout: 300_000,
  reporter: [['list']],
  outputDir: '../.data/screenshots-artifacts',
  use: {
    ...base.use,
    viewport: { width: 1280, height: 800 },
    screenshot: 'off',
    trace: 'off',
  },
});
