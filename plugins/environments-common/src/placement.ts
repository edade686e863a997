import type { LifecycleApplication, LifecycleResource } from './lifecycle';

/**
 * Argo CD instance of each target's cluster, by target (`local`, `cloud`):
 * config `epicshelter.environments.argocdInstances`.
 * @public
 */
export type ArgoCdInstancesByTarget = Record<string, string>;

/** The mapping used when `epicshelter.environments.argocdInstances` is not set. @public */
export const DEFAULT_ARGOCD_INSTANCES_BY_TARGET: ArgoCdInstancesByTarget = {
  local: 'local',
  cloud: 'cloud',
};

/** Config key of {@link ArgoCdInstancesByTarget}. @public */
export const ARGOCD_INSTANCES_CONFIG_KEY =
  'epicshelter.environments.argocdInstances';

/**
 * Reads `epicshelter.environments.argocdInstances` (any `Config` of
 * `@backstage/config`), falling back to the default for each target not set.
 * @public
 */
export function readArgoCdInstancesByTarget(config: {
  getOptionalConfig(
    key: string,
  ): { keys(): string[]; getString(key: string): string } | undefined;
}): ArgoCdInstancesByTarget {
  const section = config.getOptionalConfig(ARGOCD_INSTANCES_CONFIG_KEY);
  const mapping = { ...DEFAULT_ARGOCD_INSTANCES_BY_TARGET };
  for (const target of section?.keys() ?? []) {
    mapping[target] = section!.getString(target);
  }
  return mapping;
}

/**
 * Where an environment runs and who owns its infrastructure:
 * `local` — the local cluster; a cloud environment is `bootstrapping` until
 * its own cluster's Argo CD runs its applications, then `self-managed`.
 * @public
 */
export type EnvironmentPlacementPhase =
  | 'local'
  | 'bootstrapping'
  | 'self-managed';

/** Which cluster runs an environment and owns its infrastructure. @public */
export interface EnvironmentPlacement {
  target: string;
  phase: EnvironmentPlacementPhase;
  /** The cluster that runs the environment, e.g. `the local cluster`. */
  cluster: string;
  /** Who reconciles the environment's infrastructure right now. */
  infrastructureOwner: string;
  /** The Argo CD instance of the cluster that runs it (the one to link). */
  argoCdInstance?: string;
  /** One or two sentences for the environment's page. */
  summary: string;
}

/** What the placement is derived from. @public */
export interface EnvironmentPlacementInput {
  environment: string;
  target: string;
  provider: string;
  region?: string;
  /** `<env>-workloads` and `<env>-infrastructure`. */
  applications: { workloads: string; infrastructure: string };
  /** The environment's Argo CD applications on every instance. */
  liveApplications: Array<
    Pick<
      LifecycleApplication,
      'instance' | 'name' | 'syncStatus' | 'healthStatus'
    >
  >;
  /** The Crossplane resource of its cloud cluster (kind and name as the comparison reports it), when declared. */
  clusterResource?: Pick<
    LifecycleResource,
    'kind' | 'name' | 'status' | 'message'
  >;
  instances: ArgoCdInstancesByTarget;
}

function cloudClusterName(input: EnvironmentPlacementInput): string {
  const where = input.region ? ` in ${input.region}` : '';
  return `its own ${input.provider} cluster${where}`;
}

/** Why a cloud environment is still bootstrapping, or undefined when it manages itself. */
function bootstrapBlocker(
  input: EnvironmentPlacementInput,
  instance: string | undefined,
): string | undefined {
  const cluster = input.clusterResource;
  if (
    cluster &&
    cluster.status !== 'ready' &&
    cluster.status !== 'not-declared'
  ) {
    const state =
      cluster.status === 'not-created'
        ? 'is not created yet'
        : `is not ready${cluster.message ? ` (${cluster.message})` : ''}`;
    return `its Kubernetes cluster ${cluster.kind} ${cluster.name} ${state}`;
  }
  if (!instance) {
    return `no Argo CD instance is configured for target ${input.target} (epicshelter.environments.argocdInstances)`;
  }
  for (const name of [
    input.applications.infrastructure,
    input.applications.workloads,
  ]) {
    const app = input.liveApplications.find(
      a => a.instance === instance && a.name === name,
    );
    if (!app) return `Argo CD instance ${instance} does not run ${name} yet`;
    if (app.syncStatus !== 'Synced') {
      return `${name} on Argo CD instance ${instance} is ${app.syncStatus}`;
    }
  }
  return undefined;
}

/**
 * Derives which cluster runs an environment and who owns its
 * infrastructure, from its target and the state of its cluster and Argo CD
 * applications.
 * @public
 */
export function computePlacement(
  input: EnvironmentPlacementInput,
): EnvironmentPlacement {
  const instance = input.instances[input.target];
  const argo = instance ? `Argo CD (instance ${instance})` : 'Argo CD';
  if (input.target !== 'cloud') {
    return {
      target: input.target,
      phase: 'local',
      cluster: 'the local cluster',
      infrastructureOwner: `the local cluster's ${argo} and Crossplane`,
      ...(instance ? { argoCdInstance: instance } : {}),
      summary: `Runs on the local cluster, whose ${argo} and Crossplane reconcile its workloads and its in-cluster substitutes for cloud resources.`,
    };
  }
  const cluster = cloudClusterName(input);
  const blocker = bootstrapBlocker(input, instance);
  if (blocker) {
    return {
      target: input.target,
      phase: 'bootstrapping',
      cluster,
      infrastructureOwner:
        "the bootstrap cluster's Crossplane, until the cloud cluster takes over",
      ...(instance ? { argoCdInstance: instance } : {}),
      summary: `Bootstrapping: ${blocker}. The bootstrap cluster creates ${cluster} and installs Argo CD into it; from then on that cluster's ${argo} manages the environment itself.`,
    };
  }
  return {
    target: input.target,
    phase: 'self-managed',
    cluster,
    infrastructureOwner: `${cluster.replace(
      /^its/,
      "the environment's",
    )}: its ${argo} and Crossplane`,
    argoCdInstance: instance,
    summary: `Self-managed: runs in ${cluster}, whose ${argo} reconciles its infrastructure and workloads from the GitOps repository, independently of any local cluster.`,
  };
}
