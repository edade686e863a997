import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError, ResponseError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  ApplicationSummary,
  EntityApplicationsResponse,
} from '@epicshelter/plugin-argocd-common';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import { mapLimited } from '@epicshelter/plugin-gitops-node';
import {
  ANNOTATION_GITOPS_CHANGE_BRANCH,
  ANNOTATION_GITOPS_PATH,
  ArgoCdInstancesByTarget,
  DEFAULT_ARGOCD_INSTANCES_BY_TARGET,
  EnvironmentDeployment,
  EnvironmentDeploymentsResponse,
  EnvironmentEntitySpec,
  EnvironmentExpiryHistory,
  EnvironmentLifecycleResponse,
  EnvironmentPlacement,
  EnvironmentStatus,
  EnvironmentStatusResponse,
  GitOpsAppsResponse,
  LifecycleApplication,
  LifecycleInput,
  Lifecycle,
  MatrixEnvironment,
  PromotionMatrixResponse,
  RevisionComparison,
  buildPromotionMatrix,
  classifyRevision,
  computeEnvironmentStatus,
  computeLifecycle,
  computePlacement,
  getEnvironmentSpec,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import { findOpenChange } from './openChange';
import { readExpiryHistory } from './expiryHistory';
import { SnapshotCache } from './snapshotCache';
import {
  latestTemplateRun,
  type PortalClient,
  type ScaffolderTaskSummary,
} from './portal';

const message = (e: unknown) => (isError(e) ? e.message : String(e));

/** The environment document (`<gitops path>/environment.yaml`) of an environment entity. */
function environmentDocumentPath(entity: Entity): string {
  const dir =
    entity.metadata.annotations?.[ANNOTATION_GITOPS_PATH] ??
    `environments/${entity.metadata.name}`;
  return `${dir}/environment.yaml`;
}

/** Everything read about one environment for its lifecycle, verdict and placement. */
interface EnvironmentSnapshot {
  name: string;
  spec?: EnvironmentEntitySpec;
  lifecycleInput: LifecycleInput;
  /** Argo CD's answer, or undefined when it could not be read. */
  argo?: EntityApplicationsResponse;
  argoError?: string;
  /** Crossplane's answer; undefined when it failed or is not installed. */
  crossplane?: CrossplaneResourcesResponse;
  /** False when Crossplane is not installed or has no cluster. */
  crossplaneAvailable: boolean;
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

  /** The head commit of the GitOps branch, or undefined when it cannot be read. */
  private async headSha(): Promise<string | undefined> {
    try {
      return (await this.deps.repository?.head())?.sha;
    } catch (e) {
      this.deps.logger.debug(`GitOps head not read: ${message(e)}`);
      return undefined;
    }
  }

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
    const compared = await mapLimited(
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

  /**
   * Reads what the lifecycle, the verdict and the placement of one
   * environment are computed from: the template run (among `tasks`), the
   * change and commit in the GitOps repository, Argo CD and Crossplane.
   */
  private async snapshot(
    entity: Entity,
    credentials: BackstageCredentials,
    tasks: Promise<ScaffolderTaskSummary[]>,
  ): Promise<EnvironmentSnapshot> {
    const name = entity.metadata.name;
    const spec = getEnvironmentSpec(entity);
    const annotations = entity.metadata.annotations ?? {};
    const repo = this.deps.repository;
    const defaultBranch = repo?.defaultBranch ?? 'main';
    const changeBranch =
      annotations[ANNOTATION_GITOPS_CHANGE_BRANCH] ??
      `${repo?.branchPrefix ?? 'epicshelter/'}${name}`;
    const specPath = environmentDocumentPath(entity);
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
    const snapshot: EnvironmentSnapshot = {
      name,
      spec,
      lifecycleInput: input,
      crossplaneAvailable: true,
    };

    const [task, change, commit, argo, crossplane] = await Promise.allSettled([
      tasks.then(t => latestTemplateRun(t, name)),
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
      snapshot.argo = argo.value;
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
            healthMessage: a.healthMessage,
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
      snapshot.argoError = message(argo.reason);
      input.applicationsError = `Argo CD applications could not be read: ${snapshot.argoError}`;
    }

    if (crossplane.status === 'fulfilled') {
      snapshot.crossplane = crossplane.value;
      snapshot.crossplaneAvailable = crossplane.value.liveAvailable;
      input.resources = crossplane.value.comparison.map(c => ({
        kind: c.kind,
        name: c.name,
        status: c.status,
        ...(c.state ? { state: c.state } : {}),
        message: c.message,
      }));
    } else {
      // A portal without the crossplane plugin answers 404: not available.
      snapshot.crossplaneAvailable = !(
        crossplane.reason instanceof ResponseError &&
        crossplane.reason.statusCode === 404
      );
      input.resourcesError = `Crossplane resources could not be read: ${message(
        crossplane.reason,
      )}`;
    }
    return snapshot;
  }

  private verdict(
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

  private placement(
    snapshot: EnvironmentSnapshot,
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
      instances:
        this.deps.argoCdInstances ?? DEFAULT_ARGOCD_INSTANCES_BY_TARGET,
    });
  }

  /** The template runs the user may read, fetched once for several environments. */
  private tasks(credentials: BackstageCredentials) {
    const tasks = this.deps.portal.tasks(credentials);
    tasks.catch(() => {}); // each snapshot reports the failure itself
    return tasks;
  }

  /**
   * Gathers the live data of an environment and computes its lifecycle,
   * with its expiry and extensions when it expires.
   */
  async lifecycle(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentLifecycleResponse> {
    const entity = await this.environment(name, credentials);
    const snapshot = await this.snapshot(
      entity,
      credentials,
      this.tasks(credentials),
    );
    const lifecycle = computeLifecycle(snapshot.lifecycleInput);
    const expiry = await this.expiryHistory(entity, snapshot);
    return expiry ? { ...lifecycle, expiry } : lifecycle;
  }

  /**
   * The expiry of an ephemeral environment from the history of its
   * document (see readExpiryHistory), and the decommission change
   * open for it; undefined for an environment that does not expire.
   */
  private async expiryHistory(
    entity: Entity,
    snapshot: EnvironmentSnapshot,
  ): Promise<EnvironmentExpiryHistory | undefined> {
    const declared = snapshot.spec?.expiry;
    const repository = this.deps.repository;
    if (!declared) return undefined;
    if (!repository) {
      return {
        current: declared,
        extensions: [],
        partial: true,
        error: 'No gitops.repository configured: extensions cannot be read',
      };
    }
    const input = snapshot.lifecycleInput;
    const [history, openChange] = await Promise.all([
      readExpiryHistory(repository, environmentDocumentPath(entity)).catch(
        (e): EnvironmentExpiryHistory => ({
          current: declared,
          extensions: [],
          partial: true,
          error: `Extensions could not be read: ${message(e)}`,
        }),
      ),
      findOpenChange({
        repository,
        environment: snapshot.name,
        changeBranch: input.changeBranch,
        change: input.change,
        logger: this.deps.logger,
      }),
    ]);
    const current = history.current ?? declared;
    return {
      ...history,
      current,
      ...(openChange?.removesEnvironment
        ? {
            decommission: {
              change: openChange,
              expiryTriggered:
                Date.parse(current.expiresAt) <=
                (this.deps.clock?.() ?? new Date()).getTime(),
            },
          }
        : {}),
    };
  }

  /**
   * The one verdict of an environment (all its applications, its Crossplane
   * resources and its lifecycle), where it runs, and the lifecycle.
   */
  async status(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentStatusResponse> {
    const entity = await this.environment(name, credentials);
    const snapshot = await this.snapshot(
      entity,
      credentials,
      this.tasks(credentials),
    );
    const lifecycle = computeLifecycle(snapshot.lifecycleInput);
    const placement = this.placement(snapshot);
    return {
      status: this.verdict(snapshot, lifecycle),
      ...(placement ? { placement } : {}),
      lifecycle,
    };
  }

  /** The apps of the GitOps repository (`apps/<name>/base`), for the forms. */
  async apps(): Promise<GitOpsAppsResponse> {
    const names = await this.repository().listApps();
    return { items: names.map(name => ({ name })) };
  }

  /**
   * Rows = workloads, columns = environments (with each environment's one
   * verdict); the cells show the Argo CD state of its workloads application.
   */
  async matrix(
    credentials: BackstageCredentials,
  ): Promise<PromotionMatrixResponse> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': 'environment' } },
      { credentials },
    );
    const errors: PromotionMatrixResponse['errors'] = [];
    // Template runs are read once, and only if a snapshot is computed.
    let tasks: Promise<ScaffolderTaskSummary[]> | undefined;
    // Snapshots read at the same head commit are reused (see SnapshotCache).
    const head = this.snapshots ? await this.headSha() : undefined;
    const envs = await mapLimited(
      items.filter(isEnvironmentEntity),
      8,
      async (entity): Promise<MatrixEnvironment> => {
        const compute = () =>
          this.snapshot(
            entity,
            credentials,
            (tasks ??= this.tasks(credentials)),
          );
        const snapshot = this.snapshots
          ? await this.snapshots.getOrCompute({
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
          status: this.verdict(
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
          repository: this.deps.repository,
          environment: name,
          changeBranch: snapshot.lifecycleInput.changeBranch,
          change: snapshot.lifecycleInput.change,
          baseHead: head,
          logger: this.deps.logger,
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
}
