#!/usr/bin/env node
/* eslint-disable no-console */
// Compares freshly generated API reports with the committed copies, treating
// as sets the members of a union of string literals on one line, of a
// multi-line union (members start with `| ` at one indentation and may span
// several lines, e.g. `| ExtensionDataRef<` … `>`) and of an enum-like object
// type (consecutive `key: 'literal';` lines, as zod's enum types print):
// api-extractor prints both in TypeScript's type-creation order, which is not
// part of the API and differs between an incremental and a fresh build, and
// between generating one package and generating all of them. Usage:
// compare-api-reports.js DIR PKG...
const fs = require('fs');
const path = require('path');

const indent = line => line.length - line.trimStart().length;

// Sorts the members of one-line unions of string literals ('a' | 'b').
const sortInlineUnions = line =>
  line.replace(/'[^']*'(?: \| '[^']*')+/g, union =>
    union.split(' | ').sort().join(' | '),
  );

const UNION_MEMBER = /^\s*\| /;
const ENUM_MEMBER = /^\s*[\w$]+: '[^']*';$/;

// The lines from `start` that continue the member or entry begun on the
// line before (deeper indentation than `level`).
function continuation(lines, start, level) {
  let end = start;
  while (
    end < lines.length &&
    lines[end].trim() !== '' &&
    indent(lines[end]) > level
  ) {
    end++;
  }
  return end;
}

// Normalises a block of lines: union members (with their continuation
// lines, themselves normalised) and runs of enum-like entries are sorted.
function normalizeLines(lines) {
  const out = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const level = indent(line);
    if (UNION_MEMBER.test(line)) {
      const members = [];
      while (
        i < lines.length &&
        UNION_MEMBER.test(lines[i]) &&
        indent(lines[i]) === level
      ) {
        const end = continuation(lines, i + 1, level);
        members.push(
          [lines[i], ...normalizeLines(lines.slice(i + 1, end))].join('\n'),
        );
        i = end;
      }
      out.push(...members.sort());
    } else if (ENUM_MEMBER.test(line)) {
      const run = [];
      while (
        i < lines.length &&
        ENUM_MEMBER.test(lines[i]) &&
        indent(lines[i]) === level
      ) {
        run.push(lines[i]);
        i++;
      }
      out.push(...run.sort());
    } else {
      out.push(line);
      i++;
    }
  }
  return out;
}

function normalize(text) {
  return normalizeLines(text.split('\n').map(sortInlineUnions)).join('\n');
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
