#!/usr/bin/env node
/* Prints one plain `total: N passed, N failed, N skipped` line for the run:
 * Jest and Playwright tests from their JSON reports, plus one check per stage
 * that has no tests of its own (type check, lint, build, ...). A test stage
 * that failed without a failing test in its report (a crash, a suite that did
 * not compile) counts as one more failure. */
const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
const read = name => {
  const file = path.join(dir, name);
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
};

const reports = {};
const jest = read('jest.json');
if (jest) {
  reports['unit-tests'] = {
    passed: jest.numPassedTests,
    failed: jest.numFailedTests + (jest.numRuntimeErrorTestSuites || 0),
    skipped: jest.numPendingTests + (jest.numTodoTests || 0),
  };
}
const pw = read('playwright.json');
if (pw && pw.stats) {
  reports.e2e = {
    passed: pw.stats.expected + (pw.stats.flaky || 0),
    failed: pw.stats.unexpected,
    skipped: pw.stats.skipped,
  };
}

let passed = 0;
let failed = 0;
let skipped = 0;
const stagesFile = path.join(dir, 'stages.txt');
const stages = fs.existsSync(stagesFile)
  ? fs.readFileSync(stagesFile, 'utf8').trim().split('\n').filter(Boolean)
  : [];
for (const line of stages) {
  const [name, counts] = line.split(': ');
  const stageFailed = !counts.startsWith('1 passed');
  const report = reports[name];
  if (report) {
    passed += report.passed;
    failed += report.failed + (stageFailed && report.failed === 0 ? 1 : 0);
    skipped += report.skipped;
  } else if (stageFailed) {
    failed += 1;
  } else {
    passed += 1;
  }
}
console.log(`total: ${passed} passed, ${failed} failed, ${skipped} skipped`);
