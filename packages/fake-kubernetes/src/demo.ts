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
 * `storefront`: platform XRDs and Compositions, v2 namespaced XRs (a
 * database that is still creating and references a kind whose CRD is
 * missing, a healthy cache, a bucket whose MR fails to sync, a Kubernetes
 * cluster with a nested Network XR), a v1 legacy claim with its
 * cluster-scoped XR and legacy MR, events, and a connection Secret (that
 * must never be read).
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

  // orders-api: database (creating) + cache (ready)
  const ordersDbName = 'orders-db';
  const rdsInstance = managed({
    apiVersion: 'rds.aws.m.upbound.io/v1beta1',
    kind: 'Instance',
    name: `${ordersDbName}-hk2x9`,
    namespace: ns,
    composite: ordersDbName,
    externalName: `${env}-${ordersDbName}`,
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
      address: `${env}-${ordersDbName}.abc123.eu-west-1.rds.amazonaws.com`,
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
    connectionSecretName: `${ordersDbName}-conn`,
  });
  const subnetGroup = managed({
    apiVersion: 'rds.aws.m.upbound.io/v1beta1',
    kind: 'SubnetGroup',
    name: `${ordersDbName}-sng7q`,
    namespace: ns,
    composite: ordersDbName,
    externalName: `${env}-${ordersDbName}`,
    atProvider: {
      arn: 'arn:aws:rds:eu-west-1:123456789012:subgrp:dev-orders-db',
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
    labels: epicshelterLabels(env, ordersDbName),
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

  const cacheName = 'orders-cache';
  const replicationGroup = managed({
    apiVersion: 'elasticache.aws.m.upbound.io/v1beta1',
    kind: 'ReplicationGroup',
    name: `${cacheName}-rg8wd`,
    namespace: ns,
    composite: cacheName,
    externalName: `${env}-${cacheName}`,
    atProvider: {
      primaryEndpointAddress: `${env}-${cacheName}.cache.amazonaws.com`,
      authToken: 'not-for-display',
    },
  });
  const ordersCache = v2Composite({
    apiVersion: `${PLATFORM_GROUP}/v1alpha1`,
    kind: 'Cache',
    name: cacheName,
    namespace: ns,
    labels: epicshelterLabels(env, cacheName),
    composition: 'cache-aws',
    spec: { parameters: { engine: 'redis', version: '7.2', size: 'small' } },
    resourceRefs: [refOf(replicationGroup)],
  });

  // storefront: bucket (sync error, from the recorded namespaced MR) + legacy claim
  const bucketName = 'storefront-assets';
  const s3Bucket = managed({
    apiVersion: 's3.aws.m.upbound.io/v1beta1',
    kind: 'Bucket',
    name: `${bucketName}-bk3zn`,
    namespace: ns,
    composite: bucketName,
    externalName: `${env}-${bucketName}`,
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
    labels: epicshelterLabels(env, bucketName),
    composition: 'bucket-aws',
    spec: { parameters: { versioning: true, region: 'eu-central-1' } },
    resourceRefs: [refOf(s3Bucket), refOf(versioning)],
    conditions: reconcileError(
      'cannot compose resources: bucket: refuse to update the external resource (see composed resource events)',
    ),
  });

  const legacyClaimName = 'storefront-db';
  const legacyXrName = `${legacyClaimName}-x7k2p`;
  const dbCluster = managed({
    apiVersion: 'rds.aws.crossplane.io/v1alpha1',
    kind: 'DBCluster',
    name: `${legacyXrName}-4vd8s`,
    composite: legacyXrName,
    claim: { name: legacyClaimName, namespace: ns },
    externalName: `${env}-${legacyClaimName}`,
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
      dbClusterARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:storefront-db',
      endpoint: `${env}-${legacyClaimName}.cluster-abc.rds.amazonaws.com`,
      status: 'creating',
    },
    connectionSecretName: `${legacyXrName}-rds`,
  });
  const legacyXr = v1Composite({
    apiVersion: `${LEGACY_GROUP}/v1alpha1`,
    kind: 'XDatabase',
    name: legacyXrName,
    labels: epicshelterLabels(env, legacyClaimName),
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
    labels: epicshelterLabels(env, legacyClaimName),
    spec: { parameters: { engine: 'postgres', version: '17', size: 'small' } },
    composite: refOf(legacyXr),
    connectionSecretName: `${legacyClaimName}-conn`,
    conditions: creating(),
  });

  // environment-wide: Kubernetes cluster with a nested Network XR
  const clusterName = `${env}-cluster`;
  const networkName = `${clusterName}-net`;
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
    labels: epicshelterLabels(env, clusterName),
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
      metadata: { name: `${ordersDbName}-conn`, namespace: ns },
      type: 'connection.crossplane.io/v1alpha1',
      data: { password: Buffer.from('do-not-leak').toString('base64') },
    },
  );
  return objects;
}
