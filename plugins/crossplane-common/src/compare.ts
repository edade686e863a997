import { describeCondition, firstFailingCondition } from './conditions';
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
 * - `ready` / `failing`: declared and live (failing carries the first
 *   failing condition's message);
 * - `not-created`: declared, no live object in any reachable cluster;
 * - `not-declared`: live, not declared;
 * - `unknown`: declared, but no cluster could be asked (none configured, or
 *   all unreachable).
 * @public
 */
export function compareDesiredLive(
  desired: DesiredResource[],
  clusters: CrossplaneClusterResult[],
): DesiredLiveEntry[] {
  const reachable = clusters.filter(c => !c.error);
  const roots = reachable.flatMap(c => {
    const ids = new Set(c.roots);
    return c.nodes.filter(n => ids.has(n.id));
  });
  const matched = new Set<string>();
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
    const failing =
      live.ready === 'True' && live.synced !== 'False'
        ? undefined
        : firstFailingCondition(live.conditions);
    let failingMessage: string | undefined;
    if (failing) failingMessage = describeCondition(failing);
    else if (live.ready !== 'True') {
      failingMessage = 'No Ready condition reported yet';
    }
    return {
      ...base,
      namespace: live.namespace ?? d.namespace,
      status:
        live.ready === 'True' && live.synced !== 'False' ? 'ready' : 'failing',
      message: failingMessage,
      liveNodeId: live.id,
      cluster: live.cluster,
    };
  });
  for (const n of roots) {
    if (matched.has(n.id)) continue;
    entries.push({
      kind: n.kind,
      name: n.name,
      namespace: n.namespace,
      resourceName: n.resourceName,
      status: 'not-declared',
      message: 'Live in the cluster but no longer declared in Git',
      liveNodeId: n.id,
      cluster: n.cluster,
    });
  }
  return entries;
}
