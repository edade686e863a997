import {
  CLOUD_CREDENTIALS_KEY,
  CLOUD_CREDENTIALS_NAMESPACE,
  cloudCredentialsSecretName,
} from '../credentials';
import { ProviderCompositions } from './types';
import {
  ComposedResource,
  Style,
  block,
  combine,
  conn,
  from,
  map,
} from './patches';
import { blockField, managedResources } from './managed';

/** GCP: Cloud SQL, Memorystore, Cloud Storage and GKE (provider-upjet-gcp). */

const SIZE = {
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
};

const managed = managedResources('gcp');

/** Cloud SQL instance. */
function database(style: Style): ComposedResource[] {
  return [
    managed(style, {
      name: 'instance',
      service: 'sql',
      kind: 'DatabaseInstance',
      regionField: 'region',
      forProvider: {
        databaseVersion: '',
        deletionProtection: false,
        // GCP refuses an instance with neither a public nor a private IP,
        // and a private IP needs a VPC peered with servicenetworking
        // (provider-gcp-compute, not installed). So: a public IP that no
        // network is authorised to reach directly, TLS required; workloads
        // connect through the Cloud SQL Auth Proxy or a connector
        // (IAM-authorised).
        settings: block(style, {
          tier: '',
          ipConfiguration: block(style, {
            ipv4Enabled: true,
            authorizedNetworks: [],
            sslMode: 'ENCRYPTED_ONLY',
          }),
        }),
      },
      patches: [
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
        from('spec.parameters.size', blockField(style, 'settings', 'tier'), [
          map(SIZE.gcpDb),
        ]),
      ],
      connectionDetails: [
        conn('endpoint', 'publicIP'),
        conn('connectionName'),
        conn('serverCACertificateCert'),
      ],
      connectionSecret: 'connection',
    }),
  ];
}

/** Memorystore for Redis instance. */
function cache(style: Style): ComposedResource[] {
  return [
    managed(style, {
      name: 'instance',
      service: 'redis',
      kind: 'Instance',
      regionField: 'region',
      forProvider: {
        tier: 'BASIC',
        memorySizeGb: 1,
        redisVersion: '',
        authEnabled: true,
      },
      patches: [
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
      connectionSecret: 'connection',
    }),
  ];
}

/** Cloud Storage bucket. */
function bucket(style: Style): ComposedResource[] {
  return [
    managed(style, {
      name: 'bucket',
      service: 'storage',
      kind: 'Bucket',
      regionField: 'location',
      forProvider: {
        uniformBucketLevelAccess: true,
        versioning: block(style, { enabled: false }),
      },
      patches: [
        from(
          'spec.parameters.versioning',
          blockField(style, 'versioning', 'enabled'),
        ),
      ],
      connectionSecret: 'connection',
    }),
  ];
}

/** The GKE cluster (with the kubeconfig) and its node pool. */
function clusterResources(style: Style): ComposedResource[] {
  return [
    managed(style, {
      name: 'cluster',
      service: 'container',
      kind: 'Cluster',
      regionField: 'location',
      forProvider: {
        minMasterVersion: '',
        initialNodeCount: 1,
        removeDefaultNodePool: true,
        deletionProtection: false,
      },
      patches: [
        from('spec.parameters.version', 'spec.forProvider.minMasterVersion'),
      ],
      connectionDetails: [conn('kubeconfig')],
      connectionSecret: 'kubeconfig',
    }),
    managed(style, {
      name: 'node-pool',
      service: 'container',
      kind: 'NodePool',
      regionField: 'location',
      forProvider: {
        clusterSelector: { matchControllerRef: true },
        nodeCount: 1,
        nodeConfig: block(style, { machineType: '' }),
      },
      patches: [
        from('spec.parameters.nodeCount', 'spec.forProvider.nodeCount'),
        from(
          'spec.parameters.nodeSize',
          blockField(style, 'nodeConfig', 'machineType'),
          [map(SIZE.gcpNode)],
        ),
      ],
    }),
  ];
}

/** GCP's Compositions. */
export const gcpCompositions: ProviderCompositions = {
  provider: 'gcp',
  resources: { Database: database, Cache: cache, Bucket: bucket },
  cluster: {
    resources: clusterResources,
    // GKE issues no client certificate (disabled by default since 1.12, and
    // a certificate user has no RBAC binding): the kubeconfig gives the
    // endpoint and CA, and the providers authenticate as the Google service
    // account of the gcp ProviderConfig (gcp-credentials), which created
    // the cluster and is cluster-admin through GKE's IAM integration.
    providerConfigSpec: {
      identity: {
        type: 'GoogleApplicationCredentials',
        source: 'Secret',
        secretRef: {
          namespace: CLOUD_CREDENTIALS_NAMESPACE,
          name: cloudCredentialsSecretName('gcp'),
          key: CLOUD_CREDENTIALS_KEY,
        },
      },
    },
  },
};
