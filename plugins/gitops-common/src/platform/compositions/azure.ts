import { databaseVersions } from '../../offerings';
import { ProviderCompositions } from './types';
import {
  ComposedResource,
  Style,
  block,
  conn,
  connFromField,
  fmt,
  from,
  inBlock,
  map,
  mrApi,
  providerConfigRef,
  withConnectionSecret,
} from './patches';

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

/** The resource group every Azure resource of an XR lives in. */
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

/** PostgreSQL flexible server (MySQL is not offered, UNOFFERED_DATABASE_ENGINES). */
function database(style: Style): ComposedResource[] {
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
                ...(style === 'v1' ? { namespace: 'crossplane-system' } : {}),
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
              Object.fromEntries(databaseVersions('postgres').map(v => [v, v])),
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
}

/** Azure Cache for Redis. */
function cache(style: Style): ComposedResource[] {
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
}

/** Storage account and a private container. */
function bucket(style: Style): ComposedResource[] {
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
}

/** The AKS cluster (with the kubeconfig) in its resource group. */
function clusterResources(style: Style): ComposedResource[] {
  const kubeconfigKey = 'attribute.kube_config_raw';
  return [
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
          from('spec.parameters.version', 'spec.forProvider.kubernetesVersion'),
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
  ];
}

/** Azure's Compositions. */
export const azureCompositions: ProviderCompositions = {
  provider: 'azure',
  resources: { Database: database, Cache: cache, Bucket: bucket },
  cluster: { resources: clusterResources },
};
