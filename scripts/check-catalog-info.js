#!/usr/bin/env node
/* Checks that catalog-info.yaml registers every workspace package as a
 * Component and every template under templates/ as a Location target. */
const fs = require('fs');
const path = require('path');
const { parseAllDocuments } = require('yaml');

const root = path.resolve(__dirname, '..');
const docs = parseAllDocuments(
  fs.readFileSync(path.join(root, 'catalog-info.yaml'), 'utf8'),
).map(d => d.toJS());
const components = new Map(
  docs
    .filter(d => d.kind === 'Component')
    .map(d => [d.metadata.annotations?.['epicshelter.io/package-path'], d]),
);
const locationTargets = new Set(
  docs
    .filter(d => d.kind === 'Location')
    .flatMap(d => [d.spec.target, ...(d.spec.targets || [])].filter(Boolean)),
);

const problems = [];
for (const group of ['packages', 'plugins']) {
  for (const name of fs.readdirSync(path.join(root, group))) {
    const rel = `${group}/${name}`;
    if (!fs.existsSync(path.join(root, rel, 'package.json'))) continue;
    if (!components.has(rel)) {
      problems.push(
        `${rel}: no Component in catalog-info.yaml has annotation epicshelter.io/package-path: ${rel}`,
      );
    }
  }
}
for (const [rel] of components) {
  if (rel && !fs.existsSync(path.join(root, rel, 'package.json'))) {
    problems.push(
      `catalog-info.yaml: Component for ${rel} but that package does not exist`,
    );
  }
}
const templatesDir = path.join(root, 'templates');
if (fs.existsSync(templatesDir)) {
  for (const name of fs.readdirSync(templatesDir)) {
    const file = `./templates/${name}/template.yaml`;
    if (!fs.existsSync(path.join(root, file))) continue;
    if (!locationTargets.has(file)) {
      problems.push(`${file}: not a Location target in catalog-info.yaml`);
    }
  }
}
for (const target of locationTargets) {
  if (!fs.existsSync(path.join(root, target))) {
    problems.push(
      `catalog-info.yaml: Location target ${target} does not exist`,
    );
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(
  `catalog-info.yaml covers ${components.size} packages and ${locationTargets.size} templates`,
);
