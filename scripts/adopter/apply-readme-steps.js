#!/usr/bin/env node
/*
 * node scripts/adopter/apply-readme-steps.js APP TARBALLS PKG...
 *
 * Applies to the fresh app APP the install steps the plugins' READMEs
 * document, and nothing else:
 * - `yarn --cwd packages/app add ...` / `yarn --cwd packages/backend add ...`
 *   (here: the packed tarballs of TARBALLS, and root resolutions so that the
 *   plugins' own @epicshelter dependencies resolve to their tarballs too);
 * - `backend.add(import('...'))` in packages/backend/src/index.ts;
 * - no frontend code: the app of create-app has `app.packages: all`, which
 *   the frontend READMEs say discovers the plugins;
 * - the Create environment template copied from this repository into the
 *   app (templates/create-environment/template.yaml) and registered in
 *   catalog.locations of its app-config.yaml, as the scaffolder module's
 *   README shows;
 * - app-config.epicshelter.yaml with the keys the READMEs document, pointed
 *   at the fakes (written by run-backend.sh, counted here).
 * Prints "adopter lines: N": the lines an adopter writes.
 */
const fs = require('node:fs');
const path = require('node:path');
const { adopterConfigLines } = require('./adopter-config');

const [app, tarballs, ...packages] = process.argv.slice(2);
if (!app || !tarballs || packages.length === 0) {
  console.error('usage: apply-readme-steps.js APP TARBALLS PKG...');
  process.exit(2);
}
const repoRoot = path.resolve(__dirname, '../..');

// The packages the READMEs' "Install" sections add, by app package.
const frontend = ['argocd', 'crossplane', 'environments'];
const backend = [
  'argocd-backend',
  'crossplane-backend',
  'environments-backend',
  'catalog-backend-module-gitops',
  'scaffolder-backend-module-gitops',
];

const nameOf = dir =>
  JSON.parse(
    fs.readFileSync(
      path.join(repoRoot, 'plugins', dir, 'package.json'),
      'utf8',
    ),
  ).name;
const tarball = dir => `file:${path.resolve(tarballs, `${dir}.tgz`)}`;

function readmeMentions(dir, text) {
  const readme = fs.readFileSync(
    path.join(repoRoot, 'plugins', dir, 'README.md'),
    'utf8',
  );
  return readme.includes(text);
}

// Every step applied below must be in the README of its package; checked
// before anything is written, so a README fix and a rerun are enough.
const missing = [];
for (const [appPackage, dirs] of [
  ['app', frontend],
  ['backend', backend],
]) {
  for (const dir of dirs) {
    const step = `yarn --cwd packages/${appPackage} add ${nameOf(dir)}`;
    if (!readmeMentions(dir, step)) missing.push(`${dir}: "${step}"`);
  }
}
for (const dir of backend) {
  const step = `backend.add(import('${nameOf(dir)}'));`;
  if (!readmeMentions(dir, step)) missing.push(`${dir}: "${step}"`);
}
for (const dir of frontend) {
  if (!readmeMentions(dir, 'app.packages: all')) {
    missing.push(`${dir}: frontend discovery with app.packages: all`);
  }
}
// The template registration of the scaffolder module's README.
const templateFile = 'templates/create-environment/template.yaml';
const templateLocation = [
  '- type: file',
  `  target: ../../${templateFile}`,
  '  rules:',
  '    - allow: [Template]',
];
if (
  !readmeMentions(
    'scaffolder-backend-module-gitops',
    `${templateLocation.join('\n')}\n`,
  )
) {
  missing.push(
    `scaffolder-backend-module-gitops: the catalog.locations entry of ${templateFile}`,
  );
}
if (missing.length > 0) {
  console.error(
    `READMEs do not document these install steps:\n${missing.join('\n')}`,
  );
  process.exit(1);
}

const lines = [];
function editJson(file, edit) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

function addDependencies(appPackage, dirs) {
  editJson(path.join(app, 'packages', appPackage, 'package.json'), json => {
    for (const dir of dirs) {
      const name = nameOf(dir);
      json.dependencies[name] = tarball(dir);
      lines.push(`yarn --cwd packages/${appPackage} add ${name}`);
    }
  });
}
addDependencies('app', frontend);
addDependencies('backend', backend);

// Not adopter lines: stand-ins for the registry the packages would come from.
editJson(path.join(app, 'package.json'), json => {
  json.resolutions = json.resolutions ?? {};
  for (const dir of packages) json.resolutions[nameOf(dir)] = tarball(dir);
});

const indexFile = path.join(app, 'packages/backend/src/index.ts');
const index = fs.readFileSync(indexFile, 'utf8');
const adds = backend.map(dir => {
  const line = `backend.add(import('${nameOf(dir)}'));`;
  lines.push(line);
  return line;
});
if (index.includes('@epicshelter/')) {
  throw new Error(`${indexFile} already adds Epicshelter plugins`);
}
if (!index.includes('backend.start();')) {
  throw new Error(
    `${indexFile} has no backend.start(); to add the plugins before`,
  );
}
fs.writeFileSync(
  indexFile,
  index.replace('backend.start();', `${adds.join('\n')}\n\nbackend.start();`),
);

// The template, copied as the adopter would, and its catalog location
// added to the stock app-config.yaml's list (a second config file would
// replace that list, not extend it).
fs.mkdirSync(path.dirname(path.join(app, templateFile)), { recursive: true });
fs.copyFileSync(
  path.join(repoRoot, templateFile),
  path.join(app, templateFile),
);
const appConfigFile = path.join(app, 'app-config.yaml');
const appConfig = fs.readFileSync(appConfigFile, 'utf8');
const locationsAt = /^catalog:\n(?:(?: {2}.*|\s*)\n)*? {2}locations:\n/m.exec(
  appConfig,
);
if (!locationsAt) {
  throw new Error(`${appConfigFile} has no catalog.locations to add to`);
}
const insertAt = locationsAt.index + locationsAt[0].length;
fs.writeFileSync(
  appConfigFile,
  appConfig.slice(0, insertAt) +
    templateLocation.map(line => `    ${line}\n`).join('') +
    appConfig.slice(insertAt),
);
lines.push(...templateLocation);

const configLines = adopterConfigLines();
lines.push(...configLines);
console.log(
  `adopter lines: ${lines.length} (${
    frontend.length + backend.length
  } package adds, ` +
    `${adds.length} backend.add, 0 frontend code, ${templateLocation.length} template location, ${configLines.length} config)`,
);
