import {
  LABEL_PROVIDER,
  LEGACY_PLATFORM_GROUP,
  PLATFORM_GROUP,
} from '@epicshelter/plugin-gitops-common';
import type { KubeObject } from './types';

/** API group of the Epicshelter platform XRs (Crossplane v2, namespaced), as gitops-common declares it. @public */
export { PLATFORM_GROUP };
/** API group of the platform's Crossplane v1 legacy claims and XRs (gitops-common's LEGACY_PLATFORM_GROUP). @public */
export const LEGACY_GROUP = LEGACY_PLATFORM_GROUP;

/**
 * A namespaced XRD for `Network`, an internal XR that the demo's
 * KubernetesCluster composes (to show nested XRs). It is not part of the
 * platform API blueprint.
 * @public
 */
export function networkXrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: { name: `networks.${PLATFORM_GROUP}` },
    spec: {
      scope: 'Namespaced',
      group: PLATFORM_GROUP,
      names: { kind: 'Network', plural: 'networks' },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          referenceable: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['parameters'],
                  properties: {
                    parameters: {
                      type: 'object',
                      required: ['cidr'],
                      properties: {
                        cidr: { type: 'string' },
                        region: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

/** A Pipeline Composition for an XR kind and provider. @public */
export function composition(
  group: string,
  kind: string,
  provider: string,
  version = 'v1alpha1',
): KubeObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: {
      name: `${kind.toLowerCase()}-${provider}`,
      labels: { [LABEL_PROVIDER]: provider },
    },
    spec: {
      compositeTypeRef: { apiVersion: `${group}/${version}`, kind },
      mode: 'Pipeline',
      pipeline: [
        {
          step: 'patch-and-transform',
          functionRef: { name: 'function-patch-and-transform' },
          input: {
            apiVersion: 'pt.fn.crossplane.io/v1beta1',
            kind: 'Resources',
            resources: [],
          },
        },
        {
          step: 'automatically-detect-readiness',
          functionRef: { name: 'function-auto-ready' },
        },
      ],
    },
  };
}
