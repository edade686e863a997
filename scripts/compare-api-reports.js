#!/usr/bin/env node
/* eslint-disable no-console */
// Compares freshly generated API reports with the committed copies, treating
// as sets the members of a union of string literals on one line, of a multi-line union (consecutive lines that start
// with `| `) and of an enum-like object type (consecutive `key: 'literal';`
// lines, as zod's enum types print): api-extractor prints both in
// TypeScript's type-creation order, which is not part of the API and differs
// between an incremental and a fresh build. Usage:
// compare-api-reports.js DIR PKG...
const fs = require('fs');
const path = require('path');

const indent = line => line.length - line.trimStart().length;

// Sorts the members of one-line unions of string literals ('a' | 'b').
const sortInlineUnions = line =>
  line.replace(/'[^']*'(?: \| '[^']*')+/g, union =>
    union.split(' | ').sort().join(' | '),
  );

function normalize(text) {
  const lines = text.split('\n').map(sortInlineUnions);
  const out = [];
  let run = [];
  const flush = () => {
    out.push(...run.sort());
    run = [];
  };
  const unordered = /^\s*(\| |[\w$]+: '[^']*';$)/;
  for (const line of lines) {
    if (
      unordered.test(line) &&
      (run.length === 0 || indent(run[0]) === indent(line))
    ) {
      run.push(line);
    } else if (unordered.test(line)) {
      flush();
      run.push(line);
    } else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}

function reportsOf(dir) {
  return fs.existsSync(dir)
    ? fs.readdirSync(dir).filter(f => /^report.*\.api\.md$/.test(f))
    : [];
}

const [committedDir, ...packages] = process.argv.slice(2);
let failed = 0;
for (const pkg of packages) {
  const committed = reportsOf(path.join(committedDir, pkg));
  const generated = reportsOf(pkg);
  for (const name of new Set([...committed, ...generated])) {
    const label = `${pkg}/${name}`;
    if (!generated.includes(name)) {
      console.error(
        `${label}: committed, but the package no longer has this entry point`,
      );
      failed++;
      continue;
    }
    if (!committed.includes(name)) {
      console.error(
        `${label}: not committed; run bash scripts/api-reports.sh --update and commit it`,
      );
      failed++;
      continue;
    }
    const before = fs.readFileSync(path.join(committedDir, pkg, name), 'utf8');
    const after = fs.readFileSync(path.join(pkg, name), 'utf8');
    if (normalize(before) !== normalize(after)) {
      console.error(
        `${label}: the public API changed; run bash scripts/api-reports.sh --update, review and commit the report`,
      );
      failed++;
    }
  }
}
console.log(
  `api-reports: ${packages.length} packages, ${failed} report(s) differ`,
);
process.exit(failed ? 1 : 0);
