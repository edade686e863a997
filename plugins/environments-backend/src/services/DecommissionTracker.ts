import { parse, parseAllDocuments } from 'yaml';
import type {
  AuthService,
  BackstageCredentials,
  CacheService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import {
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_CROSSPLANE_NAMESPACE,
  ANNOTATION_ENVIRONMENT,
  ENVIRONMENT_RESOURCE_TYPE,
  LABEL_ENVIRONMENT,
  DecommissionLifecycle,
  DecommissionLifecycleInput,
  DecommissionObject,
  computeDecommissionLifecycle,
  groupsWithAncestors,
} from '@epicshelter/plugin-environments-common';
import {
  DecommissionRecord,
  decommissionRecordOf,
  environmentAdminPermission,
} from '@epicshelter/plugin-gitops-common';
import {
  MarkedObject,
  markedObjects,
  protectionStep,
} from './decommissionProtection';
import type {
  GitOpsChange,
  GitOpsRepository,
} from '@epicshelter/plugin-gitops-node';
import type { Entity } from '@backstage/catalog-model';
import type { EntityApplicationsResponse } from '@epicshelter/plugin-argocd-common';
import type { EntitySnapshot, PortalClient } from './portal';

/** Folder of the orphan records a decommission writes (gitops-common's ORPHANED_DIR). */
const ORPHANED_DIR = 'orphaned';
const ROLES = new Set(['claim', 'composite', 'managed']);

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The parts of an entity the Argo CD and Crossplane locators read. */
export function entitySnapshot(entity: Entity): EntitySnapshot {
  const { name, namespace, annotations, labels } = entity.metadata;
  return {
    apiVersion: entity.apiVersion,
    kind: entity.kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(annotations ? { annotations } : {}),
      ...(labels ? { labels } : {}),
    },
    ...(entity.spec ? { spec: entity.spec as Record<string, unknown> } : {}),
  };
}

/**
 * What the gitops catalog provider's entity of environment `name` holds for
 * the Argo CD and Crossplane locators (their label selector and namespace),
 * for an environment whose entity was never seen by this backend.
 */
export function namedEnvironmentSnapshot(name: string): EntitySnapshot {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [ANNOTATION_ENVIRONMENT]: name,
        [ANNOTATION_ARGOCD_APP_SELECTOR]: `${LABEL_ENVIRONMENT}=${name}`,
        [ANNOTATION_CROSSPLANE_NAMESPACE]: name,
      },
    },
    spec: { type: ENVIRONMENT_RESOURCE_TYPE },
  };
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
/** How many first-parent commits of the head are searched for an environment's deletion. */
const DELETION_SEARCH_DEPTH = 50;

/** An environment owner as a lower-case entity ref (a bare name is a group). */
function ownerRef(owner: unknown): string | undefined {
  if (typeof owner !== 'string' || owner.trim() === '') return undefined;
  const ref = owner.trim();
  return lower(ref.includes(':') ? ref : `group:default/${ref}`);
}

/** The owner an environment document names. */
function ownerOf(environmentYaml: string | undefined): string | undefined {
  try {
    return ownerRef(parse(environmentYaml ?? '')?.spec?.owner);
  } catch {
    return undefined;
  }
}

/** How the live state of an environment is read. */
type LiveReads = {
  applications: () => Promise<EntityApplicationsResponse>;
  resources: () => Promise<CrossplaneResourcesResponse>;
};

/**
 * The live composite and managed resources of a Crossplane answer. What an
 * orphan record keeps (`Kind/name`) is kept with everything it composes;
 * `kept` returns those keys. An object counts as owned when a parent that
 * is not kept still holds it.
 */
export function liveResources(
  response: CrossplaneResourcesResponse,
  orphaned: string[],
): { objects: DecommissionObject[]; kept: string[] } {
  const kept = new Set(orphaned);
  const objects: DecommissionObject[] = [];
  for (const cluster of response.clusters) {
    const nodes = cluster.nodes.filter(n => ROLES.has(n.role));
    const byId = new Map(nodes.map(n => [n.id, n]));
    const keyOf = (id: string) => {
      const n = byId.get(id);
      return n && `${n.kind}/${n.name}`;
    };
    // Everything below a kept object is kept too (edges are parent → child).
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of cluster.edges) {
        const from = keyOf(e.from);
        const to = keyOf(e.to);
        if (from && to && kept.has(from) && !kept.has(to)) {
          kept.add(to);
          grew = true;
        }
      }
    }
    for (const n of nodes) {
      const key = `${n.kind}/${n.name}`;
      const parents = cluster.edges
        .filter(e => e.to === n.id)
        .map(e => keyOf(e.from))
        .filter((k): k is string => k !== undefined);
      objects.push({
        kind: n.kind,
        name: n.name,
        ...(n.namespace ? { namespace: n.namespace } : {}),
        ...(n.deletionTimestamp
          ? { deletionTimestamp: n.deletionTimestamp }
          : {}),
        ...(n.problem ?? n.status?.message
          ? { message: n.problem ?? n.status?.message }
          : {}),
        owned: kept.has(key)
          ? parents.some(p => !kept.has(p))
          : parents.length > 0,
      });
    }
  }
  return { objects, kept: [...kept].sort() };
}

