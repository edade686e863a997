import type { EnvironmentStatus } from './status';
import type { OpenChange } from './openChange';

/** What the promotion matrix knows about one environment. @public */
export interface MatrixEnvironment {
  name: string;
  target?: string;
  provider?: string;
  workloads: Array<{ name: string; imageTag?: string }>;
  /** The environment's workloads application, when Argo CD answered. */
  deployment?: {
    instance: string;
    syncStatus: string;
    healthStatus: string;
    revision?: string;
  };
  /** The environment's one verdict, when it could be computed. */
  status?: EnvironmentStatus;
  /** A change to the environment that is proposed and not merged yet. */
  openChange?: OpenChange;
}

/** One cell: what runs of a workload in an environment. @public */
export interface MatrixCell {
  /** Image tag from the environment's overlay; `base` when it keeps the app base's tag. */
  imageTag: string;
  revision?: string;
  syncStatus?: string;
  healthStatus?: string;
  instance?: string;
  /** True when the image tag differs from the previous environment's column. */
  differsFromPrevious: boolean;
  /** The environment's open change, when it touches this workload there. */
  openChange?: OpenChange;
}

/** The promotion matrix: rows = workloads, columns = environments. @public */
export interface PromotionMatrix {
  columns: Array<{
    name: string;
    target?: string;
    provider?: string;
    /** The environment's workloads application, when Argo CD answered. */
    deployment?: MatrixEnvironment['deployment'];
    /** The environment's one verdict (all applications, resources, lifecycle). */
    status?: EnvironmentStatus;
    /** A change to the environment that is proposed and not merged yet. */
    openChange?: OpenChange;
  }>;
  rows: Array<{ workload: string; cells: Array<MatrixCell | null> }>;
}

const TARGET_ORDER: Record<string, number> = { local: 0, cloud: 1 };

/**
 * Builds the promotion matrix. Columns are ordered local before cloud, then
 * by name; a cell is null when the environment does not deploy the workload.
 * @public
 */
export function buildPromotionMatrix(
  envs: MatrixEnvironment[],
): PromotionMatrix {
  const columns = [...envs].sort(
    (a, b) =>
      (TARGET_ORDER[a.target ?? ''] ?? 2) -
        (TARGET_ORDER[b.target ?? ''] ?? 2) || a.name.localeCompare(b.name),
  );
  const workloads = [
    ...new Set(envs.flatMap(e => e.workloads.map(w => w.name))),
  ].sort();
  const rows = workloads.map(workload => {
    let previous: string | undefined;
    const cells = columns.map(env => {
      const w = env.workloads.find(x => x.name === workload);
      if (!w) return null;
      const imageTag = w.imageTag ?? 'base';
      const cell: MatrixCell = {
        imageTag,
        revision: env.deployment?.revision,
        syncStatus: env.deployment?.syncStatus,
        healthStatus: env.deployment?.healthStatus,
        instance: env.deployment?.instance,
        differsFromPrevious: previous !== undefined && previous !== imageTag,
        ...(env.openChange?.workloads?.includes(workload)
          ? { openChange: env.openChange }
          : {}),
      };
      previous = imageTag;
      return cell;
    });
    return { workload, cells };
  });
  return {
    columns: columns.map(c => ({
      name: c.name,
      target: c.target,
      provider: c.provider,
      ...(c.deployment ? { deployment: c.deployment } : {}),
      ...(c.status ? { status: c.status } : {}),
      ...(c.openChange ? { openChange: c.openChange } : {}),
    })),
    rows,
  };
}
