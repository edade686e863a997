import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { mapLimited } from '@epicshelter/plugin-gitops-node';
import {
  MatrixEnvironment,
  PromotionMatrixResponse,
  buildPromotionMatrix,
  computeLifecycle,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import type { PortalClient, ScaffolderTaskSummary } from './portal';
import { findOpenChange } from './openChange';
import type { SnapshotCache } from './snapshotCache';
import {
  message,
  readEnvironmentSnapshot,
  readableTasks,
  type EnvironmentSnapshot,
} from './environmentSnapshot';
import { environmentVerdict } from './environmentStatus';

/** What the promotion matrix is read from. */
export interface MatrixSources {
  catalog: CatalogService;
  repository?: GitOpsRepositoryReader;
  portal: PortalClient;
  logger: LoggerService;
  /** Snapshots kept per head commit; none: each snapshot is read every time. */
  snapshots?: SnapshotCache<EnvironmentSnapshot>;
}

/** The head commit of the GitOps branch, or undefined when it cannot be read. */
async function headSha(sources: MatrixSources): Promise<string | undefined> {
  try {
    return (await sources.repository?.head())?.sha;
  } catch (e) {
    sources.logger.debug(`GitOps head not read: ${message(e)}`);
    return undefined;
  }
}

/**
 * Rows = workloads, columns = environments (with each environment's one
 * verdict); the cells show the Argo CD state of its workloads application.
 */
export async function readPromotionMatrix(
  sources: MatrixSources,
  credentials: BackstageCredentials,
): Promise<PromotionMatrixResponse> {
  const { snapshots } = sources;
  const { items } = await sources.catalog.getEntities(
    { filter: { kind: 'Resource', 'spec.type': 'environment' } },
    { credentials },
  );
  const errors: PromotionMatrixResponse['errors'] = [];
  // Template runs are read once, and only if a snapshot is computed.
  let tasks: Promise<ScaffolderTaskSummary[]> | undefined;
  // Snapshots read at the same head commit are reused (see SnapshotCache).
  const head = snapshots ? await headSha(sources) : undefined;
  const envs = await mapLimited(
    items.filter(isEnvironmentEntity),
    8,
    async (entity): Promise<MatrixEnvironment> => {
      const compute = () =>
        readEnvironmentSnapshot(
          sources,
          entity,
          credentials,
          (tasks ??= readableTasks(sources.portal, credentials)),
        );
      const snapshot = snapshots
        ? await snapshots.getOrCompute({
            credentials,
            environment: stringifyEntityRef(entity),
            head,
            compute,
          })
        : await compute();
      const { spec, name, argo } = snapshot;
      const env: MatrixEnvironment = {
        name,
        target: spec?.target,
        provider: spec?.provider,
        workloads: (spec?.workloads ?? []).map(w => ({
          name: w.name,
          imageTag: w.imageTag,
        })),
        status: environmentVerdict(
          snapshot,
          computeLifecycle(snapshot.lifecycleInput),
        ),
      };
      const app =
        argo?.items.find(a => a.name === spec?.applications.workloads) ??
        argo?.items.find(a => a.layer === 'workloads');
      if (app) {
        env.deployment = {
          instance: app.instance,
          syncStatus: app.syncStatus,
          healthStatus: app.healthStatus,
          revision: app.revision,
        };
      }
      const openChange = await findOpenChange({
        repository: sources.repository,
        environment: name,
        changeBranch: snapshot.lifecycleInput.changeBranch,
        change: snapshot.lifecycleInput.change,
        baseHead: head,
        logger: sources.logger,
      });
      if (openChange) env.openChange = openChange;
      if (snapshot.argoError) {
        errors.push({ environment: name, message: snapshot.argoError });
      }
      return env;
    },
  );
  return { matrix: buildPromotionMatrix(envs), errors };
}
