import {
  ANNOTATION_EXTERNAL_NAME,
  ARGOCD_NAMESPACE,
  ClusterRole,
  LEGACY_PLATFORM_GROUP,
  PLATFORM_GROUP,
  PLATFORM_VERSION,
  LABEL_CLUSTER_ROLE,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  PART_OF_VALUE,
  cloudClusterDir,
} from '../constants';
import { CLOUD_ROOT_APPLICATION } from '../cloudClusterFiles';
import { PlatformKind } from '../generator';
import { CloudProvider, Provider, databaseVersions } from '../offerings';
import { AWS_EKS_ZONE_IDS } from './awsZones';
import {
  CLOUD_CREDENTIALS_KEY,
  CLOUD_CREDENTIALS_NAMESPACE,
  cloudCredentialsSecretName,
} from './credentials';

type Obj = Record<string, unknown>;

/** Crossplane API style a composition serves. */
export type Style = 'v2' | 'v1';

const from = (
  fromFieldPath: string,
  toFieldPath: string,
  transforms?: Obj[],
): Obj => ({
  type: 'FromCompositeFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
const fromEnv = (
  fromFieldPath: string,
  toFieldPath: string,
  transforms?: Obj[],
): Obj => ({
  type: 'FromEnvironmentFieldPath',
  fromFieldPath,
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});
const map = (m: Record<string, string | number | boolean>): Obj => ({
  type: 'map',
  map: m,
});
const fmt = (f: string): Obj => ({
  type: 'string',
  string: { type: 'Format', fmt: f },
});
const combine = (
  fromFieldPaths: string[],
  f: string,
  toFieldPath: string,
  transforms?: Obj[],
): Obj => ({
  type: 'CombineFromComposite',
  combine: {
    variables: fromFieldPaths.map(p => ({ fromFieldPath: p })),
    strategy: 'string',
    string: { fmt: f },
  },
  toFieldPath,
  ...(transforms ? { transforms } : {}),
});

/** Managed resource apiVersion: `<svc>.<provider>.m.upbound.io` for v2, without `.m` for v1. */
function mrApi(
  style: Style,
  service: string,
  family: string,
  version = 'v1beta1',
): string {
  return `${service}.${family}${
    style === 'v2' ? '.m' : ''
  }.upbound.io/${version}`;
}

/**
 * A nested block of an upjet kind: an object in the namespaced v1beta1 kinds
 * (`*.m.upbound.io`), a one-element list in the legacy cluster-scoped
 * v1beta1 kinds.
 */
function block(style: Style, value: Obj): Obj | Obj[] {
  return style === 'v2' ? value : [value];
}

/** Field path into a {@link block}: `settings` or `settings[0]`. */
function inBlock(style: Style, field: string): string {
  return style === 'v2' ? field : `${field}[0]`;
}

/** A boolean as the string a `map` transform accepts (`true`/`false`), then mapped. */
const boolMap = (m: Record<'true' | 'false', string | number | boolean>) => [
  { type: 'convert', convert: { toType: 'string' } },
  map(m),
];

function providerConfigRef(style: Style, name = 'default'): Obj {
  return style === 'v2' ? { kind: 'ClusterProviderConfig', name } : { name };
}

interface ComposedResource {
  name: string;
  base: Obj;
  patches?: Obj[];
  connectionDetails?: Obj[];
}

/** Connection secret handling differs: v2 MRs write into the XR namespace, v1 into crossplane-system. */
function withConnectionSecret(
  style: Style,
  r: ComposedResource,
  suffix: string,
): ComposedResource {
  const v2 = style === 'v2';
  return {
    ...r,
    base: {
      ...r.base,
      spec: {
        ...((r.base.spec ?? {}) as Obj),
        writeConnectionSecretToRef: v2
          ? { name: '' }
          : { namespace: 'crossplane-system', name: '' },
      },
    },
    patches: [
      ...(r.patches ?? []),
      from(
        v2 ? 'metadata.name' : 'metadata.uid',
        'spec.writeConnectionSecretToRef.name',
        [fmt(`%s-${suffix}`)],
      ),
    ],
  };
}

const SIZE = {
  awsDb: {
    small: 'db.t4g.micro',
    medium: 'db.t4g.medium',
    large: 'db.r6g.large',
  },
  awsCache: {
    small: 'cache.t4g.micro',
    medium: 'cache.t4g.medium',
    large: 'cache.r6g.large',
  },
  awsNode: { small: 't3.medium', medium: 'm6i.large', large: 'm6i.xlarge' },
  gcpDb: {
    small: 'db-f1-micro',
    medium: 'db-custom-2-7680',
    large: 'db-custom-4-15360',
  },
  gcpCache: { small: 1, medium: 5, large: 10 },
  gcpNode: {
    small: 'e2-medium',
    medium: 'e2-standard-4',
    large: 'e2-standard-8',
  },
  azureDb: {
    small: 'B_Standard_B1ms',
    medium: 'GP_Standard_D2ds_v4',
    large: 'GP_Standard_D4ds_v4',
  },
  azureCacheSku: { small: 'Basic', medium: 'Standard', large: 'Premium' },
  azureCacheFamily: { small: 'C', medium: 'C', large: 'P' },
  azureCacheCapacity: { small: 0, medium: 1, large: 1 },
  azureNode: {
    small: 'Standard_B2s',
    medium: 'Standard_D4s_v5',
    large: 'Standard_D8s_v5',
  },
  localCpu: { small: '250m', medium: '500m', large: '1' },
  localMemory: { small: '256Mi', medium: '512Mi', large: '1Gi' },
};

/**
 * A connection detail copied from the composed resource's connection
 * secret. Upjet writes there the keys of the provider's
 * AdditionalConnectionDetailsFn plus `attribute.<name>` of sensitive
 * attributes only (validator/composition/chartSecrets.ts lists them).
 */
const conn = (name: string, fromConnectionSecretKey = name): Obj => ({
  name,
  type: 'FromConnectionSecretKey',
  fromConnectionSecretKey,
});
/** A connection detail read from the observed composed resource (non-sensitive values). */
const connFromField = (name: string, fromFieldPath: string): Obj => ({
  name,
  type: 'FromFieldPath',
  fromFieldPath,
});

function azureResourceGroup(style: Style): ComposedResource {
  return {
    name: 'resource-group',
    base: {
      apiVersion: mrApi(style, 'azure', 'azure').replace(
        'azure.azure',
        'azure',
      ),
      kind: 'ResourceGroup',
      spec: {
        forProvider: { location: '' },
        providerConfigRef: providerConfigRef(style),
      },
    },
    patches: [from('spec.parameters.region', 'spec.forProvider.location')],
  };
}

/** A Helm release of a local chart, its connection secret read from chart Secrets. */
function helmRelease(
  style: Style,
  chart: Obj,
  values: Obj,
  patches: Obj[],
  connectionDetails: Obj[],
): ComposedResource {
  const namespace =
    style === 'v2' ? 'metadata.namespace' : 'spec.claimRef.namespace';
  return withConnectionSecret(
    style,
    {
      name: 'release',
      base: {
        apiVersion:
          style === 'v2'
            ? 'helm.m.crossplane.io/v1beta1'
            : 'helm.crossplane.io/v1beta1',
        kind: 'Release',
        spec: {
          // The namespaced Release installs into its own namespace (the
          // XR's); only the legacy cluster-scoped one names it.
          forProvider: {
            chart,
            ...(style === 'v1' ? { namespace: '' } : {}),
            values,
          },
          providerConfigRef: providerConfigRef(style, 'in-cluster'),
          connectionDetails,
        },
      },
      patches: [
        ...(style === 'v1'
          ? [from(namespace, 'spec.forProvider.namespace')]
          : []),
        from('metadata.name', 'spec.forProvider.values.fullnameOverride'),
        ...patches,
        ...connectionDetails.map((_, i) =>
          from(namespace, `spec.connectionDetails[${i}].namespace`),
        ),
        ...connectionDetails.map((_, i) =>
          from('metadata.name', `spec.connectionDetails[${i}].name`),
        ),
      ],
    },
    'connection',
  );
}

const secretDetail = (
  fieldPath: string,
  toConnectionSecretKey: string,
): Obj => ({
  apiVersion: 'v1',
  kind: 'Secret',
  name: '',
  namespace: '',
  fieldPath,
  toConnectionSecretKey,
});

/**
 * A Bitnami chart on its legacy images: the image tag is the claim's version
 * and the requests of the `workload` values key follow the claim's size.
 */
function bitnamiRelease(
  style: Style,
  chart: Obj,
  options: {
    image: string;
    values: Obj;
    workload: string;
    patches?: Obj[];
    connectionDetails: Obj[];
  },
): ComposedResource {
  const { image, values, workload, patches = [], connectionDetails } = options;
  const requests = `spec.forProvider.values.${workload}.resources.requests`;
  return helmRelease(
    style,
    chart,
    {
      global: { security: { allowInsecureImages: true } },
      image: { registry: 'docker.io', repository: image, tag: '' },
      ...values,
      [workload]: { resources: { requests: {} } },
    },
    [
      ...patches,
      from('spec.parameters.version', 'spec.forProvider.values.image.tag'),
      from('spec.parameters.size', `${requests}.cpu`, [map(SIZE.localCpu)]),
      from('spec.parameters.size', `${requests}.memory`, [
        map(SIZE.localMemory),
      ]),
    ],
    connectionDetails,
  );
}

/** Composed resources per kind and provider. */
function composed(
  kind: PlatformKind,
  provider: Provider,
  style: Style,
  role: ClusterRole,
): ComposedResource[] {
  if (role === 'observe' && kind !== 'KubernetesCluster') {
    return [observedInCloudCluster(kind, style)];
  }
  switch (`${kind}/${provider}`) {
    case 'Database/local':
      return [
        bitnamiRelease(
          style,
          {
            name: 'postgresql',
            repository: 'https://charts.bitnami.com/bitnami',
            version: '16.7.27',
          },
          {
            image: 'bitnamilegacy/postgresql',
            values: { auth: { username: 'app', database: 'app' } },
            workload: 'primary',
            patches: [
              // mysql on local uses the same chart family; the engine picks the chart.
              from('spec.parameters.engine', 'spec.forProvider.chart.name', [
                map({ postgres: 'postgresql', mysql: 'mysql' }),
              ]),
              from('spec.parameters.engine', 'spec.forProvider.chart.version', [
                map({ postgres: '16.7.27', mysql: '14.0.3' }),
              ]),
              // The mysql chart's Secret has no `password` key: the app
              // user's password is `mysql-password`.
              from(
                'spec.parameters.engine',
                'spec.connectionDetails[0].fieldPath',
                [
                  map({
                    postgres: 'data.password',
                    mysql: 'data.mysql-password',
                  }),
                ],
              ),
              from(
                'spec.parameters.engine',
                'spec.forProvider.values.image.repository',
                [
                  map({
                    postgres: 'bitnamilegacy/postgresql',
                    mysql: 'bitnamilegacy/mysql',
                  }),
                ],
              ),
            ],
            connectionDetails: [secretDetail('data.password', 'password')],
          },
        ),
      ];
    case 'Cache/local':
      return [
        bitnamiRelease(
          style,
          {
            name: 'redis',
            repository: 'https://charts.bitnami.com/bitnami',
            version: '21.2.13',
          },
          {
            image: 'bitnamilegacy/redis',
            values: { architecture: 'standalone' },
            workload: 'master',
            connectionDetails: [
              secretDetail('data.redis-password', 'password'),
            ],
          },
        ),
      ];
    case 'Bucket/local':
      return [
        helmRelease(
          style,
          {
            name: 'minio',
            repository: 'https://charts.min.io/',
            version: '5.4.0',
          },
          {
            mode: 'standalone',
            replicas: 1,
            persistence: { size: '1Gi' },
            resources: { requests: { memory: '256Mi' } },
            buckets: [{ name: '', policy: 'none', versioning: false }],
          },
          [
            from('metadata.name', 'spec.forProvider.values.buckets[0].name'),
            from(
              'spec.parameters.versioning',
              'spec.forProvider.values.buckets[0].versioning',
            ),
          ],
          [
            secretDetail('data.rootUser', 'accessKeyId'),
            secretDetail('data.rootPassword', 'secretAccessKey'),
          ],
        ),
      ];
    case 'Database/aws':
      return [
        withConnectionSecret(
          style,
          {
            name: 'instance',
            base: {
              apiVersion: mrApi(style, 'rds', 'aws'),
              kind: 'Instance',
              spec: {
                forProvider: {
                  region: '',
                  engine: '',
                  engineVersion: '',
                  instanceClass: '',
                  allocatedStorage: 20,
                  username: 'app',
                  dbName: 'app',
                  autoGeneratePassword: true,
                  passwordSecretRef: {
                    key: 'password',
                    name: '',
                    ...(style === 'v1'
                      ? { namespace: 'crossplane-system' }
                      : {}),
                  },
                  publiclyAccessible: false,
                  skipFinalSnapshot: true,
                  storageEncrypted: true,
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.region'),
              from('spec.parameters.engine', 'spec.forProvider.engine'),
              from('spec.parameters.version', 'spec.forProvider.engineVersion'),
              from('spec.parameters.size', 'spec.forProvider.instanceClass', [
                map(SIZE.awsDb),
              ]),
              from(
                style === 'v2' ? 'metadata.name' : 'metadata.uid',
                'spec.forProvider.passwordSecretRef.name',
                [fmt('%s-password')],
              ),
            ],
            connectionDetails: [
              conn('username'),
              conn('password', 'attribute.password'),
              conn('endpoint'),
              conn('port'),
            ],
          },
          'connection',
        ),
      ];
    case 'Cache/aws':
      return [
        withConnectionSecret(
          style,
          {
            name: 'replication-group',
            base: {
              apiVersion: mrApi(style, 'elasticache', 'aws'),
              kind: 'ReplicationGroup',
              spec: {
                forProvider: {
                  region: '',
                  description: 'Managed by Epicshelter',
                  engine: 'redis',
                  engineVersion: '',
                  nodeType: '',
                  numCacheClusters: 1,
                  transitEncryptionEnabled: true,
                  // A string in the provider's schema.
                  atRestEncryptionEnabled: 'true',
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.region'),
              from('spec.parameters.version', 'spec.forProvider.engineVersion'),
              from('spec.parameters.size', 'spec.forProvider.nodeType', [
                map(SIZE.awsCache),
              ]),
            ],
            connectionDetails: [
              conn('endpoint', 'primary_endpoint_address'),
              conn('port'),
            ],
          },
          'connection',
        ),
      ];
    case 'Bucket/aws':
      return [
        withConnectionSecret(
          style,
          {
            name: 'bucket',
            base: {
              apiVersion: mrApi(style, 's3', 'aws'),
              kind: 'Bucket',
              spec: {
                forProvider: { region: '' },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.region'),
            ],
          },
          'connection',
        ),
        {
          name: 'versioning',
          base: {
            apiVersion: mrApi(style, 's3', 'aws'),
            kind: 'BucketVersioning',
            spec: {
              forProvider: {
                region: '',
                bucketSelector: { matchControllerRef: true },
                versioningConfiguration: block(style, { status: 'Suspended' }),
              },
              providerConfigRef: providerConfigRef(style),
            },
          },
          patches: [
            from('spec.parameters.region', 'spec.forProvider.region'),
            from(
              'spec.parameters.versioning',
              `spec.forProvider.${inBlock(
                style,
                'versioningConfiguration',
              )}.status`,
              boolMap({ true: 'Enabled', false: 'Suspended' }),
            ),
          ],
        },
      ];
    case 'Database/gcp':
      return [
        withConnectionSecret(
          style,
          {
            name: 'instance',
            base: {
              apiVersion: mrApi(style, 'sql', 'gcp'),
              kind: 'DatabaseInstance',
              spec: {
                forProvider: {
                  region: '',
                  databaseVersion: '',
                  deletionProtection: false,
                  // GCP refuses an instance with neither a public nor a
                  // private IP, and a private IP needs a VPC peered with
                  // servicenetworking (provider-gcp-compute, not installed).
                  // So: a public IP that no network is authorised to reach
                  // directly, TLS required; workloads connect through the
                  // Cloud SQL Auth Proxy or a connector (IAM-authorised).
                  settings: block(style, {
                    tier: '',
                    ipConfiguration: block(style, {
                      ipv4Enabled: true,
                      authorizedNetworks: [],
                      sslMode: 'ENCRYPTED_ONLY',
                    }),
                  }),
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.region'),
              combine(
                ['spec.parameters.engine', 'spec.parameters.version'],
                '%s-%s',
                'spec.forProvider.databaseVersion',
                [
                  map({
                    'postgres-17': 'POSTGRES_17',
                    'postgres-16': 'POSTGRES_16',
                    'postgres-15': 'POSTGRES_15',
                    'mysql-8.4': 'MYSQL_8_4',
                    'mysql-8.0': 'MYSQL_8_0',
                  }),
                ],
              ),
              from(
                'spec.parameters.size',
                `spec.forProvider.${inBlock(style, 'settings')}.tier`,
                [map(SIZE.gcpDb)],
              ),
            ],
            connectionDetails: [
              conn('endpoint', 'publicIP'),
              conn('connectionName'),
              conn('serverCACertificateCert'),
            ],
          },
          'connection',
        ),
      ];
    case 'Cache/gcp':
      return [
        withConnectionSecret(
          style,
          {
            name: 'instance',
            base: {
              apiVersion: mrApi(style, 'redis', 'gcp'),
              kind: 'Instance',
              spec: {
                forProvider: {
                  region: '',
                  tier: 'BASIC',
                  memorySizeGb: 1,
                  redisVersion: '',
                  authEnabled: true,
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.region'),
              from('spec.parameters.version', 'spec.forProvider.redisVersion', [
                map({ '7.2': 'REDIS_7_2', '7.0': 'REDIS_7_0' }),
              ]),
              from('spec.parameters.size', 'spec.forProvider.memorySizeGb', [
                map(SIZE.gcpCache),
              ]),
            ],
            connectionDetails: [
              conn('endpoint', 'host'),
              conn('password', 'attribute.auth_string'),
            ],
          },
          'connection',
        ),
      ];
    case 'Bucket/gcp':
      return [
        withConnectionSecret(
          style,
          {
            name: 'bucket',
            base: {
              apiVersion: mrApi(style, 'storage', 'gcp'),
              kind: 'Bucket',
              spec: {
                forProvider: {
                  location: '',
                  uniformBucketLevelAccess: true,
                  versioning: block(style, { enabled: false }),
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.location'),
              from(
                'spec.parameters.versioning',
                `spec.forProvider.${inBlock(style, 'versioning')}.enabled`,
              ),
            ],
          },
          'connection',
        ),
      ];
    case 'Database/azure':
      return [
        azureResourceGroup(style),
        withConnectionSecret(
          style,
          {
            name: 'server',
            base: {
              apiVersion: mrApi(style, 'dbforpostgresql', 'azure'),
              kind: 'FlexibleServer',
              spec: {
                forProvider: {
                  location: '',
                  version: '',
                  skuName: '',
                  // PostgreSQL only (UNOFFERED_DATABASE_ENGINES): the
                  // provider generates the administrator password into
                  // the Secret `<name>-password`. The MySQL kind has no
                  // autoGeneratePassword, so its password Secret would be
                  // created by nothing.
                  administratorLogin: 'app',
                  autoGeneratePassword: true,
                  administratorPasswordSecretRef: {
                    key: 'password',
                    name: '',
                    ...(style === 'v1'
                      ? { namespace: 'crossplane-system' }
                      : {}),
                  },
                  resourceGroupNameSelector: { matchControllerRef: true },
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.location'),
              // PostgreSQL versions only: a MySQL XR fails visibly
              // ("key not found") instead of becoming a PostgreSQL server.
              from('spec.parameters.version', 'spec.forProvider.version', [
                map(
                  Object.fromEntries(
                    databaseVersions('postgres').map(v => [v, v]),
                  ),
                ),
              ]),
              from('spec.parameters.size', 'spec.forProvider.skuName', [
                map(SIZE.azureDb),
              ]),
              from(
                style === 'v2' ? 'metadata.name' : 'metadata.uid',
                'spec.forProvider.administratorPasswordSecretRef.name',
                [fmt('%s-password')],
              ),
            ],
            connectionDetails: [
              // fqdn and administratorLogin are not sensitive, so not in the
              // connection secret: read from the resource itself.
              connFromField('endpoint', 'status.atProvider.fqdn'),
              connFromField('username', 'spec.forProvider.administratorLogin'),
              conn('password', 'attribute.administrator_password'),
            ],
          },
          'connection',
        ),
      ];
    case 'Cache/azure':
      return [
        azureResourceGroup(style),
        withConnectionSecret(
          style,
          {
            name: 'cache',
            base: {
              apiVersion: mrApi(style, 'cache', 'azure'),
              kind: 'RedisCache',
              spec: {
                forProvider: {
                  location: '',
                  // Azure Cache for Redis serves Redis 6 only; the platform's
                  // 7.x versions map onto it.
                  redisVersion: '6',
                  skuName: '',
                  family: '',
                  capacity: 0,
                  minimumTlsVersion: '1.2',
                  resourceGroupNameSelector: { matchControllerRef: true },
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.location'),
              from('spec.parameters.size', 'spec.forProvider.skuName', [
                map(SIZE.azureCacheSku),
              ]),
              from('spec.parameters.size', 'spec.forProvider.family', [
                map(SIZE.azureCacheFamily),
              ]),
              from('spec.parameters.size', 'spec.forProvider.capacity', [
                map(SIZE.azureCacheCapacity),
              ]),
            ],
            connectionDetails: [
              connFromField('endpoint', 'status.atProvider.hostname'),
              conn('password', 'attribute.primary_access_key'),
            ],
          },
          'connection',
        ),
      ];
    case 'Bucket/azure':
      return [
        azureResourceGroup(style),
        withConnectionSecret(
          style,
          {
            name: 'account',
            base: {
              apiVersion: mrApi(style, 'storage', 'azure'),
              kind: 'Account',
              spec: {
                forProvider: {
                  location: '',
                  accountTier: 'Standard',
                  accountReplicationType: 'LRS',
                  blobProperties: block(style, { versioningEnabled: false }),
                  resourceGroupNameSelector: { matchControllerRef: true },
                },
                providerConfigRef: providerConfigRef(style),
              },
            },
            patches: [
              from('spec.parameters.region', 'spec.forProvider.location'),
              from(
                'spec.parameters.versioning',
                `spec.forProvider.${inBlock(
                  style,
                  'blobProperties',
                )}.versioningEnabled`,
              ),
            ],
            connectionDetails: [
              conn('connectionString', 'attribute.primary_connection_string'),
            ],
          },
          'connection',
        ),
        {
          name: 'container',
          base: {
            apiVersion: mrApi(style, 'storage', 'azure'),
            kind: 'Container',
            spec: {
              forProvider: {
                containerAccessType: 'private',
                storageAccountNameSelector: { matchControllerRef: true },
              },
              providerConfigRef: providerConfigRef(style),
            },
          },
        },
      ];
    default:
      if (kind === 'KubernetesCluster' && provider !== 'local') {
        return kubernetesCluster(provider, style, role);
      }
      throw new Error(`no composition for ${kind} on ${provider}`);
  }
}

/**
 * Name of the provider-kubernetes ProviderConfig through which an attached
 * cluster reads its cloud environment's cluster (`%s`: the environment).
 */
const OBSERVED_CLUSTER_PROVIDER_CONFIG = '%s-cloud-cluster';

/**
 * What an attached (local) cluster composes for a database, cache or bucket
 * of a cloud environment: nothing in the cloud. An observe-only Object reads
 * the same XR (v2) or claim (v1) in the environment's own cluster, through
 * the ProviderConfig the environment's cluster XR (role observe) composes,
 * and is Ready when that XR is. Deleting it, or the whole attached cluster,
 * changes nothing anywhere.
 */
function observedInCloudCluster(
  kind: PlatformKind,
  style: Style,
): ComposedResource {
  const v2 = style === 'v2';
  const namespace = v2 ? 'metadata.namespace' : 'spec.claimRef.namespace';
  return {
    name: 'observed',
    base: {
      apiVersion: v2
        ? 'kubernetes.m.crossplane.io/v1alpha1'
        : 'kubernetes.crossplane.io/v1alpha2',
      kind: 'Object',
      spec: {
        managementPolicies: ['Observe'],
        forProvider: {
          manifest: {
            apiVersion: `${
              v2 ? PLATFORM_GROUP : LEGACY_PLATFORM_GROUP
            }/${PLATFORM_VERSION}`,
            kind,
            metadata: { name: '', namespace: '' },
          },
        },
        readiness: { policy: 'DeriveFromObject' },
        providerConfigRef: {
          ...(v2 ? { kind: 'ProviderConfig' } : {}),
          name: '',
        },
      },
    },
    patches: [
      from(
        v2 ? 'metadata.name' : 'spec.claimRef.name',
        'spec.forProvider.manifest.metadata.name',
      ),
      from(namespace, 'spec.forProvider.manifest.metadata.namespace'),
      // The environment's namespace is named after it.
      from(namespace, 'spec.providerConfigRef.name', [
        fmt(OBSERVED_CLUSTER_PROVIDER_CONFIG),
      ]),
    ],
  };
}

/**
 * Management policies of the bootstrap: create when missing, then only
 * observe; never update, never delete.
 */
const CREATE_ONCE = ['Observe', 'Create'] as const;

/** Label that tells the EKS cluster's and node group's IAM role selectors which composed Role is theirs. */
const LABEL_AWS_ROLE = 'platform.epicshelter.io/aws-role';
/** Label that tells each route table association which composed Subnet is its own. */
const LABEL_AWS_ZONE = 'platform.epicshelter.io/zone';

const assumeRolePolicy = (service: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
      },
    ],
  });

/**
 * What an EKS cluster needs besides itself, composed next to it so every
 * reference selector resolves within the composite resource
 * (`matchControllerRef`): a VPC with two public subnets in two zones of the
 * region, by zone ID (EKS wants two zones; see awsZones.ts), an internet gateway and its route,
 * and the IAM roles of the control plane and the nodes with AWS's managed
 * policies. Served by provider-aws-ec2 and provider-aws-iam.
 */
function eksNetwork(style: Style): ComposedResource[] {
  const policies = CREATE_ONCE;
  const region = from('spec.parameters.region', 'spec.forProvider.region');
  // Fixed names, so the hand-over Objects (awsNetworkHandOver) can read
  // each resource's external name and resolved references.
  const named = (name: string): Obj[] => [
    from('metadata.name', 'metadata.name', [fmt(`%s-${name}`)]),
  ];
  const mr = (
    name: string,
    service: 'ec2' | 'iam',
    kind: string,
    forProvider: Obj,
    patches: Obj[] = [],
    labels?: Record<string, string>,
  ): ComposedResource => ({
    name,
    base: {
      apiVersion: mrApi(style, service, 'aws'),
      kind,
      ...(labels ? { metadata: { labels } } : {}),
      spec: {
        ...(policies.length > 0 ? { managementPolicies: [...policies] } : {}),
        forProvider,
        providerConfigRef: providerConfigRef(style),
      },
    },
    patches: [...named(name), ...patches],
  });
  const inVpc = { region: '', vpcIdSelector: { matchControllerRef: true } };
  // Zone IDs, not names: `<region>a`/`<region>b` do not exist in every
  // account (awsZones.ts).
  const zones = [
    ['a', 0, '10.0.0.0/18'],
    ['b', 1, '10.0.64.0/18'],
  ] as const;
  // IAM role names are chosen, not assigned: `<env>-eks-cluster` and
  // `<env>-eks-node`, so every role (bootstrap, self-managed) adopts them by
  // name. Policy attachments need no adoption: attaching an attached policy
  // succeeds.
  const iamRole = (name: string, service: string, managed: string[]) => [
    mr(
      name,
      'iam',
      'Role',
      { assumeRolePolicy: assumeRolePolicy(service) },
      [
        from(
          'spec.parameters.environment',
          `metadata.annotations[${ANNOTATION_EXTERNAL_NAME}]`,
          [fmt(`%s-${name}`)],
        ),
      ],
      {
        [LABEL_AWS_ROLE]: name,
      },
    ),
    ...managed.map(policy =>
      mr(
        `${name}-${policy.toLowerCase().replace(/_/g, '-')}`,
        'iam',
        'RolePolicyAttachment',
        {
          policyArn: `arn:aws:iam::aws:policy/${policy}`,
          roleSelector: {
            matchControllerRef: true,
            matchLabels: { [LABEL_AWS_ROLE]: name },
          },
        },
      ),
    ),
  ];
  return [
    mr(
      'vpc',
      'ec2',
      'VPC',
      {
        region: '',
        cidrBlock: '10.0.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
      },
      [region],
    ),
    ...zones.map(([zone, index, cidrBlock]) =>
      mr(
        `subnet-${zone}`,
        'ec2',
        'Subnet',
        {
          ...inVpc,
          availabilityZoneId: '',
          cidrBlock,
          mapPublicIpOnLaunch: true,
        },
        [
          region,
          from(
            'spec.parameters.region',
            'spec.forProvider.availabilityZoneId',
            [
              map(
                Object.fromEntries(
                  Object.entries(AWS_EKS_ZONE_IDS).map(([r, ids]) => [
                    r,
                    ids[index],
                  ]),
                ),
              ),
            ],
          ),
        ],
        { [LABEL_AWS_ZONE]: zone },
      ),
    ),
    mr('internet-gateway', 'ec2', 'InternetGateway', { ...inVpc }, [region]),
    mr('route-table', 'ec2', 'RouteTable', { ...inVpc }, [region]),
    mr(
      'default-route',
      'ec2',
      'Route',
      {
        region: '',
        destinationCidrBlock: '0.0.0.0/0',
        routeTableIdSelector: { matchControllerRef: true },
        gatewayIdSelector: { matchControllerRef: true },
      },
      [region],
    ),
    ...zones.map(([zone]) =>
      mr(
        `route-table-association-${zone}`,
        'ec2',
        'RouteTableAssociation',
        {
          region: '',
          routeTableIdSelector: { matchControllerRef: true },
          subnetIdSelector: {
            matchControllerRef: true,
            matchLabels: { [LABEL_AWS_ZONE]: zone },
          },
        },
        [region],
      ),
    ),
    ...iamRole('eks-cluster', 'eks.amazonaws.com', ['AmazonEKSClusterPolicy']),
    ...iamRole('eks-node', 'ec2.amazonaws.com', [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
    ]),
  ];
}


/** Management policies of a cloud cluster's resources per role (none: all). */
const ROLE_POLICIES: Record<ClusterRole, readonly string[]> = {
  bootstrap: CREATE_ONCE,
  observe: ['Observe'],
  'self-managed': [],
};

/** Path of a cloud cluster's root folder; `%s` is the environment. */
export const CLOUD_ROOT_PATH_FORMAT = cloudClusterDir('%s');

/** The Argo CD chart the bootstrap installs; the cloud cluster's `argocd` Application pins the same. */
export const ARGOCD_CHART = {
  name: 'argo-cd',
  repository: 'https://argoproj.github.io/argo-helm',
  version: '8.3.0',
} as const;

/** Values of that chart (bootstrap and self-management alike). */
export const ARGOCD_VALUES = {
  namespaceOverride: ARGOCD_NAMESPACE,
  configs: { params: { 'server.insecure': false } },
};

/**
 * The cluster and its kubeconfig connection secret, as the role needs them:
 * `self-managed` reconciles the cluster; `observe` only reads it; `bootstrap`
 * creates it once and installs into it Argo CD (provider-helm) and the root
 * Application that points back at the GitOps repository
 * (`environments/<env>/cluster`), so the cluster manages itself from Git.
 */
function kubernetesCluster(
  provider: CloudProvider,
  style: Style,
  role: ClusterRole,
): ComposedResource[] {
  const kubeconfigKey = {
    aws: 'kubeconfig',
    gcp: 'kubeconfig',
    azure: 'attribute.kube_config_raw',
  }[provider];
  const clusterResourcesByProvider: Record<
    CloudProvider,
    () => ComposedResource[]
  > = {
    aws: () => [
      {
        name: 'cluster',
        base: {
          apiVersion: mrApi(style, 'eks', 'aws'),
          kind: 'Cluster',
          spec: {
            forProvider: {
              region: '',
              version: '',
              roleArnSelector: {
                matchControllerRef: true,
                matchLabels: { [LABEL_AWS_ROLE]: 'eks-cluster' },
              },
              vpcConfig: block(style, {
                subnetIdSelector: { matchControllerRef: true },
                endpointPublicAccess: true,
              }),
            },
            providerConfigRef: providerConfigRef(style),
          },
        },
        patches: [
          from('spec.parameters.region', 'spec.forProvider.region'),
          from('spec.parameters.version', 'spec.forProvider.version'),
        ],
      },
      {
        name: 'node-group',
        base: {
          apiVersion: mrApi(style, 'eks', 'aws'),
          kind: 'NodeGroup',
          spec: {
            forProvider: {
              region: '',
              clusterNameSelector: { matchControllerRef: true },
              nodeRoleArnSelector: {
                matchControllerRef: true,
                matchLabels: { [LABEL_AWS_ROLE]: 'eks-node' },
              },
              subnetIdSelector: { matchControllerRef: true },
              instanceTypes: [''],
              scalingConfig: block(style, {
                desiredSize: 1,
                minSize: 1,
                maxSize: 1,
              }),
            },
            providerConfigRef: providerConfigRef(style),
          },
        },
        patches: [
          from('spec.parameters.region', 'spec.forProvider.region'),
          from(
            'spec.parameters.nodeSize',
            'spec.forProvider.instanceTypes[0]',
            [map(SIZE.awsNode)],
          ),
          from(
            'spec.parameters.nodeCount',
            `spec.forProvider.${inBlock(style, 'scalingConfig')}.desiredSize`,
          ),
          from(
            'spec.parameters.nodeCount',
            `spec.forProvider.${inBlock(style, 'scalingConfig')}.minSize`,
          ),
          from(
            'spec.parameters.nodeCount',
            `spec.forProvider.${inBlock(style, 'scalingConfig')}.maxSize`,
          ),
        ],
      },
      withConnectionSecret(
        style,
        {
          name: 'cluster-auth',
          base: {
            apiVersion: mrApi(style, 'eks', 'aws'),
            kind: 'ClusterAuth',
            spec: {
              forProvider: {
                region: '',
                clusterNameSelector: { matchControllerRef: true },
              },
              providerConfigRef: providerConfigRef(style),
            },
          },
          patches: [from('spec.parameters.region', 'spec.forProvider.region')],
          connectionDetails: [conn('kubeconfig')],
        },
        'kubeconfig',
      ),
    ],
    gcp: () => [
      withConnectionSecret(
        style,
        {
          name: 'cluster',
          base: {
            apiVersion: mrApi(style, 'container', 'gcp'),
            kind: 'Cluster',
            spec: {
              forProvider: {
                location: '',
                minMasterVersion: '',
                initialNodeCount: 1,
                removeDefaultNodePool: true,
                deletionProtection: false,
              },
              providerConfigRef: providerConfigRef(style),
            },
          },
          patches: [
            from('spec.parameters.region', 'spec.forProvider.location'),
            from(
              'spec.parameters.version',
              'spec.forProvider.minMasterVersion',
            ),
          ],
          connectionDetails: [conn('kubeconfig')],
        },
        'kubeconfig',
      ),
      {
        name: 'node-pool',
        base: {
          apiVersion: mrApi(style, 'container', 'gcp'),
          kind: 'NodePool',
          spec: {
            forProvider: {
              location: '',
              clusterSelector: { matchControllerRef: true },
              nodeCount: 1,
              nodeConfig: block(style, { machineType: '' }),
            },
            providerConfigRef: providerConfigRef(style),
          },
        },
        patches: [
          from('spec.parameters.region', 'spec.forProvider.location'),
          from('spec.parameters.nodeCount', 'spec.forProvider.nodeCount'),
          from(
            'spec.parameters.nodeSize',
            `spec.forProvider.${inBlock(style, 'nodeConfig')}.machineType`,
            [map(SIZE.gcpNode)],
          ),
        ],
      },
    ],
    azure: () => [
      azureResourceGroup(style),
      withConnectionSecret(
        style,
        {
          name: 'cluster',
          base: {
            apiVersion: mrApi(style, 'containerservice', 'azure'),
            kind: 'KubernetesCluster',
            spec: {
              forProvider: {
                location: '',
                kubernetesVersion: '',
                dnsPrefix: '',
                identity: block(style, { type: 'SystemAssigned' }),
                defaultNodePool: block(style, {
                  name: 'default',
                  nodeCount: 1,
                  vmSize: '',
                }),
                resourceGroupNameSelector: { matchControllerRef: true },
              },
              providerConfigRef: providerConfigRef(style),
            },
          },
          patches: [
            from('spec.parameters.region', 'spec.forProvider.location'),
            from(
              'spec.parameters.version',
              'spec.forProvider.kubernetesVersion',
            ),
            from('spec.parameters.environment', 'spec.forProvider.dnsPrefix'),
            from(
              'spec.parameters.nodeCount',
              `spec.forProvider.${inBlock(style, 'defaultNodePool')}.nodeCount`,
            ),
            from(
              'spec.parameters.nodeSize',
              `spec.forProvider.${inBlock(style, 'defaultNodePool')}.vmSize`,
              [map(SIZE.azureNode)],
            ),
          ],
          connectionDetails: [conn('kubeconfig', kubeconfigKey)],
        },
        'kubeconfig',
      ),
    ],
  };
  const network = provider === 'aws' && role === 'bootstrap';
  const clusterResources = [
    ...clusterResourcesByProvider[provider]().map(r =>
      cloudClusterResource(
        provider === 'aws' && role !== 'bootstrap'
          ? withoutEksNetworkRefs(r)
          : r,
        role,
      ),
    ),
    // The network and IAM roles: the bootstrap creates them once and never
    // deletes them, and hands them over to the new cluster's Crossplane
    // (awsNetworkHandOver); the cluster's own XR and observers do not
    // compose them.
    ...(network ? eksNetwork(style) : []),
  ];
  if (role === 'self-managed') return clusterResources;

  // The ProviderConfigs of the new cluster (the bootstrap installs into it,
  // an observer reads the environment's XRs there) read the kubeconfig
  // Secret the cluster resources wrote (by name; no credential in Git).
  const kubeconfigSecretRef =
    style === 'v2'
      ? { name: '', namespace: '', key: 'kubeconfig' }
      : { name: '', namespace: 'crossplane-system', key: 'kubeconfig' };
  const kubeconfigSecretPatches = [
    from(
      style === 'v2' ? 'metadata.name' : 'metadata.uid',
      'spec.credentials.secretRef.name',
      [fmt('%s-kubeconfig')],
    ),
    ...(style === 'v2'
      ? [from('metadata.namespace', 'spec.credentials.secretRef.namespace')]
      : []),
  ];
  const pcApi = (p: 'helm' | 'kubernetes') =>
    `${p}${style === 'v2' ? '.m' : ''}.crossplane.io/${
      p === 'helm' ? 'v1beta1' : 'v1alpha1'
    }`;
  const clusterPcRef = {
    ...(style === 'v2' ? { kind: 'ProviderConfig' } : {}),
    name: '',
  };
  const pcRefPatch = from('metadata.name', 'spec.providerConfigRef.name', [
    fmt('%s-cluster'),
  ]);
  // GKE issues no client certificate (disabled by default since 1.12, and a
  // certificate user has no RBAC binding): the kubeconfig gives the endpoint
  // and CA, and the providers authenticate as the Google service account of
  // the gcp ProviderConfig (gcp-credentials), which created the cluster and
  // is cluster-admin through GKE's IAM integration.
  const identity =
    provider === 'gcp'
      ? {
          identity: {
            type: 'GoogleApplicationCredentials',
            source: 'Secret',
            secretRef: {
              namespace: CLOUD_CREDENTIALS_NAMESPACE,
              name: cloudCredentialsSecretName('gcp'),
              key: CLOUD_CREDENTIALS_KEY,
            },
          },
        }
      : {};
  const providerConfig = (p: 'helm' | 'kubernetes'): ComposedResource => ({
    name: `${p}-provider-config`,
    base: {
      apiVersion: pcApi(p),
      kind: 'ProviderConfig',
      spec: {
        credentials: { source: 'Secret', secretRef: kubeconfigSecretRef },
        ...identity,
      },
    },
    patches: [
      ...kubeconfigSecretPatches,
      role === 'observe'
        ? from('spec.parameters.environment', 'metadata.name', [
            fmt(OBSERVED_CLUSTER_PROVIDER_CONFIG),
          ])
        : from('metadata.name', 'metadata.name', [fmt('%s-cluster')]),
    ],
  });
  // An observer reads the cloud cluster's XRs through this ProviderConfig
  // (observedInCloudCluster), named after the environment so the
  // environment's other XRs find it.
  if (role === 'observe')
    return [...clusterResources, providerConfig('kubernetes')];
  // Everything created inside the new cluster is created once and then only
  // observed: the cloud cluster's own Argo CD takes it over (see the
  // blueprint README), and deleting the bootstrap deletes none of it.
  const inClusterObject = (
    name: string,
    manifest: Obj,
    patches: Obj[] = [],
    references: Obj[] = [],
  ): ComposedResource => ({
    name,
    base: {
      apiVersion:
        style === 'v2'
          ? 'kubernetes.m.crossplane.io/v1alpha1'
          : 'kubernetes.crossplane.io/v1alpha2',
      kind: 'Object',
      spec: {
        managementPolicies: [...CREATE_ONCE],
        forProvider: { manifest },
        ...(references.length > 0 ? { references } : {}),
        providerConfigRef: clusterPcRef,
      },
    },
    patches: [pcRefPatch, ...patches],
  });
  // The cloud cluster's own Crossplane authenticates with the same
  // credentials Secret as this cluster's: the platform's ProviderConfigs
  // (platform/provider-configs.yaml, synced there too) read it by name. The
  // Object copies it once (references[].patchesFrom reads the Secret in the
  // cluster that runs provider-kubernetes, this one) and never updates or
  // deletes it: from then on the cloud cluster owns it (rotate it there).
  const credentials = cloudCredentialsSecretName(provider);
  const manifestPath = (field: string) => `spec.forProvider.manifest.${field}`;
  return [
    ...clusterResources,
    providerConfig('helm'),
    providerConfig('kubernetes'),
    inClusterObject('crossplane-system-namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: CLOUD_CREDENTIALS_NAMESPACE,
        labels: { [LABEL_PART_OF]: PART_OF_VALUE },
      },
    }),
    inClusterObject(
      'cloud-credentials',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: credentials,
          namespace: CLOUD_CREDENTIALS_NAMESPACE,
          labels: { [LABEL_PART_OF]: PART_OF_VALUE },
        },
        type: 'Opaque',
      },
      [],
      [
        {
          patchesFrom: {
            apiVersion: 'v1',
            kind: 'Secret',
            name: credentials,
            namespace: CLOUD_CREDENTIALS_NAMESPACE,
            fieldPath: `data[${CLOUD_CREDENTIALS_KEY}]`,
          },
          toFieldPath: `data[${CLOUD_CREDENTIALS_KEY}]`,
        },
      ],
    ),
    ...(network
      ? awsNetworkHandOver(style, eksNetwork(style), inClusterObject)
      : []),
    inClusterObject('argocd-namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ARGOCD_NAMESPACE,
        labels: { [LABEL_PART_OF]: PART_OF_VALUE },
      },
    }),
    {
      // The namespaced Release installs into its own namespace (the XR's);
      // the chart's namespaceOverride puts Argo CD into `argocd`. The legacy
      // cluster-scoped Release names the namespace in forProvider.
      name: 'argocd',
      base: {
        apiVersion: pcApi('helm'),
        kind: 'Release',
        metadata: { annotations: { [ANNOTATION_EXTERNAL_NAME]: 'argocd' } },
        spec: {
          managementPolicies: [...CREATE_ONCE],
          forProvider: {
            chart: { ...ARGOCD_CHART },
            ...(style === 'v1' ? { namespace: ARGOCD_NAMESPACE } : {}),
            values: ARGOCD_VALUES,
          },
          providerConfigRef: clusterPcRef,
        },
      },
      patches: [pcRefPatch],
    },
    inClusterObject(
      'root-application',
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: CLOUD_ROOT_APPLICATION,
          namespace: ARGOCD_NAMESPACE,
          labels: { [LABEL_PART_OF]: PART_OF_VALUE, [LABEL_ENVIRONMENT]: '' },
        },
        spec: {
          project: 'default',
          source: { repoURL: '', targetRevision: '', path: '' },
          destination: {
            server: 'https://kubernetes.default.svc',
            namespace: ARGOCD_NAMESPACE,
          },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
      [
        from(
          'spec.parameters.environment',
          manifestPath(`metadata.labels[${LABEL_ENVIRONMENT}]`),
        ),
        from('spec.parameters.environment', manifestPath('spec.source.path'), [
          fmt(CLOUD_ROOT_PATH_FORMAT),
        ]),
        fromEnv('gitops.repoURL', manifestPath('spec.source.repoURL')),
        fromEnv('gitops.revision', manifestPath('spec.source.targetRevision')),
      ],
    ),
  ];
}

/**
 * The bootstrap's hand-over of the AWS network and IAM roles: for each of
 * them an Object, created once in the new cluster through its
 * ProviderConfig, whose manifest is the same managed resource
 * (`<env>-<resource>`, fully managed there) carrying the bootstrap's
 * identifiers: its `crossplane.io/external-name` (AWS-assigned IDs such as
 * `vpc-...`), the IDs its references resolved to (`vpcId`, `subnetId`, ...)
 * and its patched fields, all copied with `references[].patchesFrom` from
 * the bootstrap's own resource (provider-kubernetes reads references in the
 * cluster it runs in, this one). An Object waits until those values exist,
 * so the cloud cluster never receives a resource without its identity and
 * never creates a second network. From then on the cloud cluster's
 * Crossplane owns them; the bootstrap's copies only observe.
 */
function awsNetworkHandOver(
  style: Style,
  network: ComposedResource[],
  inClusterObject: (
    name: string,
    manifest: Obj,
    patches?: Obj[],
    references?: Obj[],
  ) => ComposedResource,
): ComposedResource[] {
  const manifestPath = (field: string) => `spec.forProvider.manifest.${field}`;
  return network.map(r => {
    const spec = (r.base.spec ?? {}) as Obj;
    const forProvider = (spec.forProvider ?? {}) as Obj;
    // Fields patched from the XR (region, zone): the same patches, into
    // the manifest.
    const forProviderPatches = (r.patches ?? []).filter(p =>
      String(p.toFieldPath).startsWith('spec.forProvider.'),
    );
    const selectors = Object.keys(forProvider).filter(k =>
      k.endsWith('Selector'),
    );
    const copied = [
      `metadata.annotations[${ANNOTATION_EXTERNAL_NAME}]`,
      ...selectors.map(k => `spec.forProvider.${k.replace(/Selector$/, '')}`),
    ];
    const given = Object.fromEntries(
      Object.entries(forProvider).filter(([k]) => !k.endsWith('Selector')),
    );
    const baseLabels = ((r.base.metadata as Obj | undefined)?.labels ??
      {}) as Obj;
    const manifest = {
      apiVersion: r.base.apiVersion,
      kind: r.base.kind,
      metadata: {
        name: '',
        ...(style === 'v2' ? { namespace: '' } : {}),
        labels: {
          ...baseLabels,
          [LABEL_PART_OF]: PART_OF_VALUE,
          [LABEL_ENVIRONMENT]: '',
        },
      },
      spec: {
        forProvider: given,
        providerConfigRef: spec.providerConfigRef,
      },
    };
    return inClusterObject(
      `${r.name}-hand-over`,
      manifest,
      [
        from('spec.parameters.environment', manifestPath('metadata.name'), [
          fmt(`%s-${r.name}`),
        ]),
        ...(style === 'v2'
          ? [
              from(
                'spec.parameters.environment',
                manifestPath('metadata.namespace'),
              ),
            ]
          : []),
        from(
          'spec.parameters.environment',
          manifestPath(`metadata.labels[${LABEL_ENVIRONMENT}]`),
        ),
        ...forProviderPatches.map(p => ({
          ...p,
          toFieldPath: manifestPath(String(p.toFieldPath)),
        })),
        ...copied.flatMap((_, i) => [
          from('metadata.name', `spec.references[${i}].patchesFrom.name`, [
            fmt(`%s-${r.name}`),
          ]),
          ...(style === 'v2'
            ? [
                from(
                  'metadata.namespace',
                  `spec.references[${i}].patchesFrom.namespace`,
                ),
              ]
            : []),
        ]),
      ],
      copied.map(fieldPath => ({
        patchesFrom: {
          apiVersion: r.base.apiVersion,
          kind: r.base.kind,
          name: '',
          ...(style === 'v2' ? { namespace: '' } : {}),
          fieldPath,
        },
        toFieldPath: fieldPath,
      })),
    );
  });
}

/**
 * An observer composes no network or IAM role: it observes the cluster and
 * node group by name, whose role and subnets it only reads.
 */
function withoutEksNetworkRefs(r: ComposedResource): ComposedResource {
  const spec = (r.base.spec ?? {}) as Obj;
  const forProvider = { ...((spec.forProvider ?? {}) as Obj) };
  delete forProvider.roleArnSelector;
  delete forProvider.nodeRoleArnSelector;
  delete forProvider.subnetIdSelector;
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (typeof v !== 'object' || v === null) return v;
    const { subnetIdSelector: _drop, ...rest } = v as Obj;
    return rest;
  };
  if (forProvider.vpcConfig !== undefined) {
    forProvider.vpcConfig = strip(forProvider.vpcConfig);
  }
  return { ...r, base: { ...r.base, spec: { ...spec, forProvider } } };
}

/**
 * A cloud cluster resource as a role needs it: named after the environment
 * (`crossplane.io/external-name`), so the bootstrap, the cloud cluster's own
 * Crossplane and observers all address the same cluster; bootstrap and
 * observe never update or delete it.
 */
function cloudClusterResource(
  r: ComposedResource,
  role: ClusterRole,
): ComposedResource {
  const policies = ROLE_POLICIES[role];
  const named = r.name !== 'cluster-auth';
  return {
    ...r,
    base: {
      ...r.base,
      ...(named
        ? {
            metadata: {
              annotations: { [ANNOTATION_EXTERNAL_NAME]: '' },
            },
          }
        : {}),
      spec: {
        ...(policies.length > 0 ? { managementPolicies: [...policies] } : {}),
        ...((r.base.spec ?? {}) as Obj),
      },
    },
    patches: [
      ...(named
        ? [
            from(
              'spec.parameters.environment',
              `metadata.annotations[${ANNOTATION_EXTERNAL_NAME}]`,
            ),
          ]
        : []),
      ...(r.patches ?? []),
    ],
  };
}

/**
 * Crossplane v2 ignores a Composition's `connectionDetails` for namespaced
 * XRs (v2 XRDs have no connectionSecretKeys): the v2 way is to compose the
 * Secret. Each managed resource with connection details writes its own
 * connection secret (`<xr>-managed-connection`, the provider's keys), and a
 * provider-kubernetes Object composes `<xr>-connection`, the Secret the
 * workloads read, with the platform's key names: secret keys copied from
 * that connection secret, plain fields from the managed resource itself
 * (`references[].patchesFrom`).
 */
function withComposedConnectionSecret(
  resources: ComposedResource[],
): ComposedResource[] {
  return resources.flatMap(r => {
    const details = r.connectionDetails ?? [];
    const secretPatch = (r.patches ?? []).find(
      p =>
        p.toFieldPath === 'spec.writeConnectionSecretToRef.name' &&
        JSON.stringify(p.transforms) === JSON.stringify([fmt('%s-connection')]),
    );
    if (details.length === 0) return [r];
    // The kubeconfig: its readers (ProviderConfigs, attach) read the
    // managed resource's own connection secret and the provider's key.
    if (!secretPatch) return [{ ...r, connectionDetails: undefined }];
    const managedName = `%s-${r.name}`;
    const managed: ComposedResource = {
      name: r.name,
      base: r.base,
      patches: [
        ...(r.patches ?? []).map(p =>
          p === secretPatch
            ? from('metadata.name', 'spec.writeConnectionSecretToRef.name', [
                fmt('%s-managed-connection'),
              ])
            : p,
        ),
        // A fixed name, so the Secret below can read the resource's fields.
        from('metadata.name', 'metadata.name', [fmt(managedName)]),
      ],
    };
    const references = details.map(d =>
      d.type === 'FromConnectionSecretKey'
        ? {
            patchesFrom: {
              apiVersion: 'v1',
              kind: 'Secret',
              name: '',
              namespace: '',
              fieldPath: `data[${String(d.fromConnectionSecretKey)}]`,
            },
            toFieldPath: `data[${String(d.name)}]`,
          }
        : {
            patchesFrom: {
              apiVersion: r.base.apiVersion,
              kind: r.base.kind,
              name: '',
              namespace: '',
              fieldPath: String(d.fromFieldPath),
            },
            toFieldPath: `stringData[${String(d.name)}]`,
          },
    );
    const secret: ComposedResource = {
      name: `${r.name}-connection-secret`,
      base: {
        apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
        kind: 'Object',
        spec: {
          forProvider: {
            manifest: {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: {
                name: '',
                namespace: '',
                labels: { [LABEL_PART_OF]: PART_OF_VALUE },
              },
              type: 'Opaque',
            },
          },
          references,
          providerConfigRef: {
            kind: 'ClusterProviderConfig',
            name: 'in-cluster',
          },
        },
      },
      patches: [
        from('metadata.name', 'spec.forProvider.manifest.metadata.name', [
          fmt('%s-connection'),
        ]),
        from(
          'metadata.namespace',
          'spec.forProvider.manifest.metadata.namespace',
        ),
        ...details.flatMap((d, i) => [
          from('metadata.name', `spec.references[${i}].patchesFrom.name`, [
            fmt(
              d.type === 'FromConnectionSecretKey'
                ? '%s-managed-connection'
                : managedName,
            ),
          ]),
          from(
            'metadata.namespace',
            `spec.references[${i}].patchesFrom.namespace`,
          ),
        ]),
      ],
    };
    return [managed, secret];
  });
}

/** Builds one pipeline-mode Composition. */
export function composition(
  kind: PlatformKind,
  provider: Provider,
  style: Style,
  compositeApiVersion: string,
  compositeKind: string,
  name: string,
  role?: ClusterRole,
): Obj {
  const all = composed(kind, provider, style, role ?? 'self-managed');
  const resources = (
    style === 'v2' ? withComposedConnectionSecret(all) : all
  ).map(r => ({
    name: r.name,
    base: r.base,
    ...(r.patches && r.patches.length > 0 ? { patches: r.patches } : {}),
    ...(r.connectionDetails ? { connectionDetails: r.connectionDetails } : {}),
  }));
  // Only the bootstrap writes the repository URL (root Application) anywhere.
  const environmentConfigs =
    role === 'bootstrap'
      ? [{ type: 'Reference', ref: { name: 'epicshelter-gitops' } }]
      : [];
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: {
      name,
      labels: {
        [LABEL_PART_OF]: PART_OF_VALUE,
        [LABEL_PROVIDER]: provider,
        ...(role ? { [LABEL_CLUSTER_ROLE]: role } : {}),
      },
    },
    spec: {
      compositeTypeRef: {
        apiVersion: compositeApiVersion,
        kind: compositeKind,
      },
      mode: 'Pipeline',
      ...(style === 'v1'
        ? { writeConnectionSecretsToNamespace: 'crossplane-system' }
        : {}),
      pipeline: [
        ...(environmentConfigs.length > 0
          ? [
              {
                step: 'gitops-repository',
                functionRef: { name: 'function-environment-configs' },
                input: {
                  apiVersion: 'environmentconfigs.fn.crossplane.io/v1beta1',
                  kind: 'Input',
                  spec: { environmentConfigs },
                },
              },
            ]
          : []),
        {
          step: 'compose',
          functionRef: { name: 'function-patch-and-transform' },
          input: {
            apiVersion: 'pt.fn.crossplane.io/v1beta1',
            kind: 'Resources',
            resources,
          },
        },
        { step: 'ready', functionRef: { name: 'function-auto-ready' } },
      ],
    },
  };
}
