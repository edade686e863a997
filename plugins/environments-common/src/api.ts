import type { Lifecycle } from './lifecycle';
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

/** GET /environments/:name/lifecycle. @public */
export type EnvironmentLifecycleResponse = Lifecycle;

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
  /** The absolute path, as a template's `repository` input takes it. */
  path: string;
  /** The folder's name, for the pick list. */
  title: string;
  /** True for `gitops.repository` (the portal's own GitOps repository). */
  configured: boolean;
}

/** GET /repositories: the local repositories templates may write to. @public */
export interface GitOpsLocalRepositoriesResponse {
  items: GitOpsLocalRepository[];
}