/** `Kind/name` of each object an orphan record keeps. */
export function orphanedKeys(files: Record<string, string>): string[] {
  const keys: string[] = [];
  for (const content of Object.values(files)) {
    for (const doc of parseAllDocuments(content)) {
      const v = doc.toJS() as {
        kind?: unknown;
        metadata?: { name?: unknown };
      } | null;
      if (typeof v?.kind === 'string' && typeof v.metadata?.name === 'string') {
        keys.push(`${v.kind}/${v.metadata.name}`);
      }
    }
  }
  return keys.sort();
}

/**
 * Follows an environment's decommission: the change in the GitOps
 * repository, its Argo CD applications and Crossplane resources (through the
 * argocd and crossplane plugins) and the catalog entity itself. While the
 * entity exists they are asked with the caller's credentials, and the
 * entity is remembered (cache); once the catalog has dropped it, they are
 * asked as this backend about the remembered entity (or, never seen, the
 * entity the catalog provider writes for that name), so the view follows
 * the applications' pruning and the resources' deletion to the end.
 * @public
 */
export class DecommissionTracker {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      repository?: GitOpsRepository;
      portal: PortalClient;
      logger: LoggerService;
      cache?: CacheService;
      /**
       * This backend's own identity: a caller who cannot see an environment
       * that the catalog still holds is refused instead of being answered
       * as this backend.
       */
      auth?: AuthService;
      /** The clock (tests pass a fixed one). */
      now?: () => Date;
      /** A deletion pending longer than this is stuck (default 600 s). */
      stuckAfterSeconds?: number;
      /** Who is a platform admin (`epicshelter.environment.admin`). */
      permissions?: PermissionsService;
      /** The caller's ownership refs (its groups), for the owner check. */
      userInfo?: UserInfoService;
    },
  ) {}

  /** The decommission lifecycle of `name`, read with the caller's credentials. */
  async lifecycle(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<DecommissionLifecycle> {
    const { repository: repo } = this.deps;
    const now = (this.deps.now ?? (() => new Date()))().toISOString();
    const input: DecommissionLifecycleInput = {
      environment: name,
      changeBranch: `${repo?.branchPrefix ?? 'epicshelter/'}${name}`,
      defaultBranch: repo?.defaultBranch ?? 'main',
      applications: [],
      resources: [],
      orphaned: [],
      entityPresent: true,
      now,
      stuckAfterSeconds: this.deps.stuckAfterSeconds,
    };
    const entity = await this.deps.catalog.getEntityByRef(
      `resource:default/${name}`,
      { credentials },
    );
    input.entityPresent = entity !== undefined;
    // The entity as last seen (its owner then), when it is gone.
    const remembered = entity
      ? undefined
      : ((await this.deps.cache
          ?.get(`decommission-entity:${name}`)
          .catch(() => undefined)) as EntitySnapshot | undefined);
    if (!entity) {
      await this.assertGone(name);
      await this.assertMayFollow(name, credentials, remembered);
    }
    // The repository first: its orphan records say what is kept.
    const marks = await this.readRepository(input);
    const { portal } = this.deps;
    let live;
    if (entity) {
      await this.remember(
        `decommission-entity:${name}`,
        entitySnapshot(entity),
      );
      live = await this.readLive(input, {
        applications: () => portal.applications(name, credentials),
        resources: () => portal.resources(name, credentials),
      });
    } else {
      // The entity as last seen, else as the catalog provider writes it.
      const snapshot = remembered ?? namedEnvironmentSnapshot(name);
      live = await this.readLive(input, {
        applications: () => portal.snapshotApplications(snapshot),
        resources: () => portal.snapshotResources(snapshot),
      });
    }
    const protection = protectionStep({
      environment: name,
      ...marks,
      removed: input.inRepository === false,
      orphaned: input.orphaned,
      head: input.head?.sha,
      ...live,
      syncedWithMarks: await this.syncedWithMarks(
        name,
        marks.marked,
        live.applications,
      ),
    });
    if (protection) input.protection = protection;
    return computeDecommissionLifecycle(input);
  }

  /**
   * Once the catalog has dropped an environment, its decommission (the
   * names and states of what is left) may be followed only by the
   * requester of the decommission, the owners recorded at decommission
   * time (the change's record, the environment document it deleted, the
   * entity as last seen) and platform admins.
   */
  private async assertMayFollow(
    name: string,
    credentials: BackstageCredentials,
    remembered: EntitySnapshot | undefined,
  ) {
    if (await this.isPlatformAdmin(credentials)) return;
    const refused = new NotFoundError(
      `No decommission of environment '${name}' that you may follow: only its requester, its owners at decommission time and platform admins may follow it once the catalog has removed it`,
    );
    const principal = credentials.principal as {
      type?: string;
      userEntityRef?: string;
    };
    if (principal?.type !== 'user' || !principal.userEntityRef) throw refused;
    const record = await this.decommissionRecord(name);
    const lastSeenOwner = ownerRef(remembered?.spec?.owner);
    const owners = new Set([
      ...(record?.owners ?? []),
      ...(lastSeenOwner ? [lastSeenOwner] : []),
    ]);
    const user = lower(principal.userEntityRef);
    if (record?.requester === user || owners.has(user)) return;
    const mine = await this.ownershipOf(credentials, user);
    if ([...owners].some(o => mine.has(o))) return;
    throw refused;
  }

  private async isPlatformAdmin(credentials: BackstageCredentials) {
    const { permissions } = this.deps;
    if (!permissions) return false;
    const [decision] = await permissions.authorize(
      [{ permission: environmentAdminPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** The caller's ownership refs and every group above them. */
  private async ownershipOf(
    credentials: BackstageCredentials,
    user: string,
  ): Promise<Set<string>> {
    const { userInfo, auth, catalog } = this.deps;
    if (!userInfo) return new Set([user]);
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    const service = auth && (await auth.getOwnServiceCredentials());
    return groupsWithAncestors({
      groupRefs: ownershipEntityRefs,
      loadGroups: async refs =>
        service
          ? (
              await catalog.getEntitiesByRefs(
                { entityRefs: refs },
                { credentials: service },
              )
            ).items.filter((e): e is Entity => !!e)
          : [],
    }).then(groups => new Set([user, ...groups]));
  }

  /**
   * Requester and owners of the newest change that deleted the
   * environment's document on the default branch: its record lines, and
   * the owner the deleted document named.
   */
  private async decommissionRecord(
    name: string,
  ): Promise<DecommissionRecord | undefined> {
    const repo = this.deps.repository;
    if (!repo) return undefined;
    const path = `environments/${name}/environment.yaml`;
    try {
      const head = await repo.head();
      if (!head || (await repo.readFile(head.sha, path)) !== undefined) {
        return undefined;
      }
      // The commit that deleted the document: GitHub and GitLab list it for
      // the deleted path; a local repository's log of a path that is gone
      // is empty, so the first parents of the head are searched for it.
      const [listed] = await repo.history(path, { limit: 1 });
      const last = listed ?? (await this.deletingCommit(head.sha, name, path));
      if (!last) return undefined;
      const record = decommissionRecordOf(last.fullMessage);
      const { parents } = await repo.commit(last.sha);
      const owner =
        parents[0] && ownerOf(await repo.readFile(parents[0], path));
      const owners = [...(record?.owners ?? []), ...(owner ? [owner] : [])];
      return {
        ...(record?.requester ? { requester: record.requester } : {}),
        owners: [...new Set(owners)],
      };
    } catch (e) {
      this.deps.logger.warn(
        `The decommission record of ${name} could not be read: ${message(e)}`,
      );
      return undefined;
    }
  }

  /**
   * The newest of the head's first-parent commits (at most
   * DELETION_SEARCH_DEPTH) whose parent still holds `path`: the commit
   * that deleted it.
   */
  private async deletingCommit(head: string, name: string, path: string) {
    const repo = this.deps.repository!;
    let sha = head;
    for (let i = 0; i < DELETION_SEARCH_DEPTH; i++) {
      const c = await repo.commit(sha);
      const parent = c.parents[0];
      if (!parent) return undefined;
      if ((await repo.readFile(parent, path)) !== undefined) {
        return { sha: c.sha, fullMessage: c.message };
      }
      sha = parent;
    }
    this.deps.logger.debug(
      `No commit deleting ${name}'s environment document among the last ${DELETION_SEARCH_DEPTH} of the default branch`,
    );
    return undefined;
  }

  /** Whether the infrastructure application's revision holds every mark. */
  private async syncedWithMarks(
    name: string,
    marked: MarkedObject[],
    applications: EntityApplicationsResponse | undefined,
  ): Promise<boolean> {
    const repo = this.deps.repository;
    const app = applications?.items.find(
      a => a.name === `${name}-infrastructure`,
    );
    if (!repo || !app?.revision || marked.length === 0) return false;
    try {
      const there = new Set(
        markedObjects(
          await repo.readFiles(app.revision, `environments/${name}`),
          name,
        ).map(o => o.key),
      );
      return marked.every(o => there.has(o.key));
    } catch {
      return false;
    }
  }

  /**
   * Answers about an environment as this backend only once the catalog no
   * longer holds it: one the caller is merely not allowed to see is refused.
   */
  private async assertGone(name: string) {
    const { auth, catalog } = this.deps;
    if (!auth) return;
    const held = await catalog.getEntityByRef(`resource:default/${name}`, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (held) {
      throw new NotAllowedError(
        `You may not follow the decommission of environment '${name}'`,
      );
    }
  }

  private async remember(key: string, value: unknown) {
    await this.deps.cache
      ?.set(key, value as Parameters<CacheService['set']>[1], {
        ttl: { days: 7 },
      })
      .catch(e => this.deps.logger.debug(`${key} not cached: ${e}`));
  }

  private async readRepository(
    input: DecommissionLifecycleInput,
  ): Promise<{ marked: MarkedObject[]; proposed: MarkedObject[] }> {
    const marks = { marked: [], proposed: [] } as {
      marked: MarkedObject[];
      proposed: MarkedObject[];
    };
    const repo = this.deps.repository;
    if (!repo) {
      input.changeError = 'No gitops.repository is configured';
      return marks;
    }
    const name = input.environment;
    try {
      const [head, change] = await Promise.all([
        repo.head(),
        repo.findChange(input.changeBranch),
      ]);
      if (change) input.change = change;
      if (!head) {
        input.changeError = 'The GitOps repository has no commit yet';
        return marks;
      }
      input.head = { sha: head.sha, ...(head.url ? { url: head.url } : {}) };
      input.inRepository =
        (await repo.readFile(
          head.sha,
          `environments/${name}/environment.yaml`,
        )) !== undefined;
      input.orphaned = orphanedKeys(
        await repo.readFiles(head.sha, `${ORPHANED_DIR}/${name}`),
      );
      const dir = `environments/${name}`;
      marks.marked = markedObjects(await repo.readFiles(head.sha, dir), name);
      const proposedAt = await this.proposedHead(change, input.changeBranch);
      if (proposedAt && proposedAt !== head.sha) {
        marks.proposed = markedObjects(
          await repo.readFiles(proposedAt, dir),
          name,
        );
      }
    } catch (e) {
      input.changeError = `The GitOps repository could not be read: ${message(
        e,
      )}`;
    }
    return marks;
  }

  /** The head of the proposed change while it is open (a local branch, or an open pull request's branch). */
  private async proposedHead(
    change: GitOpsChange | undefined,
    branch: string,
  ): Promise<string | undefined> {
    if (change?.kind === 'branch') return change.sha;
    if (change?.state !== 'open') return undefined;
    const head = await this.deps.repository
      ?.head(branch)
      .catch(() => undefined);
    return head?.sha;
  }

  private async readLive(
    input: DecommissionLifecycleInput,
    reads: LiveReads,
  ): Promise<{
    applications?: EntityApplicationsResponse;
    resources?: CrossplaneResourcesResponse;
  }> {
    const [argo, crossplane] = await Promise.allSettled([
      reads.applications(),
      reads.resources(),
    ]);
    if (argo.status === 'fulfilled') {
      const failing = argo.value.instances.filter(i => i.status === 'error');
      if (failing.length > 0) {
        input.applicationsError = `Argo CD instance ${failing
          .map(i => `${i.name}: ${i.error?.message ?? 'error'}`)
          .join('; ')}`;
      }
      input.applications = argo.value.items.map(a => ({
        kind: 'Application',
        name: a.name,
        ...(a.namespace ? { namespace: a.namespace } : {}),
        ...(a.operationMessage ? { message: a.operationMessage } : {}),
      }));
    } else {
      input.applicationsError = `Argo CD applications could not be read: ${message(
        argo.reason,
      )}`;
    }
    if (crossplane.status === 'fulfilled') {
      const live = liveResources(crossplane.value, input.orphaned);
      input.resources = live.objects;
      input.orphaned = live.kept;
      const failing = crossplane.value.clusters.filter(c => c.error);
      if (failing.length > 0) {
        input.resourcesError = `Crossplane cluster ${failing
          .map(c => `${c.cluster}: ${c.error?.message}`)
          .join('; ')}`;
      }
    } else {
      input.resourcesError = `Crossplane resources could not be read: ${message(
        crossplane.reason,
      )}`;
    }
    return {
      ...(argo.status === 'fulfilled' ? { applications: argo.value } : {}),
      ...(crossplane.status === 'fulfilled'
        ? { resources: crossplane.value }
        : {}),
    };
  }
}
