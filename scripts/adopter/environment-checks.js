/*
 * What a Create environment run must leave behind in the fresh app: its
 * commit in the adopter's local GitOps repository and its catalog entity.
 * Used by run-template.js (REST API) and check-tabs.js (the form).
 */
const { execFileSync } = require('node:child_process');
const { eventually, pass } = require('./portal-client');

const git = (repository, ...args) =>
  execFileSync('git', ['-C', repository, ...args], { encoding: 'utf8' }).trim();

/** The head of main of the GitOps repository. */
function gitopsHead(repository) {
  return git(repository, 'rev-parse', 'main');
}

/**
 * Commits on main since `before` hold ENV's environment.yaml and its
 * infrastructure files (the declared database); throws naming what is missing.
 */
function expectCommitted(repository, before, env) {
  const head = gitopsHead(repository);
  if (head === before) {
    throw new Error(`nothing was committed to main of ${repository}`);
  }
  const files = git(repository, 'diff', '--name-only', before, head).split(
    '\n',
  );
  const missing = [];
  if (!files.includes(`environments/${env}/environment.yaml`)) {
    missing.push(`environments/${env}/environment.yaml`);
  }
  if (!files.some(f => f.startsWith(`environments/${env}/infrastructure/`))) {
    missing.push(`environments/${env}/infrastructure/*`);
  }
  if (missing.length > 0) {
    throw new Error(
      `the commits ${before.slice(0, 7)}..${head.slice(
        0,
        7,
      )} lack ${missing.join(', ')}; they changed:\n${files.join('\n')}`,
    );
  }
  pass(
    `GitOps repository: ${env} committed on main (${head.slice(0, 7)}, ${
      files.length
    } files)`,
  );
}

/** The catalog holds resource:default/ENV within 90 s. */
async function expectInCatalog(getJson, token, env) {
  const entity = await eventually(
    `the catalog has no resource:default/${env} after the commit`,
    () =>
      getJson(`/api/catalog/entities/by-name/resource/default/${env}`, token),
  );
  pass(
    `catalog: resource:default/${env} (${entity.spec.type}, owner ${entity.spec.owner})`,
  );
}

module.exports = { gitopsHead, expectCommitted, expectInCatalog };
