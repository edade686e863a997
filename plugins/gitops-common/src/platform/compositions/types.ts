import type { ClusterRole } from '../../constants';
import type { PlatformKind } from '../../generator';
import type { Provider } from '../../offerings';
import type { ComposedResource, Obj, Style } from './patches';

/** A platform kind a provider serves with its own composed resources. */
export type ResourceKind = Exclude<PlatformKind, 'KubernetesCluster'>;

/** Builds a provider-kubernetes Object that is created once in the new cluster. */
export type InClusterObject = (
  name: string,
  manifest: Obj,
  patches?: Obj[],
  references?: Obj[],
) => ComposedResource;

/** What a cloud provider contributes to the KubernetesCluster Compositions. */
export interface ClusterCompositions {
  /** The cluster's managed resources and its kubeconfig connection secret. */
  resources(style: Style): ComposedResource[];
  /** Changes one of those resources for a role (before its role policies apply). */
  forRole?(
    resource: ComposedResource,
    role: ClusterRole,
    style: Style,
  ): ComposedResource;
  /** Further resources a role composes next to the cluster's. */
  extra?(style: Style, role: ClusterRole): ComposedResource[];
  /** Extra fields of the provider-kubernetes/helm ProviderConfigs of the new cluster. */
  providerConfigSpec?: Obj;
  /** What the bootstrap creates in the new cluster besides the platform's own objects. */
  bootstrapObjects?(
    style: Style,
    inClusterObject: InClusterObject,
  ): ComposedResource[];
}

/**
 * One provider's Compositions: the composed resources of each kind it
 * serves, and (cloud providers) its cluster. Registered in registry.ts.
 */
export interface ProviderCompositions {
  provider: Provider;
  resources: Record<ResourceKind, (style: Style) => ComposedResource[]>;
  cluster?: ClusterCompositions;
}
