import {
  ArgoCdInstancesByTarget,
  DEFAULT_ARGOCD_INSTANCES_BY_TARGET,
  EnvironmentPlacement,
  EnvironmentStatus,
  Lifecycle,
  computeEnvironmentStatus,
  computePlacement,
} from '@epicshelter/plugin-environments-common';
import type { EnvironmentSnapshot } from './environmentSnapshot';

/**
 * The one verdict of an environment from its snapshot: all its
 * applications, its Crossplane resources (when Crossplane is available)
 * and its lifecycle.
 */
export function environmentVerdict(
  snapshot: EnvironmentSnapshot,
  lifecycle: Lifecycle,
): EnvironmentStatus {
  const input = snapshot.lifecycleInput;
  return computeEnvironmentStatus({
    environment: snapshot.name,
    expectedApplications: input.expectedApplications,
    applications: input.applications,
    applicationsError: input.applicationsError,
    ...(snapshot.crossplaneAvailable
      ? { resources: input.resources, resourcesError: input.resourcesError }
      : {}),
    lifecycle,
  });
}

/**
 * Where an environment runs (its cluster resource, live or declared, and
 * its Argo CD instance); undefined without an environment spec.
 */
export function environmentPlacement(
  snapshot: EnvironmentSnapshot,
  argoCdInstances: ArgoCdInstancesByTarget | undefined,
): EnvironmentPlacement | undefined {
  const { spec, crossplane } = snapshot;
  if (!spec) return undefined;
  const declared = spec.resources.find(r => r.type === 'kubernetes-cluster');
  const live =
    declared &&
    crossplane?.comparison.find(
      c =>
        c.resourceName === declared.name ||
        (c.kind === declared.crossplane.kind &&
          c.name === declared.crossplane.name),
    );
  let clusterResource;
  if (live) clusterResource = live;
  else if (declared && snapshot.crossplaneAvailable && crossplane) {
    clusterResource = {
      kind: declared.crossplane.kind,
      name: declared.crossplane.name,
      status: 'not-created' as const,
    };
  }
  return computePlacement({
    environment: snapshot.name,
    target: spec.target,
    provider: spec.provider,
    region: spec.region,
    applications: spec.applications,
    liveApplications: snapshot.lifecycleInput.applications,
    clusterResource,
    instances: argoCdInstances ?? DEFAULT_ARGOCD_INSTANCES_BY_TARGET,
  });
}
