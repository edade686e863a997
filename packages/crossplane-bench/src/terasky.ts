/** The part of a Kubernetes object the request builders read. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/**
 * Query string of TeraSky's `GET /api/crossplane/v2/graph` for one v2 XR,
 * as its frontend sends it for the XR's entity (cluster, namespace, name,
 * group, version, plural and scope come from the entity's annotations).
 */
export function v2GraphQuery(
  clusterName: string,
  xr: ObjectRef,
  plural: string,
  scope: 'Namespaced' | 'Cluster',
): string {
  const slash = xr.apiVersion.indexOf('/');
  if (slash < 0) {
    throw new Error(
      `${xr.kind} ${xr.metadata.name} has apiVersion '${xr.apiVersion}' without a group; a composite resource always has one`,
    );
  }
  if (scope === 'Namespaced' && !xr.metadata.namespace) {
    throw new Error(
      `${xr.kind} ${xr.metadata.name} is namespaced but has no metadata.namespace`,
    );
  }
  return new URLSearchParams({
    clusterName,
    namespace: xr.metadata.namespace ?? 'default',
    name: xr.metadata.name,
    group: xr.apiVersion.slice(0, slash),
    version: xr.apiVersion.slice(slash + 1),
    plural,
    scope,
  }).toString();
}

/**
 * Query string of TeraSky's `GET /api/crossplane/events` for one resource
 * (its frontend asks per resource row).
 */
export function eventsQuery(
  clusterName: string,
  object: ObjectRef,
  fallbackNamespace: string,
): string {
  return new URLSearchParams({
    clusterName,
    namespace: object.metadata.namespace ?? fallbackNamespace,
    resourceName: object.metadata.name,
    resourceKind: object.kind,
  }).toString();
}

/** Nearest-rank 95th percentile; throws on an empty sample. */
export function p95(samples: number[]): number {
  if (samples.length === 0) {
    throw new Error('p95 of an empty sample; did the benchmark run?');
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1];
}
