import { databaseVersions } from '../../offerings';
import { ProviderCompositions } from './types';
import {
  ComposedResource,
  Style,
  block,
  conn,
  connFromField,
  from,
  map,
} from './patches';
import { blockField, generatedPassword, managedResources } from './managed';

/** Azure: PostgreSQL flexible server, Cache for Redis, Storage and AKS (provider-upjet-azure). */

const SIZE = {
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
};

const managed = managedResources('azure');

/** The resource group every Azure resource of an XR lives in. */
function azureResourceGroup(style: Style): ComposedResource {
  return managed(style, {
    name: 'resource-group',
    service: '',
    kind: 'ResourceGroup',
    regionField: 'location',
    forProvider: {},
  });
}

/** In the XR's resource group. */
const inResourceGroup = {
  resourceGroupNameSelector: { matchControllerRef: true },
};

/** PostgreSQL flexible server (MySQL is not offered, UNOFFERED_DATABASE_ENGINES). */
function database(style: Style): ComposedResource[] {
  const password = generatedPassword(style, 'administratorPasswordSecretRef');
  return [
    azureResourceGroup(style),
    managed(style, {
      name: 'server',
      service: 'dbforpostgresql',
      kind: 'FlexibleServer',
      regionField: 'location',
      forProvider: {
        version: '',
        skuName: '',
        // PostgreSQL only (UNOFFERED_DATABASE_ENGINES): the provider
        // generates the administrator password into the Secret
        // `<name>-password`. The MySQL kind has no autoGeneratePassword, so
        // its password Secret would be created by nothing.
        administratorLogin: 'app',
        autoGeneratePassword: true,
        administratorPasswordSecretRef: password.ref,
        ...inResourceGroup,
      },
      patches: [
        // PostgreSQL versions only: a MySQL XR fails visibly ("key not
        // found") instead of becoming a PostgreSQL server.
        from('spec.parameters.version', 'spec.forProvider.version', [
          map(
            Object.fromEntries(databaseVersions('postgres').map(v => [v, v])),
          ),
        ]),
        from('spec.parameters.size', 'spec.forProvider.skuName', [
          map(SIZE.azureDb),
        ]),
        password.patch,
      ],
      connectionDetails: [
        // fqdn and administratorLogin are not sensitive, so not in the
        // connection secret: read from the resource itself.
        connFromField('endpoint', 'status.atProvider.fqdn'),
        connFromField('username', 'spec.forProvider.administratorLogin'),
        conn('password', 'attribute.administrator_password'),
      ],
      connectionSecret: 'connection',
    }),
  ];
}

/** Azure Cache for Redis. */
function cache(style: Style): ComposedResource[] {
  const bySize = (field: string, values: Record<string, string | number>) =>
    from('spec.parameters.size', `spec.forProvider.${field}`, [map(values)]);
  return [
    azureResourceGroup(style),
    managed(style, {
      name: 'cache',
      service: 'cache',
      kind: 'RedisCache',
      regionField: 'location',
      forProvider: {
        // Azure Cache for Redis serves Redis 6 only; the platform's 7.x
        // versions map onto it.
        redisVersion: '6',
        skuName: '',
        family: '',
        capacity: 0,
        minimumTlsVersion: '1.2',
        ...inResourceGroup,
      },
      patches: [
        bySize('skuName', SIZE.azureCacheSku),
        bySize('family', SIZE.azureCacheFamily),
        bySize('capacity', SIZE.azureCacheCapacity),
      ],
      connectionDetails: [
        connFromField('endpoint', 'status.atProvider.hostname'),
        conn('password', 'attribute.primary_access_key'),
      ],
      connectionSecret: 'connection',
    }),
  ];
}

/** Storage account and a private container. */
function bucket(style: Style): ComposedResource[] {
  return [
    azureResourceGroup(style),
    managed(style, {
      name: 'account',
      service: 'storage',
      kind: 'Account',
      regionField: 'location',
      forProvider: {
        accountTier: 'Standard',
        accountReplicationType: 'LRS',
        blobProperties: block(style, { versioningEnabled: false }),
        ...inResourceGroup,
      },
      patches: [
        from(
          'spec.parameters.versioning',
          blockField(style, 'blobProperties', 'versioningEnabled'),
        ),
      ],
      connectionDetails: [
        conn('connectionString', 'attribute.primary_connection_string'),
      ],
      connectionSecret: 'connection',
    }),
    managed(style, {
      name: 'container',
      service: 'storage',
      kind: 'Container',
      forProvider: {
        containerAccessType: 'private',
        storageAccountNameSelector: { matchControllerRef: true },
      },
    }),
  ];
}

/** The AKS cluster (with the kubeconfig) in its resource group. */
function clusterResources(style: Style): ComposedResource[] {
  const pool = (field: string) => blockField(style, 'defaultNodePool', field);
  return [
    azureResourceGroup(style),
    managed(style, {
      name: 'cluster',
      service: 'containerservice',
      kind: 'KubernetesCluster',
      regionField: 'location',
      forProvider: {
        kubernetesVersion: '',
        dnsPrefix: '',
        identity: block(style, { type: 'SystemAssigned' }),
        defaultNodePool: block(style, {
          name: 'default',
          nodeCount: 1,
          vmSize: '',
        }),
        ...inResourceGroup,
      },
      patches: [
        from('spec.parameters.version', 'spec.forProvider.kubernetesVersion'),
        from('spec.parameters.environment', 'spec.forProvider.dnsPrefix'),
        from('spec.parameters.nodeCount', pool('nodeCount')),
        from('spec.parameters.nodeSize', pool('vmSize'), [map(SIZE.azureNode)]),
      ],
      connectionDetails: [conn('kubeconfig', 'attribute.kube_config_raw')],
      connectionSecret: 'kubeconfig',
    }),
  ];
}

/** Azure's Compositions. */
export const azureCompositions: ProviderCompositions = {
  provider: 'azure',
  resources: { Database: database, Cache: cache, Bucket: bucket },
  cluster: { resources: clusterResources },
};
