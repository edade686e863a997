import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError, ResponseError, isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EntityApplicationsResponse } from '@epicshelter/plugin-argocd-common';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import {
  ANNOTATION_GITOPS_CHANGE_BRANCH,
  ANNOTATION_GITOPS_PATH,
  EnvironmentEntitySpec,
  LifecycleApplication,
  LifecycleInput,
  getEnvironmentSpec,
  isEnvironmentEntity,
} from '@epicshelter/plugin-environments-common';
import type { GitOpsRepositoryReader } from './repository';
import {
  latestTemplateRun,
  type PortalClient,
  type ScaffolderTaskSummary,
} from './portal';

/** The message of an error, or the thrown value as text. */
export const message = (e: unknown) => (isError(e) ? e.message : String(e));

/** The environment document (`<gitops path>/environment.yaml`) of an environment entity. */
export function environmentDocumentPath(entity: Entity): string {
  const dir =
    entity.metadata.annotations?.[ANNOTATION_GITOPS_PATH] ??
    `environments/${entity.metadata.name}`;
  return `${dir}/environment.yaml`;
}

/** Everything read about one environment for its lifecycle, verdict and placement. */
export interface EnvironmentSnapshot {
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

/** Where a snapshot is read from: the GitOps repository and the other plugins of the portal. */
export interface SnapshotSources {
  repository?: GitOpsRepositoryReader;
  portal: PortalClient;
  logger: LoggerService;
}

/** The environment entity `name` (a Resource of type environment in the default namespace). */
export async function findEnvironment(
  catalog: CatalogService,
  name: string,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const ref = stringifyEntityRef({
    kind: 'Resource',
    namespace: 'default',
    name,
  });
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity || !isEnvironmentEntity(entity)) {
    throw new NotFoundError(
      `No environment ${ref} in the catalog (a Resource of type environment); is the GitOps repository read by the catalog?`,
    );
  }
  return entity;
}

/** The GitOps repository, or NotFoundError when none is configured. */
export function requireRepository(
  repository: GitOpsRepositoryReader | undefined,
): GitOpsRepositoryReader {
  if (!repository) {
    throw new NotFoundError(
      'No gitops.repository configured: Git revisions cannot be compared',
    );
  }
  return repository;
}

/** The template runs the user may read, fetched once for several environments. */
export function readableTasks(
  portal: PortalClient,
  credentials: BackstageCredentials,
): Promise<ScaffolderTaskSummary[]> {
  const tasks = portal.tasks(credentials);
  tasks.catch(() => {}); // each snapshot reports the failure itself
  return tasks;
}

/**
 * Reads what the lifecycle, the verdict and the placement of one
 * environment are computed from: the template run (among `tasks`), the
 * change and commit in the GitOps repository, Argo CD and Crossplane.
 */
export async function readEnvironmentSnapshot(
  sources: SnapshotSources,
  entity: Entity,
  credentials: BackstageCredentials,
  tasks: Promise<ScaffolderTaskSummary[]>,
): Promise<EnvironmentSnapshot> {
  const name = entity.metadata.name;
  const spec = getEnvironmentSpec(entity);
  const annotations = entity.metadata.annotations ?? {};
  const repo = sources.repository;
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
    sources.portal.applications(name, credentials),
    sources.portal.resources(name, credentials),
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
              sources.logger.debug(
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
