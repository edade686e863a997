import {
  LEGACY_PLATFORM_GROUP,
  PLATFORM_GROUP,
  PLATFORM_VERSION,
} from '../../constants';
import type { PlatformKind } from '../../generator';
import { ComposedResource, Style, fmt, from } from './patches';

/**
 * Name of the provider-kubernetes ProviderConfig through which an attached
 * cluster reads its cloud environment's cluster (`%s`: the environment).
 */
export const OBSERVED_CLUSTER_PROVIDER_CONFIG = '%s-cloud-cluster';

/**
 * What an attached (local) cluster composes for a database, cache or bucket
 * of a cloud environment: nothing in the cloud. An observe-only Object reads
 * the same XR (v2) or claim (v1) in the environment's own cluster, through
 * the ProviderConfig the environment's cluster XR (role observe) composes,
 * and is Ready when that XR is. Deleting it, or the whole attached cluster,
 * changes nothing anywhere.
 */
export function observedInCloudCluster(
  kind: PlatformKind,
  style: Style,
): ComposedResource {
  const v2 = style === 'v2';
  const namespace = v2 ? 'metadata.namespace' : 'spec.claimRef.namespace';
  return {
    name: 'observed',
    base: {
      apiVersion: v2
        ? 'kubernetes.m.crossplane.io/v1alpha1'
        : 'kubernetes.crossplane.io/v1alpha2',
      kind: 'Object',
      spec: {
        managementPolicies: ['Observe'],
        forProvider: {
          manifest: {
            apiVersion: `${
              v2 ? PLATFORM_GROUP : LEGACY_PLATFORM_GROUP
            }/${PLATFORM_VERSION}`,
            kind,
            metadata: { name: '', namespace: '' },
          },
        },
        readiness: { policy: 'DeriveFromObject' },
        providerConfigRef: {
          ...(v2 ? { kind: 'ProviderConfig' } : {}),
          name: '',
        },
      },
    },
    patches: [
      from(
        v2 ? 'metadata.name' : 'spec.claimRef.name',
        'spec.forProvider.manifest.metadata.name',
      ),
      from(namespace, 'spec.forProvider.manifest.metadata.namespace'),
      // The environment's namespace is named after it.
      from(namespace, 'spec.providerConfigRef.name', [
        fmt(OBSERVED_CLUSTER_PROVIDER_CONFIG),
      ]),
    ],
  };
}
