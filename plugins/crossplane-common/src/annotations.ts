/**
 * Environment an entity belongs to or is deployed to (set by the GitOps generator).
 * Also the label `epicshelter.io/environment` on every generated Crossplane object.
 * @public
 */
export const ANNOTATION_ENVIRONMENT = 'epicshelter.io/environment';

/**
 * Label selector overriding the default `epicshelter.io/environment=<env>`,
 * e.g. `epicshelter.io/environment=dev,epicshelter.io/resource=orders-db`.
 * @public
 */
export const ANNOTATION_CROSSPLANE_SELECTOR =
  'crossplane.epicshelter.io/selector';

/**
 * Namespace to restrict the root (claim / XR) lookup to.
 * @public
 */
export const ANNOTATION_CROSSPLANE_NAMESPACE =
  'crossplane.epicshelter.io/namespace';

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

/** Label carrying the environment on generated objects. @public */
export const LABEL_ENVIRONMENT = 'epicshelter.io/environment';
/** Label carrying the declared resource name on generated objects. @public */
export const LABEL_RESOURCE = 'epicshelter.io/resource';
/** Label set on every generated object. @public */
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
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
