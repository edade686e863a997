import type { Lifecycle } from './lifecycle';
import type { EnvironmentExpiryHistory } from './expiry/history';
import type { EnvironmentPlacement } from './placement';
import type { EnvironmentStatus } from './status';
import type { PromotionMatrix } from './matrix';
import type { RevisionComparison } from './revisions';

/** One Argo CD application of an environment with its revision compared to the branch head. @public */
export interface EnvironmentDeployment {
  instance: string;
  name: string;
  layer: 'workloads' | 'infrastructure' | 'other';
  /** Cluster the application deploys to (destination name or server). */
  cluster?: string;
  syncStatus: string;
  healthStatus: string;
  healthMessage?: string;
  revision?: string;
  lastSyncedAt?: string;
  operationPhase?: string;
  operationMessage?: string;
  argoCdUrl?: string;
  commitUrl?: string;
  comparison?: RevisionComparison;
}

/** GET /environments/:name/deployments. @public */
export interface EnvironmentDeploymentsResponse {
  environment: string;
  head?: { branch: string; sha: string; url?: string };
  headError?: string;
  items: EnvironmentDeployment[];
  instances: Array<{
    name: string;
    status: 'ok' | 'error';
    error?: string;
    sandbox?: boolean;
  }>;
  /** Set when the Argo CD backend could not be asked at all. */
  error?: string;
  sandbox: boolean;
}

/** GET /environments/:name/lifecycle: the steps, and the expiry with its extensions. @public */
export type EnvironmentLifecycleResponse = Lifecycle & {
  expiry?: EnvironmentExpiryHistory;
};

/** GET /matrix. @public */
export interface PromotionMatrixResponse {
  matrix: PromotionMatrix;
  /** Environments whose Argo CD state could not be read, with the reason. */
  errors: Array<{ environment: string; message: string }>;
}

/** GET /environments/:name/status: the one verdict, where it runs, and the lifecycle it was computed with. @public */
export interface EnvironmentStatusResponse {
  status: EnvironmentStatus;
  /** Where it runs and who owns its infrastructure; absent when the entity has no spec.environment. */
  placement?: EnvironmentPlacement;
  lifecycle: Lifecycle;
}

/** One app of the GitOps repository (a folder `apps/<name>/base`). @public */
export interface GitOpsApp {
  name: string;
}

/** GET /apps: the apps an environment can deploy, sorted by name. @public */
export interface GitOpsAppsResponse {
  items: GitOpsApp[];
}

/**
 * A local GitOps repository on the portal's machine that templates may
 * write to: `gitops.repository` or one of `gitops.allowedRepositories`.
 * @public
 */
export interface GitOpsLocalRepository {
  /**
   * The repository's configuration key (`gitops.repository` or
   * `gitops.allowedRepositories[i]`), which a template's `repository` input
   * takes; the server path itself never reaches the browser.
   */
  ref: string;
  /** The folder's name, for the pick list. */
  title: string;
  /** True for `gitops.repository` (the portal's own GitOps repository). */
  configured: boolean;
}

/** GET /repositories: the local repositories templates may write to. @public */
export interface GitOpsLocalRepositoriesResponse {
  items: GitOpsLocalRepository[];
}

/**
 * One workload of an environment as its overlay builds it at the head of the
 * GitOps branch (the app base, then the overlay's patches and images).
 * @public
 */
export interface EnvironmentWorkload {
  /** The workload object's name (the app). */
  name: string;
  /** Its kind, e.g. Deployment. */
  kind: string;
  /** Replicas after the overlay's patches; absent for kinds without replicas. */
  replicas?: number;
  /** The image of each container, after the overlay's images. */
  images: string[];
  /** The overlay's resource the workload comes from (an app base folder). */
  base?: string;
  /** The overlay's patches that target the workload (repository paths). */
  patches: string[];
}

/** GET /environments/:name/workloads: what the environment's overlay deploys. @public */
export interface EnvironmentWorkloadsResponse {
  environment: string;
  /** The commit of the GitOps branch the overlay was read at. */
  commit: string;
  /** The overlay's kustomization (repository path). */
  overlay: string;
  items: EnvironmentWorkload[];
  /** What made the build incomplete (missing bases, bad patches), as sentences. */
  problems: string[];
}
