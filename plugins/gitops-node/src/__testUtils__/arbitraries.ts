import fc from 'fast-check';
import {
  CLOUD_PROVIDERS,
  DATABASE_ENGINES,
  PLATFORM_OFFERINGS,
  PROVIDER_REGIONS,
  SIZES,
  UNOFFERED_DATABASE_ENGINES,
  databaseVersions,
} from '@epicshelter/plugin-gitops-common';

/** fast-check arbitraries of environment specs (shared by the property tests). */

const label = (max: number) =>
  fc
    .stringMatching(new RegExp(`^[a-z0-9]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`))
    .filter(s => s.length <= max);

const envName = label(40).filter(
  s =>
    s.length >= 2 &&
    s !== 'default' &&
    !s.startsWith('kube-') &&
    ![
      'argocd',
      'crossplane-system',
      'epicshelter-system',
      'local-path-storage',
      'platform',
    ].includes(s),
);

const database = fc
  .record({
    name: label(22),
    engine: fc.constantFrom(...DATABASE_ENGINES),
    size: fc.constantFrom(...SIZES),
  })
  .chain(d =>
    fc
      .constantFrom(...databaseVersions(d.engine))
      .map(version => ({ ...d, version })),
  );

const resourcesArb = fc
  .record({
    databases: fc.array(database, { maxLength: 3 }),
    buckets: fc.array(
      fc.record({ name: label(22), versioning: fc.boolean() }),
      { maxLength: 2 },
    ),
    caches: fc.array(
      fc.record({ name: label(22), size: fc.constantFrom(...SIZES) }),
      { maxLength: 2 },
    ),
  })
  .filter(r => {
    const names = [...r.databases, ...r.buckets, ...r.caches].map(x => x.name);
    return (
      new Set(names).size === names.length &&
      !names.includes('kubernetes-cluster')
    );
  });

const targetArb = fc.oneof(
  fc.constant({ target: 'local', provider: 'local' }),
  fc.constantFrom(...CLOUD_PROVIDERS).chain(provider =>
    fc.record({
      target: fc.constant('cloud'),
      provider: fc.constant(provider),
      region: fc.constantFrom(...PROVIDER_REGIONS[provider]),
      // A cloud environment runs in its own cluster: the spec requires one.
      cluster: fc.record({
        version: fc.constantFrom(
          ...PLATFORM_OFFERINGS.kubernetesCluster.versions,
        ),
        nodeCount: fc.integer({ min: 1, max: 20 }),
      }),
    }),
  ),
);

/** Every valid spec the generator must handle. */
export const validSpecArb = fc
  .record({
    name: envName,
    owner: fc.constantFrom(
      'group:default/platform',
      'user:alice',
      'group:team-a',
      'platform',
    ),
    t: targetArb,
    crossplaneApi: fc.constantFrom('v1', 'v2'),
    workloads: fc.subarray(['orders-api', 'storefront']),
    resources: resourcesArb,
  })
  .map(({ t, ...rest }) => {
    const { cluster, ...target } = t as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    return {
      ...rest,
      ...target,
      resources: {
        ...rest.resources,
        // An engine the provider does not offer becomes PostgreSQL.
        databases: rest.resources.databases.map(d =>
          UNOFFERED_DATABASE_ENGINES[
            target.provider as keyof typeof UNOFFERED_DATABASE_ENGINES
          ]?.[d.engine]
            ? {
                ...d,
                engine: 'postgres',
                version: databaseVersions('postgres')[0],
              }
            : d,
        ),
        ...(cluster ? { kubernetesCluster: cluster } : {}),
      },
    };
  });
