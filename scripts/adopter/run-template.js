#!/usr/bin/env node
/*
 * node scripts/adopter/run-template.js BASE_URL GITOPS_REPOSITORY ENV
 *
 * Runs the Create environment template end to end in the fresh app, as the
 * stock app's guest user, through the scaffolder REST API
 * (POST /api/scaffolder/v2/tasks): the template registered as the
 * scaffolder module's README says, an environment ENV owned by the stock
 * app's `guests` group with a database and the storefront workload. Then:
 * - the task completes (else its last log lines are printed);
 * - the adopter's local GitOps repository GITOPS_REPOSITORY has a new
 *   commit on main with the environment's files;
 * - the environment appears in the app's catalog (the GitOps catalog module
 *   reads the commit).
 */
const { portalClient, eventually, pass, run } = require('./portal-client');
const {
  gitopsHead,
  expectCommitted,
  expectInCatalog,
} = require('./environment-checks');

const [base, repository, env] = process.argv.slice(2);
if (!base || !repository || !env) {
  console.error('usage: run-template.js BASE_URL GITOPS_REPOSITORY ENV');
  process.exit(2);
}
const { getJson, postJson, guestToken } = portalClient(base);
const values = {
  name: env,
  owner: 'guests',
  description: 'Created by the adopter test',
  target: 'local',
  provider: 'local',
  crossplaneApi: 'v2',
  databases: [{ name: 'adopter-db', engine: 'postgres' }],
  buckets: [],
  caches: [],
  workloads: ['storefront'],
};

async function taskLog(id, token) {
  const events = await getJson(`/api/scaffolder/v2/tasks/${id}/events`, token);
  return events
    .map(e => e.body?.message)
    .filter(Boolean)
    .slice(-15)
    .join('\n');
}

async function main() {
  const token = await guestToken();
  await eventually(
    'the catalog has no template:default/create-environment',
    () =>
      getJson(
        '/api/catalog/entities/by-name/template/default/create-environment',
        token,
      ),
  );
  pass('the Create environment template is registered');

  const before = gitopsHead(repository);
  const { id } = await postJson('/api/scaffolder/v2/tasks', token, {
    templateRef: 'template:default/create-environment',
    values,
  });
  const task = await eventually(
    `task ${id} did not finish`,
    async () => {
      const t = await getJson(`/api/scaffolder/v2/tasks/${id}`, token);
      if (t.status === 'open' || t.status === 'processing') {
        throw new Error(`still ${t.status}`);
      }
      return t;
    },
    180,
  );
  if (task.status !== 'completed') {
    throw new Error(
      `the Create environment task ended ${task.status}:\n${await taskLog(
        id,
        token,
      )}`,
    );
  }
  pass(`scaffolder: the Create environment task ${id} completed`);

  expectCommitted(repository, before, env);
  await expectInCatalog(getJson, token, env);
}

run(main);
