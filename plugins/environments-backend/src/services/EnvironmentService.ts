import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ApplicationSummary } from '@epicshelter/plugin-argocd-common';
import {
  ANNOTATION_GITOPS_CHANGE_BRANCH,
  ANNOTATION_GITOPS_PATH,
  EnvironmentDeployment,
  EnvironmentDeploymentsResponse,
  LifecycleApplication,
  LifecycleInput,
  Lifecycle,
  MatrixEnvironment,
  PromotionMatrixResponse,
  RevisionComparison,
  buildPromotionMatrix,
  classifyRevision,
  computeLifecycle,
  getEnvironmentSpec,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import type { PortalClient } from './portal';

const message = (e: unknown) => (isError(e) ? e.message : String(e));

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (t: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

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
    },
  ) {}

  private async environment(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const ref = stringifyEntityRef({
      kind: 'Resource',
      namespace: 'default',
      name,
    });
    const entity = await this.deps.catalog.getEntityByRef(ref, { credentials });
    if (!entity || !isEnvironmentEntity(entity)) {
      throw new NotFoundError(
        `No environment ${ref} in the catalog (a Resource of type environment); is the GitOps repository read by the catalog?`,
      );
    }
    return entity;
  }

  private repository(): GitOpsRepositoryReader {
    if (!this.deps.repository) {
      throw new NotFoundError(
        'No gitops.repository configured: Git revisions cannot be compared',
      );
    }
    return this.deps.repository;
  }

  private async compareAll(
    head: string,
    revisions: string[],
  ): Promise<Map<string, RevisionComparison>> {
    const repo = this.repository();
    const distinct = [...new Set(revisions)];
    // one comparison per distinct revision, a few at a time
    const compared = await mapLimit(
      distinct,
      4,
      async (revision): Promise<RevisionComparison> => {
        try {
          return classifyRevision(
            revision,
            head,
            await repo.compare(head, revision),
          );
        } catch (e) {
          return { revision, head, status: 'unknown', message: message(e) };
        }
      },
    );
    return new Map(distinct.map((revision, i) => [revision, compared[i]]));
  }

  /** The environment's Argo CD applications, each revision compared with the branch head. */
  async deployments(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentDeploymentsResponse> {
    await this.environment(name, credentials);
    const response: EnvironmentDeploymentsResponse = {
      environment: name,
      items: [],
      instances: [],
      sandbox: false,
    };
    let head: string | undefined;
    try {
      const h = await this.repository().head();
      head = h.sha;
      response.head = {
        branch: this.repository().defaultBranch,
        sha: h.sha,
        url: h.url,
      };
    } catch (e) {
      response.headError = message(e);
    }
    let apps: ApplicationSummary[] = [];
    try {
      const argo = await this.deps.portal.applications(name, credentials);
      apps = argo.items;
      response.sandbox = argo.sandbox;
      response.instances = argo.instances.map(i => ({
        name: i.name,
        status: i.status,
        ...(i.error ? { error: i.error.message } : {}),
        sandbox: i.sandbox,
      }));
    } catch (e) {
      response.error = `Argo CD applications could not be read: ${message(e)}`;
    }
    const comparisons = head
      ? await this.compareAll(
          head,
          apps.map(a => a.revision).filter((r): r is string => !!r),
        )
      : new Map<string, RevisionComparison>();
    response.items = apps.map(
      (a): EnvironmentDeployment => ({
        instance: a.instance,
        name: a.name,
        layer: a.layer,
        cluster: a.destination?.name ?? a.destination?.server,
        syncStatus: a.syncStatus,
        healthStatus: a.healthStatus,
        ...(a.healthMessage ? { healthMessage: a.healthMessage } : {}),
        ...(a.revision ? { revision: a.revision } : {}),
        ...(a.lastSyncedAt ? { lastSyncedAt: a.lastSyncedAt } : {}),
        ...(a.operationPhase ? { operationPhase: a.operationPhase } : {}),
        ...(a.operationMessage ? { operationMessage: a.operationMessage } : {}),
        ...(a.argoCdUrl ? { argoCdUrl: a.argoCdUrl } : {}),
        ...(a.commitUrl ? { commitUrl: a.commitUrl } : {}),
        ...(a.revision && comparisons.has(a.revision)
          ? { comparison: comparisons.get(a.revision) }
          : {}),
      }),
    );
    return response;
  }

  /** Gathers the live data of an environment and computes its lifecycle. */
  async lifecycle(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<Lifecycle> {
    const entity = await this.environment(name, credentials);
    const spec = getEnvironmentSpec(entity);
    const annotations = entity.metadata.annotations ?? {};
    const repo = this.deps.repository;
    const defaultBranch = repo?.defaultBranch ?? 'main';
    const changeBranch =
      annotations[ANNOTATION_GITOPS_CHANGE_BRANCH] ??
      `${repo?.branchPrefix ?? 'epicshelter/'}${name}`;
    const specPath = `${
      annotations[ANNOTATION_GITOPS_PATH] ?? `environments/${name}`
    }/environment.yaml`;
    const expected = spec
      ? [spec.applications.workloads, spec.applications.infrastructure]
      : [`${name}-workloads`, `${name}-infrastructure`];
    const input: LifecycleInput = {
      environment: name,
      changeBranch,
      defaultBranch,
      expectedApplications: expected,
      applications: [],
      resources: [],
    };

    const [task, change, commit, argo, crossplane] = await Promise.allSettled([
      this.deps.portal.templateRun(name, credentials),
      repo
        ? repo.findChange(changeBranch)
        : Promise.reject(new Error('No gitops.repository configured')),
      repo
        ? repo.firstCommit(specPath)
        : Promise.reject(new Error('No gitops.repository configured')),
      this.deps.portal.applications(name, credentials),
      this.deps.portal.resources(name, credentials),
    ]);

    if (task.status === 'fulfilled') {
      if (task.value) {
        input.templateRun = {
          id: task.value.id,
          status: task.value.status,
          createdAt: task.value.createdAt,
          url: `/create/tasks/${task.value.id}`,
        };
      }
    } else {
      input.templateRunError = `Template runs could not be read: ${message(
        task.reason,
      )}`;
    }
    if (change.status === 'fulfilled') input.change = change.value;
    else
      input.changeError = `Change could not be read: ${message(change.reason)}`;
    if (commit.status === 'fulfilled') input.commit = commit.value;
    else if (!input.changeError)
      input.changeError = `Commit could not be read: ${message(commit.reason)}`;

    if (argo.status === 'fulfilled') {
      const failing = argo.value.instances.filter(i => i.status === 'error');
      if (failing.length > 0) {
        input.applicationsError = `Argo CD instance ${failing
          .map(i => `${i.name}: ${i.error?.message ?? 'error'}`)
          .join('; ')}`;
      }
      // Whether a revision contains the commit, asked once per distinct
      // revision (applications of one environment often share it).
      const contains = new Map<string, Promise<boolean | undefined>>();
      const containsCommit = (revision: string, sha: string) => {
        if (!repo) return Promise.resolve(undefined);
        if (!contains.has(revision)) {
          contains.set(
            revision,
            repo.compare(revision, sha).then(
              // The revision contains the commit when the commit is not ahead of it.
              counts => counts.aheadBy === 0,
              e => {
                this.deps.logger.debug(
                  `Cannot compare ${revision} with ${sha}: ${message(e)}`,
                );
                return undefined;
              },
            ),
          );
        }
        return contains.get(revision)!;
      };
      input.applications = await Promise.all(
        argo.value.items.map(async (a): Promise<LifecycleApplication> => {
          return {
            instance: a.instance,
            name: a.name,
            layer: a.layer,
            syncStatus: a.syncStatus,
            healthStatus: a.healthStatus,
            revision: a.revision,
            lastSyncedAt: a.lastSyncedAt,
            operationPhase: a.operationPhase,
            operationMessage: a.operationMessage,
            containsCommit:
              input.commit && a.revision
                ? await containsCommit(a.revision, input.commit.sha)
                : undefined,
            url: a.argoCdUrl,
          };
        }),
      );
    } else {
      input.applicationsError = `Argo CD applications could not be read: ${message(
        argo.reason,
      )}`;
    }

    if (crossplane.status === 'fulfilled') {
      input.resources = crossplane.value.comparison.map(c => ({
        kind: c.kind,
        name: c.name,
        status: c.status,
        message: c.message,
      }));
    } else {
      input.resourcesError = `Crossplane resources could not be read: ${message(
        crossplane.reason,
      )}`;
    }
    return computeLifecycle(input);
  }

  /** Rows = workloads, columns = environments; Argo CD state of each environment's workloads app. */
  async matrix(
    credentials: BackstageCredentials,
  ): Promise<PromotionMatrixResponse> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': 'environment' } },
      { credentials },
    );
    const errors: PromotionMatrixResponse['errors'] = [];
    const envs = await mapLimit(
      items,
      8,
      async (entity): Promise<MatrixEnvironment> => {
        const spec = getEnvironmentSpec(entity);
        const name = entity.metadata.name;
        const env: MatrixEnvironment = {
          name,
          target: spec?.target,
          provider: spec?.provider,
          workloads: (spec?.workloads ?? []).map(w => ({
            name: w.name,
            imageTag: w.imageTag,
          })),
        };
        try {
          const argo = await this.deps.portal.applications(name, credentials);
          const app =
            argo.items.find(a => a.name === spec?.applications.workloads) ??
            argo.items.find(a => a.layer === 'workloads');
          if (app) {
            env.deployment = {
              instance: app.instance,
              syncStatus: app.syncStatus,
              healthStatus: app.healthStatus,
              revision: app.revision,
            };
          }
        } catch (e) {
          errors.push({ environment: name, message: message(e) });
        }
        return env;
      },
    );
    return { matrix: buildPromotionMatrix(envs), errors };
  }
}
