import { ProviderCompositions } from './types';
import {
  ComposedResource,
  Obj,
  Style,
  from,
  map,
  providerConfigRef,
  withConnectionSecret,
} from './patches';

/** In-cluster substitutes: Helm releases of local charts (provider-helm). */

const SIZE = {
  localCpu: { small: '250m', medium: '500m', large: '1' },
  localMemory: { small: '256Mi', medium: '512Mi', large: '1Gi' },
};

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

/** PostgreSQL or MySQL (Bitnami charts; the engine picks the chart). */
function database(style: Style): ComposedResource[] {
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
}

/** Redis (Bitnami chart). */
function cache(style: Style): ComposedResource[] {
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
        connectionDetails: [secretDetail('data.redis-password', 'password')],
      },
    ),
  ];
}

/** MinIO, one bucket. */
function bucket(style: Style): ComposedResource[] {
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
}

/** The local provider's Compositions. */
export const localCompositions: ProviderCompositions = {
  provider: 'local',
  resources: { Database: database, Cache: cache, Bucket: bucket },
};
