/**
 * The platform offerings: what the platform API (the XRDs in `platform/`) offers.
 *
 * The environment spec schema, the scaffolder template form, the generator,
 * the blueprint XRDs and the validator all read these lists, so one edit here
 * changes all of them.
 */

/** Deployment targets of an environment. @public */
export const TARGETS = ['local', 'cloud'] as const;
/** @public */
export type Target = (typeof TARGETS)[number];

/** Infrastructure providers; `local` is only valid with the `local` target. @public */
export const PROVIDERS = ['local', 'aws', 'gcp', 'azure'] as const;
/** @public */
export type Provider = (typeof PROVIDERS)[number];

/** Providers that run in a public cloud. @public */
export const CLOUD_PROVIDERS = ['aws', 'gcp', 'azure'] as const;
/** @public */
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** Crossplane API styles: `v2` namespaced XRs (default) or `v1` legacy claims. @public */
export const CROSSPLANE_APIS = ['v2', 'v1'] as const;
/** @public */
export type CrossplaneApi = (typeof CROSSPLANE_APIS)[number];

/** Regions offered per cloud provider (the provider's own region identifiers). @public */
export const PROVIDER_REGIONS: Readonly<
  Record<CloudProvider, readonly string[]>
> = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'ap-south-1',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'sa-east-1',
  ],
  gcp: [
    'us-central1',
    'us-east1',
    'us-east4',
    'us-west1',
    'us-west2',
    'northamerica-northeast1',
    'southamerica-east1',
    'europe-west1',
    'europe-west2',
    'europe-west3',
    'europe-west4',
    'europe-north1',
    'asia-east1',
    'asia-northeast1',
    'asia-south1',
    'asia-southeast1',
    'australia-southeast1',
  ],
  azure: [
    'eastus',
    'eastus2',
    'westus2',
    'westus3',
    'centralus',
    'canadacentral',
    'brazilsouth',
    'northeurope',
    'westeurope',
    'uksouth',
    'francecentral',
    'germanywestcentral',
    'swedencentral',
    'japaneast',
    'southeastasia',
    'australiaeast',
    'centralindia',
  ],
};

/** T-shirt sizes offered for databases, caches and cluster nodes. @public */
export const SIZES = ['small', 'medium', 'large'] as const;
/** @public */
export type Size = (typeof SIZES)[number];

/** Database engines offered by the platform API. @public */
export const DATABASE_ENGINES = ['postgres', 'mysql'] as const;
/** @public */
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** Cache engines offered by the platform API. @public */
export const CACHE_ENGINES = ['redis'] as const;
/** @public */
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/**
 * Everything the platform API offers, with the first version of each list being
 * the default. The blueprint XRDs carry exactly these enums.
 * @public
 */
export const PLATFORM_OFFERINGS = {
  database: {
    engines: {
      postgres: { versions: ['17', '16', '15'] },
      mysql: { versions: ['8.4', '8.0'] },
    },
    sizes: SIZES,
    defaultSize: 'small',
  },
  cache: {
    engines: {
      redis: { versions: ['7.2', '7.0'] },
    },
    sizes: SIZES,
    defaultSize: 'small',
  },
  bucket: {
    versioning: [true, false],
  },
  kubernetesCluster: {
    versions: ['1.33', '1.32', '1.31'],
    nodeSizes: SIZES,
    defaultNodeSize: 'medium',
    minNodeCount: 1,
    maxNodeCount: 20,
    defaultNodeCount: 3,
  },
} as const;

/**
 * Database engines a provider's Compositions do not serve, with the reason:
 * the spec refuses them and the validator does not render them.
 * @public
 */
export const UNOFFERED_DATABASE_ENGINES: Readonly<
  Partial<Record<Provider, Partial<Record<DatabaseEngine, string>>>>
> = {
  azure: {
    mysql:
      'provider-azure-dbformysql v2.0.0 cannot generate the administrator password of a MySQL flexible server (it has no autoGeneratePassword) and nothing in the platform would create that Secret',
  },
};

/**
 * The database engines a provider offers: every engine of the platform API
 * except those its Compositions do not serve
 * ({@link UNOFFERED_DATABASE_ENGINES}). The spec accepts exactly these, and
 * the create form offers exactly these for the chosen provider.
 * @public
 */
export function offeredDatabaseEngines(
  provider: Provider,
): readonly DatabaseEngine[] {
  return DATABASE_ENGINES.filter(
    e => !UNOFFERED_DATABASE_ENGINES[provider]?.[e],
  );
}

/** The database versions the platform offers for an engine. @public */
export function databaseVersions(engine: DatabaseEngine): readonly string[] {
  return PLATFORM_OFFERINGS.database.engines[engine].versions;
}

/** The cache versions the platform offers for an engine. @public */
export function cacheVersions(engine: CacheEngine): readonly string[] {
  return PLATFORM_OFFERINGS.cache.engines[engine].versions;
}

/** All database versions across engines (the XRD enum). @public */
export function allDatabaseVersions(): string[] {
  return DATABASE_ENGINES.flatMap(e => [...databaseVersions(e)]);
}
