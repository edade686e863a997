#!/usr/bin/env node
/*
 * node scripts/adopter/check-routes.js BASE_URL
 *
 * Checks over HTTP that the Epicshelter backends installed into the fresh
 * app answer, signed in as the stock app's guest user:
 * - the catalog holds the environments of the GitOps repository (catalog
 *   module), within a minute of startup;
 * - /api/environments/matrix lists them (environments backend);
 * - the Argo CD backend lists the applications of an environment, from the
 *   fake Argo CD;
 * - the Crossplane backend lists the resources of an environment, from the
 *   fake Kubernetes API;
 * - the scaffolder lists the epicshelter:* actions (scaffolder module).
 * Prints one line per check; exits 1 on the first failure.
 */
const { portalClient, eventually, pass, run } = require('./portal-client');

const base = process.argv[2];
if (!base) {
  console.error('usage: check-routes.js BASE_URL');
  process.exit(2);
}

const { getJson, guestToken } = portalClient(base);

async function main() {
  const token = await guestToken();

  const environments = await eventually(
    'the catalog has no environment entities from the GitOps module',
    async () => {
      const { items } = await getJson(
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=environment&limit=50',
        token,
      );
      if (items.length === 0) throw new Error('none yet');
      return items;
    },
  );
  const names = environments.map(e => e.metadata.name).sort();
  pass(`catalog module: environments ${names.join(', ')}`);

  const matrix = await getJson('/api/environments/matrix', token);
  pass(
    `environments backend: /api/environments/matrix (${
      JSON.stringify(matrix).length
    } bytes)`,
  );

  const ref = e =>
    `${e.kind.toLowerCase()}/${e.metadata.namespace ?? 'default'}/${
      e.metadata.name
    }`;
  let applications = 0;
  let resources = 0;
  for (const env of environments) {
    const apps = await getJson(
      `/api/epicshelter-argocd/entities/${ref(env)}/applications`,
      token,
    );
    applications += apps.items.length;
    const xr = await getJson(
      `/api/epicshelter-crossplane/entity/${ref(env)}/resources`,
      token,
    );
    resources += xr.clusters.reduce((n, c) => n + c.nodes.length, 0);
  }
  if (applications === 0) {
    throw new Error(
      'the Argo CD backend found no applications of any environment',
    );
  }
  pass(
    `argocd backend: ${applications} applications of ${environments.length} environments`,
  );
  if (resources === 0) {
    throw new Error(
      'the Crossplane backend found no live resources of any environment in the fake cluster',
    );
  }
  pass(
    `crossplane backend: ${resources} resources of ${environments.length} environments`,
  );

  const actions = await getJson('/api/scaffolder/v2/actions', token);
  const ours = actions
    .map(a => a.id)
    .filter(id => id.startsWith('epicshelter:'));
  if (ours.length === 0)
    throw new Error('the scaffolder lists no epicshelter:* action');
  pass(`scaffolder module: ${ours.join(', ')}`);
}

run(main);
