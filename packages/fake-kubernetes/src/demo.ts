import {
  FakeCondition,
  FakeRef,
  creating,
  epicshelterLabels,
  event,
  managed,
  managedCrd,
  reconcileError,
  refOf,
  v1Claim,
  v1Composite,
  v2Composite,
} from './builders';
import { blueprintPlatformObjects } from './blueprint';
import {
  packageUnhealthy,
  providerConfig,
  providerConfigCrd,
  providerPackage,
} from './packages';
import {
  LEGACY_GROUP,
  PLATFORM_GROUP,
  composition,
  networkXrd,
} from './platform';
import type { KubeObject } from './types';
import {
  KUBERNETES_CLUSTER_RESOURCE_NAME,
  connectionSecretName,
  crossplaneObjectName,
  crossplaneObjectsFor,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';

/**
 * The demo environment's spec, as `examples/gitops/dev.yaml` declares it
 * (named after the requested environment). The XRs the demo serves are named
 * from it exactly as the GitOps generator names them (`<env>-<resource>`).
 */
function demoEnvironmentSpec(env: string) {
  return parseEnvironmentSpec({
    name: env,
    owner: 'group:default/checkout-team',
    target: 'local',
    provider: 'local',
    crossplaneApi: 'v2',
    workloads: ['orders-api', 'storefront'],
    resources: {
      databases: [
        { name: 'orders-db', engine: 'postgres' },
        { name: 'storefront-db', engine: 'postgres' },
      ],
      buckets: [{ name: 'storefront-assets' }],
      caches: [{ name: 'orders-cache' }],
    },
  });
}

/**
 * Resource name of the demo's v1 legacy claim: not declared by the
 * environment (which uses the v2 API), left over from before it moved to v2.
 */
const LEGACY_RESOURCE = 'storefront-legacy-db';

/**
 * Managed resource kinds of the AWS providers the demo "installs" (v2,
 * namespaced, in `<service>.aws.m.upbound.io`), with their service.
 */
const AWS_MANAGED_KINDS = {
  Instance: 'rds',
  SubnetGroup: 'rds',
  SecurityGroup: 'ec2',
  VPC: 'ec2',
  Subnet: 'ec2',
  Bucket: 's3',
  BucketVersioning: 's3',
  ReplicationGroup: 'elasticache',
  Cluster: 'eks',
  NodeGroup: 'eks',
} as const;

type AwsManagedKind = keyof typeof AWS_MANAGED_KINDS;

const awsGroup = (kind: AwsManagedKind) =>
  `${AWS_MANAGED_KINDS[kind]}.aws.m.upbound.io`;

/**
 * CRDs of the managed resource kinds used by the demo (the kinds whose
 * providers are "installed"). `kms.aws.m.upbound.io` Key is deliberately
 * absent: the demo references it to show a kind whose CRD is missing.
 * @public
 */
export function demoManagedCrds(): KubeObject[] {
  return [
    ...(Object.keys(AWS_MANAGED_KINDS) as AwsManagedKind[]).map(kind =>
      managedCrd(awsGroup(kind), kind, `${kind.toLowerCase()}s`, true),
    ),
    managedCrd(
      'rds.aws.crossplane.io',
      'DBCluster',
      'dbclusters',
      false,
      'v1alpha1',
    ),
  ];
}

/**
 * The providers behind the demo's managed resources: the upjet AWS family
 * provider, healthy, with the ClusterProviderConfig `default` the v2 MRs
 * use; and the legacy crossplane-contrib provider-aws, unhealthy, whose
 * ProviderConfig `provider-aws` (used by the legacy DBCluster) does not
 * exist.
 * @public
 */
export function demoProviders(): KubeObject[] {
  return [
    ...providerPackage({
      name: 'upbound-provider-family-aws',
      image: 'xpkg.upbound.io/upbound/provider-family-aws:v2.0.0',
      crds: [
        providerConfigCrd('aws.m.upbound.io', 'ClusterProviderConfig', false),
        providerConfigCrd('aws.m.upbound.io', 'ProviderConfig', true),
      ],
    }),
    providerConfig({
      apiVersion: 'aws.m.upbound.io/v1beta1',
      kind: 'ClusterProviderConfig',
      name: 'default',
      users: 8,
    }),
    ...providerPackage({
      name: 'crossplane-contrib-provider-aws',
      image: 'xpkg.crossplane.io/crossplane-contrib/provider-aws:v0.50.1',
      crds: [providerConfigCrd('aws.crossplane.io', 'ProviderConfig', false)],
      conditions: packageUnhealthy(
        'post establish runtime hook failed for package: provider package deployment has no condition of type "Available" yet',
      ),
    }),
  ];
}

/** A v2 platform XR of the demo: its kind, name, labels and Composition. */
interface DemoXr {
  kind: string;
  name: string;
  labels: Record<string, string>;
  composition: string;
}

/** Parameters of the demo's PostgreSQL databases. */
const postgresParameters = (region?: string) => ({
  engine: 'postgres',
  version: '17',
  size: 'small',
  ...(region ? { region } : {}),
});

/**
 * The demo environment `dev` for the components `orders-api` and
 * `storefront`, as the GitOps generator and Crossplane would leave it: the
 * XRs the environment spec declares, named `<env>-<resource>` and labelled
 * `epicshelter.io/resource: <resource>`, each composing resources named
 * `<xr-name>-<suffix>`. Platform XRDs and Compositions, v2 namespaced XRs
 * (a database that is still creating and references a kind whose CRD is
 * missing, a healthy cache, a second database, a bucket whose MR fails to
 * sync), and, not declared by the spec, a Kubernetes cluster with a nested
 * Network XR and a v1 legacy claim with its cluster-scoped XR and legacy
 * MR; events, and a connection Secret (that must never be read).
 * @public
 */
export function demoObjects(env = 'dev'): KubeObject[] {
  const ns = env;
  const declared = crossplaneObjectsFor(demoEnvironmentSpec(env));

  /** The XR the spec declares for `resource`, named as the generator does. */
  const declaredXr = (resource: string) => {
    const ref = declared.find(r => r.resource === resource);
    if (!ref) throw new Error(`demo spec declares no resource ${resource}`);
    return {
      kind: ref.kind,
      name: ref.name,
      labels: epicshelterLabels(env, resource),
      composition: `${ref.resourceType}-aws`,
      connectionSecretName: ref.connectionSecretName,
    };
  };

  /** A v2 XR in the demo namespace composing `composed` (healthy by default). */
  const platformXr = (
    xr: DemoXr,
    parameters: Record<string, unknown>,
    composed: Array<KubeObject | FakeRef>,
    conditions?: FakeCondition[],
  ) =>
    v2Composite({
      apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
      kind: xr.kind,
      name: xr.name,
      namespace: ns,
      labels: xr.labels,
      composition: xr.composition,
      spec: { parameters },
      resourceRefs: composed.map(r => ('metadata' in r ? refOf(r) : r)),
      conditions,
    });

  /**
   * An AWS managed resource in the demo namespace named `<owner>-<suffix>`
   * after the XR composing it, labelled with the top-level XR `composite`
   * (by default the owner).
   */
  const awsMr = (
    kind: AwsManagedKind,
    owner: string,
    suffix: string,
    o: Partial<Parameters<typeof managed>[0]> = {},
  ) =>
    managed({
      apiVersion: `${awsGroup(kind)}/v1beta1`,
      kind,
      name: `${owner}-${suffix}`,
      namespace: ns,
      composite: owner,
      ...o,
    });

  /** The RDS PostgreSQL instance of a declared database, still creating. */
  const rdsInstance = (
    db: ReturnType<typeof declaredXr>,
    suffix: string,
    username: string,
    o: {
      forProvider?: Record<string, unknown>;
      atProvider: Record<string, unknown>;
    },
  ) =>
    awsMr('Instance', db.name, suffix, {
      externalName: db.name,
      conditions: creating(),
      forProvider: {
        engine: 'postgres',
        engineVersion: '17',
        instanceClass: 'db.t4g.small',
        region: 'eu-west-1',
        username,
        ...o.forProvider,
      },
      atProvider: o.atProvider,
      connectionSecretName: db.connectionSecretName,
    });

  // orders-api: database (creating) + cache (ready)
  const ordersDb = declaredXr('orders-db');
  const ordersInstance = rdsInstance(ordersDb, 'hk2x9', 'orders', {
    forProvider: {
      passwordSecretRef: { name: `${ordersDb.name}-password`, key: 'password' },
    },
    atProvider: {
      address: `${ordersDb.name}.abc123.eu-west-1.rds.amazonaws.com`,
      status: 'creating',
      masterUserSecret: [
        {
          secretArn:
            'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1',
          secretStatus: 'creating',
        },
      ],
      password: 'hunter2-not-for-display',
    },
  });
  const subnetGroup = awsMr('SubnetGroup', ordersDb.name, 'sng7q', {
    externalName: ordersDb.name,
    atProvider: {
      arn: `arn:aws:rds:eu-west-1:123456789012:subgrp:${ordersDb.name}`,
    },
  });
  const sg = awsMr('SecurityGroup', ordersDb.name, 'sg5mp', {
    externalName: 'sg-0a1b2c3d4e5f',
  });
  // a kind whose CRD is missing
  const kmsKey: FakeRef = {
    apiVersion: 'kms.aws.m.upbound.io/v1beta1',
    kind: 'Key',
    name: `${ordersDb.name}-kms4t`,
  };
  const ordersDbXr = platformXr(
    ordersDb,
    postgresParameters('eu-west-1'),
    [ordersInstance, subnetGroup, sg, kmsKey],
    [
      {
        type: 'Ready',
        status: 'False',
        reason: 'Creating',
        message: 'Unready resources: instance',
        lastTransitionTime: '2026-01-10T09:05:00Z',
      },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
    ],
  );

  const cache = declaredXr('orders-cache');
  const replicationGroup = awsMr('ReplicationGroup', cache.name, 'rg8wd', {
    externalName: cache.name,
    atProvider: {
      primaryEndpointAddress: `${cache.name}.cache.amazonaws.com`,
      authToken: 'not-for-display',
    },
  });
  const cacheXr = platformXr(
    cache,
    { engine: 'redis', version: '7.2', size: 'small' },
    [replicationGroup],
  );

  // storefront: bucket (sync error, from the recorded namespaced MR) + database
  const bucket = declaredXr('storefront-assets');
  const s3Bucket = awsMr('Bucket', bucket.name, 'bk3zn', {
    externalName: bucket.name,
    conditions: reconcileError(
      'update failed: async update failed: refuse to update the external resource because the following update requires replacing it: cannot change the value of the argument "region" from "eu-west-1" to "eu-central-1"',
    ),
  });
  const versioning = awsMr('BucketVersioning', bucket.name, 'vr2kd');
  const bucketXr = platformXr(
    bucket,
    { versioning: true, region: 'eu-central-1' },
    [s3Bucket, versioning],
    reconcileError(
      'cannot compose resources: bucket: refuse to update the external resource (see composed resource events)',
    ),
  );

  const storefrontDb = declaredXr('storefront-db');
  const storefrontInstance = rdsInstance(storefrontDb, 'p3c8v', 'storefront', {
    atProvider: { status: 'creating' },
  });
  const storefrontDbXr = platformXr(
    storefrontDb,
    postgresParameters('eu-west-1'),
    [storefrontInstance],
    creating(),
  );

  // not declared: a v1 claim left over from before the environment used v2
  const legacyApiVersion = `${LEGACY_GROUP}/v1alpha1`;
  const legacyLabels = epicshelterLabels(env, LEGACY_RESOURCE);
  const legacyClaimName = crossplaneObjectName(env, LEGACY_RESOURCE);
  const legacyXrName = `${legacyClaimName}-x7k2p`;
  const dbCluster = managed({
    apiVersion: 'rds.aws.crossplane.io/v1alpha1',
    kind: 'DBCluster',
    name: `${legacyXrName}-4vd8s`,
    composite: legacyXrName,
    claim: { name: legacyClaimName, namespace: ns },
    externalName: legacyClaimName,
    providerConfig: 'provider-aws',
    conditions: creating(),
    forProvider: {
      engine: 'aurora-postgresql',
      engineVersion: '16.2',
      databaseName: 'app',
      masterUsername: 'root',
      autogeneratePassword: true,
    },
    atProvider: {
      dbClusterARN: `arn:aws:rds:eu-west-1:123456789012:cluster:${legacyClaimName}`,
      endpoint: `${legacyClaimName}.cluster-abc.rds.amazonaws.com`,
      status: 'creating',
    },
    connectionSecretName: `${legacyXrName}-rds`,
  });
  const legacyXr = v1Composite({
    apiVersion: legacyApiVersion,
    kind: 'XDatabase',
    name: legacyXrName,
    labels: legacyLabels,
    composition: 'legacy-database-aws',
    spec: { parameters: postgresParameters() },
    claim: {
      apiVersion: legacyApiVersion,
      kind: 'Database',
      name: legacyClaimName,
      namespace: ns,
    },
    connectionSecret: {
      name: `${legacyXrName}-conn`,
      namespace: 'crossplane-system',
    },
    resourceRefs: [refOf(dbCluster)],
    conditions: creating(),
  });
  const legacyClaim = v1Claim({
    apiVersion: legacyApiVersion,
    kind: 'Database',
    name: legacyClaimName,
    namespace: ns,
    labels: legacyLabels,
    spec: { parameters: postgresParameters() },
    composite: refOf(legacyXr),
    connectionSecretName: connectionSecretName(env, LEGACY_RESOURCE),
    conditions: creating(),
  });

  // not declared (a local environment runs on the local cluster): a
  // Kubernetes cluster, named as the generator would, with a nested Network XR
  const cluster: DemoXr = {
    kind: 'KubernetesCluster',
    name: crossplaneObjectName(env, KUBERNETES_CLUSTER_RESOURCE_NAME),
    labels: epicshelterLabels(env, KUBERNETES_CLUSTER_RESOURCE_NAME),
    composition: 'kubernetes-cluster-aws',
  };
  const network: DemoXr = {
    kind: 'Network',
    name: `${cluster.name}-n7w2x`,
    labels: { 'crossplane.io/composite': cluster.name },
    composition: 'network-aws',
  };
  // Crossplane labels nested composed resources with the top-level XR's name
  const vpc = awsMr('VPC', network.name, 'vpc9c', {
    composite: cluster.name,
    externalName: 'vpc-0123456789abcdef0',
  });
  const subnet = awsMr('Subnet', network.name, 'sub1a', {
    composite: cluster.name,
    externalName: 'subnet-0aa11bb22cc33dd44',
  });
  const networkXr = platformXr(
    network,
    { cidr: '10.10.0.0/16', region: 'eu-west-1' },
    [vpc, subnet],
  );
  const eks = awsMr('Cluster', cluster.name, 'eks2m', {
    externalName: cluster.name,
    atProvider: {
      endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: [{ data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' }],
    },
    connectionSecretName: `${cluster.name}-kubeconfig`,
  });
  const nodeGroup = awsMr('NodeGroup', cluster.name, 'ng4r7');
  const clusterXr = platformXr(
    cluster,
    {
      environment: env,
      version: '1.33',
      nodeSize: 'medium',
      nodeCount: 3,
      region: 'eu-west-1',
    },
    [networkXr, eks, nodeGroup],
  );

  const created = (about: KubeObject, index: number) =>
    event(
      about,
      {
        type: 'Normal',
        reason: 'CreatedExternalResource',
        message: 'Successfully requested creation of external resource',
      },
      index,
    );

  return [
    ...blueprintPlatformObjects(),
    networkXrd(),
    composition(PLATFORM_GROUP, 'Network', 'aws'),
    ...demoManagedCrds(),
    ...demoProviders(),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    ordersDbXr,
    ordersInstance,
    subnetGroup,
    sg,
    cacheXr,
    replicationGroup,
    bucketXr,
    s3Bucket,
    versioning,
    storefrontDbXr,
    storefrontInstance,
    legacyClaim,
    legacyXr,
    dbCluster,
    clusterXr,
    networkXr,
    vpc,
    subnet,
    eks,
    nodeGroup,
    created(ordersInstance, 1),
    event(
      ordersInstance,
      {
        type: 'Warning',
        reason: 'CannotObserveExternalResource',
        message:
          'cannot observe external resource: DBInstance is still being created',
        count: 4,
      },
      2,
    ),
    event(
      s3Bucket,
      {
        type: 'Warning',
        reason: 'CannotUpdateExternalResource',
        message:
          'refuse to update the external resource: cannot change the value of the argument "region"',
        count: 12,
      },
      3,
    ),
    created(dbCluster, 4),
    event(
      ordersDbXr,
      {
        type: 'Normal',
        reason: 'SelectComposition',
        message: 'Successfully selected composition: database-aws',
      },
      5,
    ),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: ordersDb.connectionSecretName, namespace: ns },
      type: 'connection.crossplane.io/v1alpha1',
      data: { password: Buffer.from('do-not-leak').toString('base64') },
    },
  ];
}
