import {
  creating,
  epicshelterLabels,
  event,
  healthy,
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
  LEGACY_GROUP,
  PLATFORM_GROUP,
  composition,
  networkXrd,
} from './platform';
import type { KubeObject } from './types';
import {
  CrossplaneObjectRef,
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
 * CRDs of the managed resource kinds used by the demo (the kinds whose
 * providers are "installed"). `kms.aws.m.upbound.io` Key is deliberately
 * absent: the demo references it to show a kind whose CRD is missing.
 * @public
 */
export function demoManagedCrds(): KubeObject[] {
  return [
    managedCrd('rds.aws.m.upbound.io', 'Instance', 'instances', true),
    managedCrd('rds.aws.m.upbound.io', 'SubnetGroup', 'subnetgroups', true),
    managedCrd('ec2.aws.m.upbound.io', 'SecurityGroup', 'securitygroups', true),
    managedCrd('ec2.aws.m.upbound.io', 'VPC', 'vpcs', true),
    managedCrd('ec2.aws.m.upbound.io', 'Subnet', 'subnets', true),
    managedCrd('s3.aws.m.upbound.io', 'Bucket', 'buckets', true),
    managedCrd(
      's3.aws.m.upbound.io',
      'BucketVersioning',
      'bucketversionings',
      true,
    ),
    managedCrd(
      'elasticache.aws.m.upbound.io',
      'ReplicationGroup',
      'replicationgroups',
      true,
    ),
    managedCrd('eks.aws.m.upbound.io', 'Cluster', 'clusters', true),
    managedCrd('eks.aws.m.upbound.io', 'NodeGroup', 'nodegroups', true),
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
  const objects: KubeObject[] = [
    ...blueprintPlatformObjects(),
    networkXrd(),
    composition(PLATFORM_GROUP, 'Network', 'aws'),
    ...demoManagedCrds(),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
  ];

  const declared = crossplaneObjectsFor(demoEnvironmentSpec(env));
  const xr = (resource: string): CrossplaneObjectRef => {
    const ref = declared.find(r => r.resource === resource);
    if (!ref) throw new Error(`demo spec declares no resource ${resource}`);
    return ref;
  };

  // orders-api: database (creating) + cache (ready)
  const ordersDbRef = xr('orders-db');
  const ordersDbName = ordersDbRef.name;
  const rdsInstance = managed({
    apiVersion: 'rds.aws.m.upbound.io/v1beta1',
    kind: 'Instance',
    name: `${ordersDbName}-hk2x9`,
    namespace: ns,
    composite: ordersDbName,
    externalName: ordersDbName,
    conditions: creating(),
    forProvider: {
      engine: 'postgres',
      engineVersion: '17',
      instanceClass: 'db.t4g.small',
      region: 'eu-west-1',
      username: 'orders',
      passwordSecretRef: { name: `${ordersDbName}-password`, key: 'password' },
    },
    atProvider: {
      address: `${ordersDbName}.abc123.eu-west-1.rds.amazonaws.com`,
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
    connectionSecretName: ordersDbRef.connectionSecretName,
  });
  const subnetGroup = managed({
    apiVersion: 'rds.aws.m.upbound.io/v1beta1',
    kind: 'SubnetGroup',
    name: `${ordersDbName}-sng7q`,
    namespace: ns,
    composite: ordersDbName,
    externalName: ordersDbName,
    atProvider: {
      arn: `arn:aws:rds:eu-west-1:123456789012:subgrp:${ordersDbName}`,
    },
  });
  const sg = managed({
    apiVersion: 'ec2.aws.m.upbound.io/v1beta1',
    kind: 'SecurityGroup',
    name: `${ordersDbName}-sg5mp`,
    namespace: ns,
    composite: ordersDbName,
    externalName: 'sg-0a1b2c3d4e5f',
  });
  const kmsKeyRef = {
    apiVersion: 'kms.aws.m.upbound.io/v1beta1',
    kind: 'Key',
    name: `${ordersDbName}-kms4t`,
  };
  const ordersDb = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'Database',
    name: ordersDbName,
    namespace: ns,
    labels: epicshelterLabels(env, ordersDbRef.resource),
    composition: 'database-aws',
    spec: {
      parameters: {
        engine: 'postgres',
        version: '17',
        size: 'small',
        region: 'eu-west-1',
      },
    },
    resourceRefs: [
      refOf(rdsInstance),
      refOf(subnetGroup),
      refOf(sg),
      kmsKeyRef,
    ],
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'Creating',
        message: 'Unready resources: instance',
        lastTransitionTime: '2026-01-10T09:05:00Z',
      },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess' },
    ],
  });

  const cacheRef = xr('orders-cache');
  const cacheName = cacheRef.name;
  const replicationGroup = managed({
    apiVersion: 'elasticache.aws.m.upbound.io/v1beta1',
    kind: 'ReplicationGroup',
    name: `${cacheName}-rg8wd`,
    namespace: ns,
    composite: cacheName,
    externalName: cacheName,
    atProvider: {
      primaryEndpointAddress: `${cacheName}.cache.amazonaws.com`,
      authToken: 'not-for-display',
    },
  });
  const ordersCache = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'Cache',
    name: cacheName,
    namespace: ns,
    labels: epicshelterLabels(env, cacheRef.resource),
    composition: 'cache-aws',
    spec: { parameters: { engine: 'redis', version: '7.2', size: 'small' } },
    resourceRefs: [refOf(replicationGroup)],
  });

  // storefront: bucket (sync error, from the recorded namespaced MR) + database
  const bucketRef = xr('storefront-assets');
  const bucketName = bucketRef.name;
  const s3Bucket = managed({
    apiVersion: 's3.aws.m.upbound.io/v1beta1',
    kind: 'Bucket',
    name: `${bucketName}-bk3zn`,
    namespace: ns,
    composite: bucketName,
    externalName: bucketName,
    conditions: reconcileError(
      'update failed: async update failed: refuse to update the external resource because the following update requires replacing it: cannot change the value of the argument "region" from "eu-west-1" to "eu-central-1"',
    ),
  });
  const versioning = managed({
    apiVersion: 's3.aws.m.upbound.io/v1beta1',
    kind: 'BucketVersioning',
    name: `${bucketName}-vr2kd`,
    namespace: ns,
    composite: bucketName,
  });
  const bucket = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'Bucket',
    name: bucketName,
    namespace: ns,
    labels: epicshelterLabels(env, bucketRef.resource),
    composition: 'bucket-aws',
    spec: { parameters: { versioning: true, region: 'eu-central-1' } },
    resourceRefs: [refOf(s3Bucket), refOf(versioning)],
    conditions: reconcileError(
      'cannot compose resources: bucket: refuse to update the external resource (see composed resource events)',
    ),
  });

  const storefrontDbRef = xr('storefront-db');
  const storefrontDbName = storefrontDbRef.name;
  const storefrontInstance = managed({
    apiVersion: 'rds.aws.m.upbound.io/v1beta1',
    kind: 'Instance',
    name: `${storefrontDbName}-p3c8v`,
    namespace: ns,
    composite: storefrontDbName,
    externalName: storefrontDbName,
    conditions: creating(),
    forProvider: {
      engine: 'postgres',
      engineVersion: '17',
      instanceClass: 'db.t4g.small',
      region: 'eu-west-1',
      username: 'storefront',
    },
    atProvider: { status: 'creating' },
    connectionSecretName: storefrontDbRef.connectionSecretName,
  });
  const storefrontDb = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'Database',
    name: storefrontDbName,
    namespace: ns,
    labels: epicshelterLabels(env, storefrontDbRef.resource),
    composition: 'database-aws',
    spec: {
      parameters: {
        engine: 'postgres',
        version: '17',
        size: 'small',
        region: 'eu-west-1',
      },
    },
    resourceRefs: [refOf(storefrontInstance)],
    conditions: creating(),
  });

  // not declared: a v1 claim left over from before the environment used v2
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
    apiVersion: `${LEGACY_GROUP}/v1alpha1`,
    kind: 'XDatabase',
    name: legacyXrName,
    labels: epicshelterLabels(env, LEGACY_RESOURCE),
    composition: 'legacy-database-aws',
    spec: { parameters: { engine: 'postgres', version: '17', size: 'small' } },
    claim: {
      apiVersion: `${LEGACY_GROUP}/v1alpha1`,
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
    apiVersion: `${LEGACY_GROUP}/v1alpha1`,
    kind: 'Database',
    name: legacyClaimName,
    namespace: ns,
    labels: epicshelterLabels(env, LEGACY_RESOURCE),
    spec: { parameters: { engine: 'postgres', version: '17', size: 'small' } },
    composite: refOf(legacyXr),
    connectionSecretName: connectionSecretName(env, LEGACY_RESOURCE),
    conditions: creating(),
  });

  // not declared (a local environment runs on the local cluster): a
  // Kubernetes cluster, named as the generator would, with a nested Network XR
  const clusterName = crossplaneObjectName(
    env,
    KUBERNETES_CLUSTER_RESOURCE_NAME,
  );
  const networkName = `${clusterName}-n7w2x`;
  const vpc = managed({
    apiVersion: 'ec2.aws.m.upbound.io/v1beta1',
    kind: 'VPC',
    name: `${networkName}-vpc9c`,
    namespace: ns,
    // Crossplane labels nested composed resources with the top-level XR's name
    composite: clusterName,
    externalName: 'vpc-0123456789abcdef0',
  });
  const subnet = managed({
    apiVersion: 'ec2.aws.m.upbound.io/v1beta1',
    kind: 'Subnet',
    name: `${networkName}-sub1a`,
    namespace: ns,
    composite: clusterName,
    externalName: 'subnet-0aa11bb22cc33dd44',
  });
  const network = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'Network',
    name: networkName,
    namespace: ns,
    labels: { 'crossplane.io/composite': clusterName },
    composition: 'network-aws',
    spec: { parameters: { cidr: '10.10.0.0/16', region: 'eu-west-1' } },
    resourceRefs: [refOf(vpc), refOf(subnet)],
  });
  const eks = managed({
    apiVersion: 'eks.aws.m.upbound.io/v1beta1',
    kind: 'Cluster',
    name: `${clusterName}-eks2m`,
    namespace: ns,
    composite: clusterName,
    externalName: clusterName,
    atProvider: {
      endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: [{ data: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' }],
    },
    connectionSecretName: `${clusterName}-kubeconfig`,
  });
  const nodeGroup = managed({
    apiVersion: 'eks.aws.m.upbound.io/v1beta1',
    kind: 'NodeGroup',
    name: `${clusterName}-ng4r7`,
    namespace: ns,
    composite: clusterName,
  });
  const k8sCluster = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'KubernetesCluster',
    name: clusterName,
    namespace: ns,
    labels: epicshelterLabels(env, KUBERNETES_CLUSTER_RESOURCE_NAME),
    composition: 'kubernetes-cluster-aws',
    spec: {
      parameters: {
        environment: env,
        version: '1.33',
        nodeSize: 'medium',
        nodeCount: 3,
        region: 'eu-west-1',
      },
    },
    resourceRefs: [refOf(network), refOf(eks), refOf(nodeGroup)],
    conditions: healthy(),
  });

  objects.push(
    ordersDb,
    rdsInstance,
    subnetGroup,
    sg,
    ordersCache,
    replicationGroup,
    bucket,
    s3Bucket,
    versioning,
    storefrontDb,
    storefrontInstance,
    legacyClaim,
    legacyXr,
    dbCluster,
    k8sCluster,
    network,
    vpc,
    subnet,
    eks,
    nodeGroup,
    event(
      rdsInstance,
      {
        type: 'Normal',
        reason: 'CreatedExternalResource',
        message: 'Successfully requested creation of external resource',
      },
      1,
    ),
    event(
      rdsInstance,
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
    event(
      dbCluster,
      {
        type: 'Normal',
        reason: 'CreatedExternalResource',
        message: 'Successfully requested creation of external resource',
      },
      4,
    ),
    event(
      ordersDb,
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
      metadata: { name: ordersDbRef.connectionSecretName, namespace: ns },
      type: 'connection.crossplane.io/v1alpha1',
      data: { password: Buffer.from('do-not-leak').toString('base64') },
    },
  );
  return objects;
}
