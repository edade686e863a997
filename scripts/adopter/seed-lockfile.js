#!/usr/bin/env node
/*
 * node scripts/adopter/seed-lockfile.js REPO_LOCK APP
 *
 * create-app seeds a new app's yarn.lock with the lockfile of its Backstage
 * release (fetched from GitHub, which this machine cannot reach); without
 * it, the app's ranges resolve to the newest packages, which need newer
 * Backstage cores than the ranges allow (e.g. signals-backend 0.3.21 on
 * backend-defaults 0.18.0). This writes APP/yarn.lock from this
 * repository's lockfile (the same Backstage release) instead: every range
 * of the app's package.json files that a locked version satisfies is added
 * to that version's entry, so yarn keeps the versions this repository runs.
 */
const fs = require('node:fs');
const path = require('node:path');
const semver = require(require.resolve('semver', {
  paths: [path.resolve(__dirname, '../..')],
}));

const [repoLock, app] = process.argv.slice(2);
const lines = fs.readFileSync(repoLock, 'utf8').split('\n');

// Top-level entries: the key line's index, package name, locked version.
const entries = new Map();
lines.forEach((line, i) => {
  if (!line.startsWith('"') || !line.endsWith(':')) return;
  const first = line.slice(1).split(',')[0].replace(/"$/, '').trim();
  const at = first.indexOf('@', 1);
  const name = first.slice(0, at);
  const version = /^ {2}version: (.+)$/.exec(lines[i + 1] ?? '')?.[1];
  if (!version || !first.slice(at + 1).startsWith('npm:')) return;
  if (!entries.has(name)) entries.set(name, []);
  entries.get(name).push({ index: i, version, key: line });
});

const manifests = [
  'package.json',
  'packages/app/package.json',
  'packages/backend/package.json',
];
let added = 0;
for (const manifest of manifests) {
  const json = JSON.parse(fs.readFileSync(path.join(app, manifest), 'utf8'));
  for (const [name, range] of Object.entries({
    ...json.dependencies,
    ...json.devDependencies,
  })) {
    const candidates = (entries.get(name) ?? []).filter(e =>
      semver.satisfies(e.version, range),
    );
    if (candidates.length === 0) continue;
    const descriptor = `${name}@npm:${range}`;
    if (
      candidates.some(
        e =>
          lines[e.index].includes(`${descriptor}"`) ||
          lines[e.index].includes(`${descriptor},`),
      )
    )
      continue;
    const best = candidates.sort((a, b) =>
      semver.rcompare(a.version, b.version),
    )[0];
    lines[best.index] = `${lines[best.index].slice(0, -2)}, ${descriptor}":`;
    added += 1;
  }
}
fs.writeFileSync(path.join(app, 'yarn.lock'), lines.join('\n'));
console.log(
  `[adopter] yarn.lock seeded from the repository's (${added} ranges of the app pinned to its versions)`,
);
