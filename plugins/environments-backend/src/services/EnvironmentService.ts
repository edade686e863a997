import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ArgoCdInstancesByTarget,
  EnvironmentDeploymentsResponse,
  EnvironmentLifecycleResponse,
  EnvironmentStatusResponse,
  GitOpsAppsResponse,
  PromotionMatrixResponse,
  computeLifecycle,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import { SnapshotCache } from './snapshotCache';
import type { PortalClient } from './portal';
import {
  findEnvironment,
  readEnvironmentSnapshot,
  readableTasks,
  requireRepository,
  type EnvironmentSnapshot,
} from './environmentSnapshot';
import { readDeployments } from './deployments';
import { readEnvironmentLifecycle } from './environmentLifecycle';
import { environmentPlacement, environmentVerdict } from './environmentStatus';
import { readPromotionMatrix } from './promotionMatrix';

/**
 * Computes deployments, lifecycle and the promotion matrix of environments
 * from the catalog, the GitOps repository and the argocd, crossplane and
 * scaffolder plugins.
 * @public
 */
export class EnvironmentService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      repository?: GitOpsRepositoryReader;
      portal: PortalClient;
      logger: LoggerService;
      /** Argo CD instance of each target's cluster (epicshelter.environments.argocdInstances). */
      argoCdInstances?: ArgoCdInstancesByTarget;
      /** Where the matrix keeps each environment's snapshot per head commit; none: computed every time. */
      cache?: CacheService;
      /** The time an expiry is compared with (default: the system clock). */
      clock?: () => Date;
    },
  ) {
    this.snapshots =
      deps.cache &&
      new SnapshotCache<EnvironmentSnapshot>({
        cache: deps.cache,
        logger: deps.logger,
      });
  }

  private readonly snapshots?: SnapshotCache<EnvironmentSnapshot>;

  /** The environment entity `name` and its snapshot (read now, not cached). */
  private async read(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<{ entity: Entity; snapshot: EnvironmentSnapshot }> {
    const entity = await findEnvironment(this.deps.catalog, name, credentials);
    const snapshot = await readEnvironmentSnapshot(
      this.deps,
      entity,
      credentials,
      readableTasks(this.deps.portal, credentials),
    );
    return { entity, snapshot };
  }

  /** The environment's Argo CD applications, each revision compared with the branch head. */
  async deployments(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentDeploymentsResponse> {
    await findEnvironment(this.deps.catalog, name, credentials);
    return readDeployments(this.deps, name, credentials);
  }

  /**
   * Gathers the live data of an environment and computes its lifecycle,
   * with its expiry and extensions when it expires.
   */
  async lifecycle(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentLifecycleResponse> {
    const { entity, snapshot } = await this.read(name, credentials);
    return readEnvironmentLifecycle(this.deps, entity, snapshot);
  }

  /**
   * The one verdict of an environment (all its applications, its Crossplane
   * resources and its lifecycle), where it runs, and the lifecycle.
   */
  async status(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentStatusResponse> {
    const { snapshot } = await this.read(name, credentials);
    const lifecycle = computeLifecycle(snapshot.lifecycleInput);
    const placement = environmentPlacement(snapshot, this.deps.argoCdInstances);
    return {
      status: environmentVerdict(snapshot, lifecycle),
      ...(placement ? { placement } : {}),
      lifecycle,
    };
  }

  /** The apps of the GitOps repository (`apps/<name>/base`), for the forms. */
  async apps(): Promise<GitOpsAppsResponse> {
    const names = await requireRepository(this.deps.repository).listApps();
    return { items: names.map(name => ({ name })) };
  }

  /**
   * Rows = workloads, columns = environments (with each environment's one
   * verdict); the cells show the Argo CD state of its workloads application.
   */
  async matrix(
    credentials: BackstageCredentials,
  ): Promise<PromotionMatrixResponse> {
    return readPromotionMatrix(
      { ...this.deps, snapshots: this.snapshots },
      credentials,
    );
  }
}
