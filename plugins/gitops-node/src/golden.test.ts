import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { readTreeFromDir, writeFiles } from './fs';

// Golden files: run with UPDATE_GOLDEN=1 to rewrite them after an intended change.
const goldenDir = path.join(__dirname, '__fixtures__', 'golden');

const common = {
  owner: 'group:default/platform',
  workloads: ['orders-api', 'storefront'],
};
const cases: Record<string, unknown> = {
  local: {
    ...common,
    name: 'dev',
    target: 'local',
    provider: 'local',
    workloadOverrides: { storefront: { replicas: 2, imageTag: '2.0.1' } },
    resources: {
      databases: [{ name: 'orders-db', engine: 'postgres', version: '16' }],
      caches: [{ name: 'sessions' }],
      buckets: [{ name: 'assets', versioning: true }],
    },
  },
  'cloud-aws': {
    ...common,
    name: 'prod-eu',
    target: 'cloud',
    provider: 'aws',
    region: 'eu-west-1',
    resources: {
      databases: [{ name: 'orders-db', engine: 'postgres', size: 'large' }],
      kubernetesCluster: { version: '1.33', nodeSize: 'large', nodeCount: 4 },
    },
  },
  'cloud-gcp-v1': {
    ...common,
    name: 'staging',
    target: 'cloud',
    provider: 'gcp',
    region: 'europe-west1',
    crossplaneApi: 'v1',
    resources: {
      databases: [{ name: 'orders-db', engine: 'mysql', version: '8.0' }],
      caches: [{ name: 'cache', size: 'medium' }],
      kubernetesCluster: { nodeCount: 2 },
    },
  },
  'cloud-azure': {
    ...common,
    name: 'qa',
    target: 'cloud',
    provider: 'azure',
    region: 'westeurope',
    resources: {
      buckets: [{ name: 'uploads' }],
      kubernetesCluster: {},
    },
  },
};

describe('golden files', () => {
  it.each(Object.keys(cases))('%s', async name => {
    const files = generateEnvironment(parseEnvironmentSpec(cases[name]));
    const dir = path.join(goldenDir, name);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(dir)) {
      if (process.env.CI) {
        throw new Error(
          `golden files for ${name} are missing; run the test with UPDATE_GOLDEN=1 locally`,
        );
      }
      await writeFiles(dir, files);
    }
    expect(files).toEqual(await readTreeFromDir(dir));
  });
});
