import type {
  Lifecycle,
  LifecycleApplication,
  LifecycleResource,
} from '../lifecycle';

/**
 * The verdicts of an environment, worst first: one environment shows the
 * worst verdict any of its applications, resources or its lifecycle gives.
 * @public
 */
export const ENVIRONMENT_STATUS_ORDER = [
  'Failed',
  'Degraded',
  'Progressing',
  'OutOfSync',
  'Unknown',
  'Healthy',
] as const;

/** One verdict of {@link ENVIRONMENT_STATUS_ORDER}. @public */
export type EnvironmentStatusLevel = (typeof ENVIRONMENT_STATUS_ORDER)[number];

/** What one application, resource or the lifecycle says about the environment. @public */
export interface EnvironmentStatusFinding {
  status: EnvironmentStatusLevel;
  /** A sentence that names the application, resource or lifecycle step. */
  reason: string;
  source: 'lifecycle' | 'application' | 'resource';
}

/** The one verdict of an environment, with the reason and every finding behind it. @public */
export interface EnvironmentStatus {
  environment: string;
  status: EnvironmentStatusLevel;
  /** The reason of the worst finding (or why the environment is healthy). */
  reason: string;
  /** Every finding that is not healthy, worst first. */
  findings: EnvironmentStatusFinding[];
}

/** Everything the verdict is computed from. @public */
export interface EnvironmentStatusInput {
  environment: string;
  /** Names of the applications that must exist (`<env>-workloads`, `<env>-infrastructure`). */
  expectedApplications: string[];
  /** All Argo CD applications of the environment, workloads and infrastructure, on every instance. */
  applications: Array<
    Pick<
      LifecycleApplication,
      | 'instance'
      | 'name'
      | 'layer'
      | 'syncStatus'
      | 'healthStatus'
      | 'healthMessage'
      | 'operationPhase'
      | 'operationMessage'
    >
  >;
  /** Why Argo CD (or one of its instances) could not be read. */
  applicationsError?: string;
  /** Crossplane desired vs live; undefined when Crossplane is not available. */
  resources?: LifecycleResource[];
  resourcesError?: string;
  lifecycle?: Lifecycle;
}

/** A rule: what one source of truth says about the environment. @public */
export type EnvironmentStatusRule = (
  input: EnvironmentStatusInput,
) => EnvironmentStatusFinding[];
