import {
  ClusterRole,
  LABEL_CLUSTER_ROLE,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  PART_OF_VALUE,
} from '../../constants';
import type { PlatformKind } from '../../generator';
import type { Provider } from '../../offerings';
import { kubernetesCluster } from './cloudCluster';
import { withComposedConnectionSecret } from './connectionSecret';
import { observedInCloudCluster } from './observe';
import { ComposedResource, Obj, Style } from './patches';
import { PROVIDER_COMPOSITIONS } from './registry';

export type { Style } from './patches';

/**
 * Composed resources per kind, provider and role: each provider's module
 * (registry.ts) gives its resources; an attached cluster's databases,
 * caches and buckets only observe their XR in the environment's cluster.
 */
function composed(
  kind: PlatformKind,
  provider: Provider,
  style: Style,
  role: ClusterRole,
): ComposedResource[] {
  if (role === 'observe' && kind !== 'KubernetesCluster') {
    return [observedInCloudCluster(kind, style)];
  }
  const compositions = PROVIDER_COMPOSITIONS[provider];
  if (kind !== 'KubernetesCluster') return compositions.resources[kind](style);
  if (!compositions.cluster || provider === 'local') {
    throw new Error(`no KubernetesCluster composition for ${provider}`);
  }
  return kubernetesCluster(provider, compositions.cluster, style, role);
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
