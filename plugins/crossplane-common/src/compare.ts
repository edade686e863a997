import { classifyStatus } from './status';
import type {
  CrossplaneClusterResult,
  CrossplaneNode,
  DesiredLiveEntry,
  DesiredResource,
} from './types';

/**
 * The API group of an apiVersion (`rds.aws.m.upbound.io/v1beta1` →
 * `rds.aws.m.upbound.io`; core `v1` → empty).
 * @public
 */
export function apiGroupOf(apiVersion: string): string {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function sameObject(d: DesiredResource, n: CrossplaneNode): boolean {
  return (
    apiGroupOf(d.apiVersion) === apiGroupOf(n.apiVersion) &&
    d.kind === n.kind &&
    d.name === n.name &&
    (!d.namespace || !n.namespace || d.namespace === n.namespace)
  );
}

/**
 * Compares what the GitOps repository declares with the live roots (claims
 * and top-level XRs) of each cluster.
 *
 * - `ready` / `failing`: declared and live; `state` and `reason` tell a
 *   failing resource that is only being created (`progressing`), paused or
 *   deleting from a broken one, `message` describes it;
 * - `not-created`: declared, no live object in any reachable cluster;
 * - `not-declared`: live, not declared;
 * - `unknown`: declared, but no cluster could be asked (none configured, or
 *   all unreachable); or live while the desired state could not be read
 *   (`desiredError`), so nothing is called "no longer declared".
 * @public
 */
export function compareDesiredLive(
  desired: DesiredResource[],
  clusters: CrossplaneClusterResult[],
  options: { desiredError?: string } = {},
): DesiredLiveEntry[] {
  const reachable = clusters.filter(c => !c.error);
  const roots = reachable.flatMap(c => {
    const ids = new Set(c.roots);
    return c.nodes.filter(n => ids.has(n.id));
  });
  const matched = new Set<string>();
  const liveOf = (n: CrossplaneNode) => {
    const status = n.status ?? classifyStatus({ conditions: n.conditions });
    return {
      state: status.health,
      reason: status.reason,
      message: status.health === 'healthy' ? undefined : status.message,
      liveNodeId: n.id,
      cluster: n.cluster,
    };
  };
  const entries: DesiredLiveEntry[] = desired.map(d => {
    const base = {
      kind: d.kind,
      name: d.name,
      namespace: d.namespace,
      resourceName: d.resourceName,
      desired: d,
    };
    if (reachable.length === 0) {
      const message =
        clusters.length === 0
          ? 'No Kubernetes cluster configured: desired state only'
          : `Cluster unreachable: ${clusters
              .map(c => `${c.cluster}: ${c.error?.message}`)
              .join('; ')}`;
      return { ...base, status: 'unknown', message };
    }
    const live = roots.find(n => sameObject(d, n));
    if (!live) {
      return {
        ...base,
        status: 'not-created',
        message: 'Declared in Git but not found in the cluster',
      };
    }
    matched.add(live.id);
    const entry = liveOf(live);
    return {
      ...base,
      ...entry,
      namespace: live.namespace ?? d.namespace,
      status: entry.state === 'healthy' ? 'ready' : 'failing',
    };
  });
  for (const n of roots) {
    if (matched.has(n.id)) continue;
    const base = {
      kind: n.kind,
      name: n.name,
      namespace: n.namespace,
      resourceName: n.resourceName,
    };
    entries.push(
      options.desiredError
        ? {
            ...base,
            ...liveOf(n),
            status: 'unknown',
            message: `Desired state unavailable (${options.desiredError}): cannot tell whether it is declared`,
          }
        : {
            ...base,
            ...liveOf(n),
            status: 'not-declared',
            message: 'Live in the cluster but no longer declared in Git',
          },
    );
  }
  return entries;
}
