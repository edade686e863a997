import {
  ANNOTATION_EXTERNAL_NAME,
  ARGOCD_NAMESPACE,
  ClusterRole,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  PART_OF_VALUE,
  cloudClusterDir,
} from '../../constants';
import { CLOUD_ROOT_APPLICATION } from '../../cloudClusterFiles';
import {
  CLOUD_CREDENTIALS_KEY,
  CLOUD_CREDENTIALS_NAMESPACE,
  cloudCredentialsSecretName,
} from '../credentials';
import { OBSERVED_CLUSTER_PROVIDER_CONFIG } from './observe';
import { ComposedResource, Obj, Style, fmt, from, fromEnv } from './patches';
import { CREATE_ONCE, ROLE_POLICIES } from './policies';
import type { ClusterCompositions } from './types';
import type { CloudProvider } from '../../offerings';

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
export function kubernetesCluster(
  provider: CloudProvider,
  cluster: ClusterCompositions,
  style: Style,
  role: ClusterRole,
): ComposedResource[] {
  const clusterResources = [
    ...cluster
      .resources(style)
      .map(r =>
        cloudClusterResource(
          cluster.forRole ? cluster.forRole(r, role, style) : r,
          role,
        ),
      ),
    ...(cluster.extra?.(style, role) ?? []),
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
  const providerConfig = (p: 'helm' | 'kubernetes'): ComposedResource => ({
    name: `${p}-provider-config`,
    base: {
      apiVersion: pcApi(p),
      kind: 'ProviderConfig',
      spec: {
        credentials: { source: 'Secret', secretRef: kubeconfigSecretRef },
        ...(cluster.providerConfigSpec ?? {}),
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
    ...(cluster.bootstrapObjects?.(style, inClusterObject) ?? []),
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
