/*
 * The labels shared with the catalog, argocd and crossplane packages are
 * declared once, in environments-common, and re-exported here.
 */
export {
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
} from '@epicshelter/plugin-environments-common';
/** Value of the `LABEL_PART_OF` label. @public */
export const PART_OF_VALUE = 'epicshelter';
/** Label naming the kind of spec resource (`database`, `bucket`, `cache`, `kubernetes-cluster`). @public */
export const LABEL_RESOURCE_TYPE = 'epicshelter.io/resource-type';
/** Backstage Kubernetes plugin link label. @public */
export const LABEL_BACKSTAGE_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/**
 * Composition label that a cloud environment's XRs and claims select on,
 * next to `LABEL_PROVIDER`: what the cluster where the XR lives does with
 * the cloud resource (see {@link CLUSTER_ROLES}; databases, caches and
 * buckets have `self-managed` and `observe` Compositions).
 * @public
 */
export const LABEL_CLUSTER_ROLE = 'platform.epicshelter.io/cluster-role';
/**
 * Roles of a KubernetesCluster XR, one Composition each:
 * - `self-managed`: in the cloud cluster itself; reconciles the cluster fully
 *   (adopts it by its external name, the environment name);
 * - `bootstrap`: in the cluster that bootstraps a cloud environment; creates
 *   the cluster, Argo CD and the root Application once, never updates or
 *   deletes them (`managementPolicies: [Observe, Create]`);
 * - `observe`: in a local cluster attached to an existing cloud environment;
 *   only observes (`managementPolicies: [Observe]`) and receives the
 *   kubeconfig; a database, cache or bucket with this role reads its XR in
 *   the environment's own cluster.
 * @public
 */
export const CLUSTER_ROLES = ['self-managed', 'bootstrap', 'observe'] as const;
/** @public */
export type ClusterRole = (typeof CLUSTER_ROLES)[number];
/** Crossplane annotation naming the external resource of a managed resource. @public */
export const ANNOTATION_EXTERNAL_NAME = 'crossplane.io/external-name';
/** Argo CD sync wave annotation. @public */
export const ANNOTATION_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** API group of the platform's v2 (namespaced) composite resources. @public */
export const PLATFORM_GROUP = 'platform.epicshelter.io';
/**
 * API group of the platform's v1 legacy claims. A distinct group, because a
 * v1 XRD's claim CRD and a v2 XRD's XR CRD with the same group and plural
 * would be one CRD name; separate groups let both API styles be installed
 * side by side in one cluster.
 * @public
 */
export const LEGACY_PLATFORM_GROUP = 'legacy.platform.epicshelter.io';
/** Version served by the platform XRDs. @public */
export const PLATFORM_VERSION = 'v1alpha1';

/** apiVersion and kind of the environment document. @public */
export const ENVIRONMENT_API_VERSION = 'epicshelter.io/v1alpha1';
/** @public */
export const ENVIRONMENT_KIND = 'Environment';
/** File name of the environment document inside its directory. @public */
export const ENVIRONMENT_FILE_NAME = 'environment.yaml';
/** Root folder of all environments in the GitOps repository. @public */
export const ENVIRONMENTS_DIR = 'environments';
/** Folder of the app bases (`apps/<app>/base`). @public */
export const APPS_DIR = 'apps';
/** Namespace Argo CD runs in and its Applications live in. @public */
export const ARGOCD_NAMESPACE = 'argocd';
/** Argo CD project the environment Applications belong to. @public */
export const ARGOCD_PROJECT = 'environments';

/** Directory of an environment, e.g. `environments/dev`. @public */
export function environmentDir(name: string): string {
  return `${ENVIRONMENTS_DIR}/${name}`;
}

/** Path of an environment's spec document. @public */
export function environmentFilePath(name: string): string {
  return `${environmentDir(name)}/${ENVIRONMENT_FILE_NAME}`;
}

/** Path of an environment's workloads overlay. @public */
export function workloadsDir(name: string): string {
  return `${environmentDir(name)}/workloads`;
}

/** Path of an environment's infrastructure overlay. @public */
export function infrastructureDir(name: string): string {
  return `${environmentDir(name)}/infrastructure`;
}

/**
 * Root of a cloud environment's own cluster: the cloud Argo CD's `root`
 * Application (created by the bootstrap) syncs this folder, which holds the
 * cluster's platform and the environment's two Applications.
 * @public
 */
export function cloudClusterDir(name: string): string {
  return `${environmentDir(name)}/cluster`;
}

/** What the bootstrap cluster applies for a cloud environment (create once, never delete). @public */
export function bootstrapDir(name: string): string {
  return `${environmentDir(name)}/bootstrap`;
}

/** What an attached local cluster applies for a cloud environment (observe only). @public */
export function attachDir(name: string): string {
  return `${environmentDir(name)}/attach`;
}

/** Path of an app's base. @public */
export function appBaseDir(app: string): string {
  return `${APPS_DIR}/${app}/base`;
}

/** Names of the two Argo CD Applications of an environment (namespace `argocd`). @public */
export function argoApplicationNames(env: string): {
  workloads: string;
  infrastructure: string;
} {
  return {
    workloads: `${env}-workloads`,
    infrastructure: `${env}-infrastructure`,
  };
}
