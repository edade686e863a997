import {
  ANNOTATION_CROSSPLANE_SELECTOR,
  ANNOTATION_ENVIRONMENT,
} from '@epicshelter/plugin-environments-common';

/*
 * The shared vocabulary (declared once, in environments-common):
 * - ANNOTATION_ENVIRONMENT: the environment an entity belongs to or is
 *   deployed to; also the label LABEL_ENVIRONMENT on every generated object;
 * - ANNOTATION_CROSSPLANE_SELECTOR: label selector overriding the default
 *   `epicshelter.io/environment=<env>`, e.g.
 *   `epicshelter.io/environment=dev,epicshelter.io/resource=orders-db`;
 * - ANNOTATION_CROSSPLANE_NAMESPACE: namespace to restrict the root
 *   (claim / XR) lookup to;
 * - LABEL_RESOURCE, LABEL_PART_OF, LABEL_PROVIDER: labels of generated objects.
 */
export {
  ANNOTATION_CROSSPLANE_NAMESPACE,
  ANNOTATION_CROSSPLANE_SELECTOR,
  ANNOTATION_ENVIRONMENT,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
} from '@epicshelter/plugin-environments-common';

/**
 * Comma separated names of clusters from the `kubernetes` config to look in.
 * Takes precedence over `backstage.io/kubernetes-cluster`.
 * @public
 */
export const ANNOTATION_CROSSPLANE_CLUSTER =
  'crossplane.epicshelter.io/cluster';

/**
 * The standard Backstage Kubernetes annotation naming the cluster of an entity.
 * @public
 */
export const ANNOTATION_KUBERNETES_CLUSTER = 'backstage.io/kubernetes-cluster';

/** Label Crossplane puts on composed resources: the composite's name. @public */
export const LABEL_COMPOSITE = 'crossplane.io/composite';
/** Label Crossplane (v1) puts on composites created for a claim. @public */
export const LABEL_CLAIM_NAME = 'crossplane.io/claim-name';
/** Label Crossplane (v1) puts on composites created for a claim. @public */
export const LABEL_CLAIM_NAMESPACE = 'crossplane.io/claim-namespace';

/**
 * Whether an entity carries the annotations the crossplane plugin needs.
 * @public
 */
export function isCrossplaneAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[ANNOTATION_ENVIRONMENT] || a[ANNOTATION_CROSSPLANE_SELECTOR],
  );
}
