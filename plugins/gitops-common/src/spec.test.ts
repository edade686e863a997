import {
  EnvironmentSpecError,
  parseEnvironmentSpec,
  safeParseEnvironmentSpec,
} from './spec';

const local = {
  name: 'dev',
  owner: 'group:default/platform',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api'],
  resources: { databases: [{ name: 'orders-db', engine: 'postgres' }] },
};

const cloud = {
  name: 'prod-eu',
  owner: 'user:alice',
  target: 'cloud',
  provider: 'aws',
  region: 'eu-west-1',
  resources: { kubernetesCluster: { nodeCount: 3 } },
};

function issuesOf(input: unknown): string[] {
  const r = safeParseEnvironmentSpec(input);
  return r.success ? [] : r.issues.map(i => `${i.path}: ${i.message}`);
}

describe('parseEnvironmentSpec', () => {
  it('parses a local spec and fills defaults', () => {
    const spec = parseEnvironmentSpec(local);
    expect(spec).toEqual({
      name: 'dev',
      owner: 'group:default/platform',
      target: 'local',
      provider: 'local',
      crossplaneApi: 'v2',
      workloads: ['orders-api'],
      resources: {
        databases: [
          {
            name: 'orders-db',
            engine: 'postgres',
            version: '17',
            size: 'small',
          },
        ],
        buckets: [],
        caches: [],
      },
    });
  });

  it('parses a cloud spec with a cluster', () => {
    const spec = parseEnvironmentSpec(cloud);
    expect(spec.resources.kubernetesCluster).toEqual({
      version: '1.33',
      nodeSize: 'medium',
      nodeCount: 3,
    });
    expect(spec.region).toBe('eu-west-1');
  });

  it('refuses MySQL on Azure (no generated administrator password)', () => {
    expect(
      issuesOf({
        ...cloud,
        provider: 'azure',
        region: 'westeurope',
        resources: {
          ...cloud.resources,
          databases: [{ name: 'db', engine: 'mysql' }],
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^spec\.resources\.databases\[0\]\.engine: "mysql" is not offered on azure: provider-azure-dbformysql v2\.0\.0 cannot generate .*; choose postgres$/,
      ),
    ]);
  });

  it('refuses a cloud environment without a Kubernetes cluster', () => {
    expect(issuesOf({ ...cloud, resources: { databases: [] } })).toEqual([
      'spec.resources.kubernetesCluster: a cloud environment runs in its own Kubernetes cluster: add resources.kubernetesCluster',
    ]);
  });

  it.each([
    [
      'uppercase',
      { ...local, name: 'Dev' },
      'spec.name: must be a DNS-1123 label: contains uppercase "D"',
    ],
    [
      'too long',
      { ...local, name: 'a'.repeat(41) },
      'spec.name: must be at most 40 characters long (got 41)',
    ],
    [
      'too short',
      { ...local, name: 'a' },
      'spec.name: must be at least 2 characters long',
    ],
    [
      'dot-dot-slash',
      { ...local, name: '../etc' },
      'spec.name: must be a DNS-1123 label: contains "."',
    ],
    ['empty', { ...local, name: '' }, 'spec.name: must not be empty'],
    [
      'cyrillic look-alike',
      { ...local, name: 'd\u0435v' },
      'spec.name: must be a DNS-1123 label: contains the non-ASCII character "е" (U+0435)',
    ],
    [
      'colon',
      { ...local, name: 'a:b' },
      'spec.name: must be a DNS-1123 label: contains ":"',
    ],
    [
      'hash',
      { ...local, name: 'a#b' },
      'spec.name: must be a DNS-1123 label: contains "#"',
    ],
    [
      'newline',
      { ...local, name: 'a\nb' },
      'spec.name: must be a DNS-1123 label: contains the control character U+000A',
    ],
    [
      'quote',
      { ...local, name: 'a"b' },
      'spec.name: must be a DNS-1123 label: contains "\\""',
    ],
    [
      'single quote',
      { ...local, name: "a'b" },
      'spec.name: must be a DNS-1123 label: contains "\'"',
    ],
    [
      'leading dash',
      { ...local, name: '-ab' },
      'spec.name: must be a DNS-1123 label: must start and end',
    ],
    ['reserved', { ...local, name: 'kube-system' }, 'spec.name: is reserved'],
    [
      'unknown provider',
      { ...cloud, provider: 'digitalocean' },
      'spec.provider: must be one of local, aws, gcp, azure',
    ],
    [
      'region of another provider',
      { ...cloud, region: 'europe-west1' },
      'spec.region: "europe-west1" is not a aws region',
    ],
    [
      'missing region',
      { ...cloud, region: undefined },
      'spec.region: is required for the cloud target',
    ],
    [
      'local provider on cloud',
      { ...cloud, provider: 'local', region: undefined },
      'spec.provider: "local" provider is only valid for the local target',
    ],
    [
      'cloud provider on local',
      { ...local, provider: 'gcp' },
      'spec.provider: must be "local" for the local target',
    ],
    [
      'region on local',
      { ...local, region: 'eu-west-1' },
      'spec.region: must not be set for the local target',
    ],
    [
      'cluster on local',
      { ...local, resources: { kubernetesCluster: {} } },
      'spec.resources.kubernetesCluster: is only available for the cloud target',
    ],
    [
      'unknown engine',
      {
        ...local,
        resources: { databases: [{ name: 'db', engine: 'oracle' }] },
      },
      'spec.resources.databases[0].engine: must be one of postgres, mysql',
    ],
    [
      'version not offered',
      {
        ...local,
        resources: {
          databases: [{ name: 'db', engine: 'mysql', version: '5.7' }],
        },
      },
      'spec.resources.databases[0].version: mysql version "5.7" is not offered by the platform API',
    ],
    [
      'postgres version on mysql',
      {
        ...local,
        resources: {
          databases: [{ name: 'db', engine: 'mysql', version: '17' }],
        },
      },
      'spec.resources.databases[0].version: mysql version "17"',
    ],
    [
      'bad owner',
      { ...local, owner: 'component:default/x' },
      'spec.owner: must refer to a group or user',
    ],
    ['empty owner', { ...local, owner: '' }, 'spec.owner: must not be empty'],
    [
      'owner with newline',
      { ...local, owner: 'group:default/a\nb' },
      'spec.owner: has an invalid name',
    ],
    [
      'duplicate resource',
      {
        ...local,
        resources: {
          databases: [{ name: 'x', engine: 'postgres' }],
          caches: [{ name: 'x' }],
        },
      },
      'spec.resources.caches[0].name: "x" is already used by resources.databases[0]',
    ],
    [
      'duplicate workload',
      { ...local, workloads: ['a', 'a'] },
      'spec.workloads[1]: lists "a" more than once',
    ],
    [
      'unknown field',
      { ...local, extra: 1 },
      'spec: has unknown field "extra"',
    ],
    [
      'bad target',
      { ...local, target: 'edge' },
      'spec.target: must be one of local, cloud',
    ],
    [
      'node count',
      { ...cloud, resources: { kubernetesCluster: { nodeCount: 0 } } },
      'spec.resources.kubernetesCluster.nodeCount: must be at least 1',
    ],
    [
      'override of unknown workload',
      { ...local, workloadOverrides: { other: { replicas: 2 } } },
      'spec.workloadOverrides.other: overrides "other"',
    ],
    [
      'bad image tag',
      { ...local, workloadOverrides: { 'orders-api': { imageTag: 'a b' } } },
      'spec.workloadOverrides["orders-api"].imageTag: must be a container image tag',
    ],
    [
      'reserved resource name',
      { ...local, resources: { buckets: [{ name: 'kubernetes-cluster' }] } },
      'spec.resources.buckets[0].name: is reserved',
    ],
  ])('rejects %s with a message naming the field', (_, input, expected) => {
    const issues = issuesOf(input);
    expect(issues.some(i => i.startsWith(expected))).toBe(true);
    expect(() => parseEnvironmentSpec(input)).toThrow(EnvironmentSpecError);
  });

  it('rejects non-objects', () => {
    expect(issuesOf(null)).toEqual(['spec: must be an object']);
    expect(issuesOf('name: dev')).toEqual(['spec: must be an object']);
  });

  it('throws an InputError listing the paths', () => {
    let err: unknown;
    try {
      parseEnvironmentSpec({ ...local, name: 'BAD' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvironmentSpecError);
    expect((err as Error).name).toBe('InputError');
    expect((err as Error).message).toMatch(
      /^Invalid environment spec: spec\.name: /,
    );
    expect((err as EnvironmentSpecError).issues[0].path).toBe('spec.name');
  });
});
