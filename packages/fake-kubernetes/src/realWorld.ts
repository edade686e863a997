import { LABEL_PART_OF } from '@epicshelter/plugin-gitops-common';
import { managedCrd } from './builders';
import type { FakeCondition } from './builders';
import { packageHealthy, providerConfig, providerPackage } from './packages';
import { referenceObject } from './reference';
import type { KubeObject } from './types';

/** Namespace of the real-world scenario. @public */
export const REAL_WORLD_NAMESPACE = 'shop';

/** Label on the scenario's roots: select them with `app.kubernetes.io/part-of=shop`. @public */
export const REAL_WORLD_PART_OF = 'shop';

const SQL_GROUP = 'aws.platform.upbound.io';
const T1 = '2026-01-10T10:00:00Z';

const condition = (
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message?: string,
): FakeCondition => ({
  type,
  status,
  reason,
  ...(message ? { message } : {}),
  lastTransitionTime: T1,
});

/**
 * The recorded namespaced ResourceGroup (Ready=True, Synced=False/
 * ReconcileError), renamed into `namespace` (default: the scenario's) and
 * composed by `composite`; `change` adjusts it into another recorded-like
 * state.
 * @public
 */
export function recordedResourceGroup(
  name: string,
  composite: string,
  change: (o: any) => void = () => {},
  namespace: string = REAL_WORLD_NAMESPACE,
): KubeObject {
  const o: any = referenceObject(
    'recorded/crossplane-mr-namespaced-synced-false.yaml',
  );
  o.metadata.name = name;
  o.metadata.namespace = namespace;
  o.metadata.labels = { 'crossplane.io/composite': composite };
  o.metadata.annotations['crossplane.io/external-name'] = name;
  change(o);
  return o;
}

const refTo = (o: KubeObject, namespace?: string) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(namespace ? { namespace } : {}),
});

/** The real v2 XRD `SQLInstance` (Namespaced), and a copy of it with `scope: Cluster`. */
function sqlInstanceXrds(): KubeObject[] {
  const namespaced = referenceObject(
    'crossplane-examples/database-v2-sqlinstance/definition.yaml',
  );
  const cluster: any = structuredClone(namespaced);
  cluster.metadata.name = `clustersqlinstances.${SQL_GROUP}`;
  cluster.spec.names = {
    ...cluster.spec.names,
    kind: 'ClusterSQLInstance',
    plural: 'clustersqlinstances',
  };
  cluster.spec.scope = 'Cluster';
  return [namespaced, cluster];
}

/**
 * A Crossplane installation as real providers leave it, built from vendored
 * real objects and CRDs (`reference/`, see PROVENANCE.md) and validated
 * against those CRDs by this package's tests:
 *
 * - XRDs of every scope: the real v2 `SQLInstance` (Namespaced), a copy
 *   with `scope: Cluster`, and the real legacy v1 `XObjectStorage`;
 * - a namespaced XR `orders-db` composing the recorded Azure ResourceGroup
 *   (Synced=False/ReconcileError) and copies of it creating, paused and
 *   deleting, one using a ClusterProviderConfig that does not exist, a helm
 *   `Release` with a password in `set` and one from a Secret, a
 *   provider-kubernetes `Object` wrapping a Secret (spec and status), and a
 *   Secret (its connection details, v2 style) that must never be read;
 * - a cluster-scoped v2 XR `platform-db` and a legacy XR `legacy-bucket`
 *   (composing the recorded legacy DBCluster, Ready=False/Creating);
 * - the Azure family provider (healthy) that installed the
 *   ClusterProviderConfig CRD, its revision and the ProviderConfig `default`.
 *
 * Roots carry `app.kubernetes.io/part-of: shop`.
 * @public
 */
export function realWorldObjects(): KubeObject[] {
  const ns = REAL_WORLD_NAMESPACE;
  const partOf = { [LABEL_PART_OF]: REAL_WORLD_PART_OF };
  const failing = recordedResourceGroup('orders-rg', 'orders-db');
  const creating = recordedResourceGroup(
    'orders-rg-creating',
    'orders-db',
    o => {
      o.status.conditions = [
        condition('Ready', 'False', 'Creating'),
        condition('Synced', 'True', 'ReconcileSuccess'),
      ];
    },
  );
  const paused = recordedResourceGroup('orders-rg-paused', 'orders-db', o => {
    o.metadata.annotations['crossplane.io/paused'] = 'true';
    o.status.conditions = [
      condition('Ready', 'True', 'Available'),
      condition(
        'Synced',
        'False',
        'ReconcilePaused',
        'Reconciliation is paused via the pause annotation',
      ),
    ];
  });
  const deleting = recordedResourceGroup(
    'orders-rg-deleting',
    'orders-db',
    o => {
      o.metadata.deletionTimestamp = '2026-01-10T10:05:00Z';
      o.metadata.finalizers = ['finalizer.managedresource.crossplane.io'];
      o.status.conditions = [
        condition('Ready', 'False', 'Deleting'),
        condition('Synced', 'True', 'ReconcileSuccess'),
      ];
    },
  );
  const orphanConfig = recordedResourceGroup(
    'orders-rg-team-b',
    'orders-db',
    o => {
      o.spec.providerConfigRef = {
        kind: 'ClusterProviderConfig',
        name: 'team-b',
      };
      o.status.conditions = [
        condition(
          'Synced',
          'False',
          'ReconcileError',
          'connect failed: cannot initialize the no-fork async external client: cannot get terraform setup: cannot get referenced ClusterProviderConfig: ClusterProviderConfig.azure.m.upbound.io "team-b" not found',
        ),
      ];
    },
  );
  const release: KubeObject = {
    apiVersion: 'helm.m.crossplane.io/v1beta1',
    kind: 'Release',
    metadata: {
      name: 'orders-db-postgresql',
      namespace: ns,
      labels: { 'crossplane.io/composite': 'orders-db' },
    },
    spec: {
      forProvider: {
        chart: {
          name: 'postgresql',
          repository: 'oci://registry-1.docker.io/bitnamicharts',
          version: '16.7.4',
        },
        set: [
          { name: 'auth.postgresPassword', value: 'helm-set-password-1' },
          {
            name: 'auth.replicationPassword',
            value: 'resolved-from-secret-2',
            valueFrom: {
              secretKeyRef: { name: 'orders-db-replication', key: 'password' },
            },
          },
          { name: 'primary.persistence.size', value: '8Gi' },
          { name: 'commonLabels.key', value: 'orders' },
        ],
        values: {
          auth: { username: 'orders', password: 'helm-values-password-3' },
          tls: { enabled: true, certFilename: 'tls.crt' },
          commonAnnotations: { keyName: 'orders-ssh', key: 'team' },
        },
      },
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    },
    status: {
      atProvider: {
        revision: 1,
        state: 'deployed',
        releaseDescription: 'Install complete',
      },
      conditions: [
        condition('Ready', 'True', 'Available'),
        condition('Synced', 'True', 'ReconcileSuccess'),
      ],
    },
  };
  const wrappedSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'orders-db-app',
      namespace: ns,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"stringData":{"password":"wrapped-last-applied-4"}}',
      },
    },
    type: 'Opaque',
    stringData: { username: 'orders', password: 'wrapped-secret-5' },
  };
  const object: KubeObject = {
    apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
    kind: 'Object',
    metadata: {
      name: 'orders-db-app-secret',
      namespace: ns,
      labels: { 'crossplane.io/composite': 'orders-db' },
    },
    spec: {
      forProvider: { manifest: wrappedSecret },
      providerConfigRef: { kind: 'ClusterProviderConfig', name: 'default' },
    },
    status: {
      atProvider: {
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: wrappedSecret.metadata,
          type: 'Opaque',
          data: { username: 'b3JkZXJz', password: 'd3JhcHBlZC1zdGF0dXMtNg==' },
        },
      },
      conditions: [
        condition('Ready', 'True', 'Available'),
        condition('Synced', 'True', 'ReconcileSuccess'),
      ],
    },
  };
  const composedSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'orders-db-connection',
      namespace: ns,
      labels: { 'crossplane.io/composite': 'orders-db' },
    },
    type: 'connection.crossplane.io/v1alpha1',
    data: { password: Buffer.from('composed-secret-7').toString('base64') },
  };
  const composed = [failing, creating, paused, deleting, orphanConfig];
  const ordersDb: KubeObject = {
    apiVersion: `${SQL_GROUP}/v1alpha1`,
    kind: 'SQLInstance',
    metadata: { name: 'orders-db', namespace: ns, labels: partOf },
    spec: {
      parameters: {
        region: 'us-west-2',
        engine: 'postgres',
        engineVersion: '13.18',
        storageGB: 5,
        passwordSecretRef: { name: 'psqlsecret', key: 'password' },
        networkRef: { id: 'configuration-aws-database' },
      },
      crossplane: {
        compositionRef: { name: 'xsqlinstances.aws.platform.upbound.io' },
        compositionRevisionRef: {
          name: 'xsqlinstances.aws.platform.upbound.io-5f9c2e1',
        },
        compositionUpdatePolicy: 'Automatic',
        resourceRefs: [
          ...composed.map(o => refTo(o)),
          refTo(release),
          refTo(object),
          refTo(composedSecret as KubeObject),
        ],
      },
    },
    status: {
      conditions: [
        condition('Synced', 'True', 'ReconcileSuccess'),
        condition(
          'Ready',
          'False',
          'Creating',
          'Unready resources: orders-rg-creating',
        ),
      ],
    },
  };
  const platformRg = recordedResourceGroup('platform-rg', 'platform-db', o => {
    o.status.conditions = [
      condition('Ready', 'True', 'Available'),
      condition('Synced', 'True', 'ReconcileSuccess'),
    ];
  });
  const platformDb: KubeObject = {
    apiVersion: `${SQL_GROUP}/v1alpha1`,
    kind: 'ClusterSQLInstance',
    metadata: { name: 'platform-db', labels: partOf },
    spec: {
      parameters: {
        region: 'us-west-2',
        engine: 'postgres',
        engineVersion: '13.18',
        storageGB: 5,
        passwordSecretRef: { name: 'psqlsecret', key: 'password' },
        networkRef: { id: 'configuration-aws-database' },
      },
      crossplane: {
        compositionRef: { name: 'xsqlinstances.aws.platform.upbound.io' },
        resourceRefs: [refTo(platformRg, ns)],
      },
    },
    status: {
      conditions: [
        condition('Synced', 'True', 'ReconcileSuccess'),
        condition('Ready', 'True', 'Available'),
      ],
    },
  };
  const dbCluster: any = referenceObject(
    'recorded/crossplane-mr-legacy-ready-false-creating.yaml',
  );
  dbCluster.metadata.labels = {
    ...(dbCluster.metadata.labels ?? {}),
    'crossplane.io/composite': 'legacy-bucket',
  };
  const legacyXr: KubeObject = {
    apiVersion: 'awsblueprints.io/v1alpha1',
    kind: 'XObjectStorage',
    metadata: { name: 'legacy-bucket', labels: partOf },
    spec: {
      resourceConfig: {
        providerConfigName: 'default',
        region: 'us-west-2',
        tags: [
          { key: 'team', value: 'storefront' },
          { key: 'cost-center', value: 'cc-1234' },
        ],
      },
      compositionRef: { name: 's3bucket.awsblueprints.io' },
      resourceRefs: [refTo(dbCluster)],
      writeConnectionSecretToRef: {
        name: 'legacy-bucket-conn',
        namespace: 'crossplane-system',
      },
    },
    status: {
      conditions: [
        condition('Synced', 'True', 'ReconcileSuccess'),
        condition('Ready', 'False', 'Creating'),
      ],
    },
  };
  const provider = (family: string, name: string, image: string) => {
    const crd: any = referenceObject(
      `providers/${family}_clusterproviderconfigs.yaml`,
    );
    const version = crd.spec.versions.find((v: any) => v.storage).name;
    return [
      ...providerPackage({
        name,
        image,
        crds: [crd],
        conditions: packageHealthy(),
      }),
      providerConfig({
        apiVersion: `${family}/${version}`,
        kind: 'ClusterProviderConfig',
        name: 'default',
        users: 1,
      }),
    ];
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    ...sqlInstanceXrds(),
    referenceObject(
      'crossplane-examples/bucket-v1-legacy-claim-s3/definition.yaml',
    ),
    referenceObject('providers/azure.m.upbound.io_resourcegroups.yaml'),
    referenceObject('providers/helm.m.crossplane.io_releases.yaml'),
    referenceObject('providers/kubernetes.m.crossplane.io_objects.yaml'),
    managedCrd(
      'rds.aws.crossplane.io',
      'DBCluster',
      'dbclusters',
      false,
      'v1alpha1',
    ),
    ...provider(
      'azure.m.upbound.io',
      'upbound-provider-family-azure',
      'xpkg.upbound.io/upbound/provider-family-azure:v2.0.0',
    ),
    ...provider(
      'helm.m.crossplane.io',
      'crossplane-contrib-provider-helm',
      'xpkg.crossplane.io/crossplane-contrib/provider-helm:v1.0.0',
    ),
    ...provider(
      'kubernetes.m.crossplane.io',
      'crossplane-contrib-provider-kubernetes',
      'xpkg.crossplane.io/crossplane-contrib/provider-kubernetes:v1.0.0',
    ),
    ordersDb,
    ...composed,
    release,
    object,
    composedSecret as KubeObject,
    platformDb,
    platformRg,
    legacyXr,
    dbCluster,
  ];
}
