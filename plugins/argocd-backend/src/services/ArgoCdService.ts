import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ApplicationDetailResponse,
  ApplicationHistoryResponse,
  ApplicationSummary,
  ArgoCdApplication,
  ArgoCdApplicationList,
  ArgoCdApplicationSet,
  ArgoCdApplicationTree,
  ArgoCdLocator,
  ArgoCdRevisionMetadata,
  InstanceResult,
  ResourceTreeResponse,
  SyncRequest,
  isCommitSha,
} from '@epicshelter/plugin-argocd-common';
import { LabelMatcher, createLabelMatcher } from '@epicshelter/label-selector';
import {
  ArgoCdBackendConfig,
  ArgoCdInstanceConfig,
  readArgoCdConfig,
} from '../config';
import { ArgoCdInstanceClient } from './ArgoCdInstanceClient';
import { BoundedTaskQueue } from './BoundedTaskQueue';
import { HISTORY_FIELDS, LIST_FIELDS, toSummary } from './summaries';
import {
  RevisionLookup,
  RevisionMetadataResult,
  historyRows,
  withMetadata,
} from './history';

/** Commit metadata never changes: keep it for 30 days. */
const REVISION_METADATA_TTL_MS = 30 * 24 * 3600 * 1000;
const DETAIL_TTL_MS = 5_000;

type CachedRevision = RevisionMetadataResult;

/** One instance's projected application list, as shared by all entities. */
interface InstanceList {
  fetchedAt: number;
  items: ArgoCdApplication[];
}

/**
 * Parses an `argocd/app-selector` annotation as Argo CD's `?selector=` does, so
 * applications can be selected from a shared list exactly as Argo CD would.
 */
function appSelectorMatcher(selector: string): LabelMatcher {
  try {
    return createLabelMatcher(selector);
  } catch (e) {
    throw new InputError(
      `${
        (e as Error).message
      }; fix the argocd/app-selector annotation, e.g. app.kubernetes.io/name=my-service`,
    );
  }
}

/**
 * Selects applications from a list as Argo CD's list call does for
 * `selector`, `name`, `appNamespace` and `projects`.
 */
function selectApplications(
  items: ArgoCdApplication[],
  locator: ArgoCdLocator,
  match: LabelMatcher | undefined,
): ArgoCdApplication[] {
  return items.filter(
    a =>
      (!match || match(a.metadata?.labels)) &&
      (locator.appSelector ||
        !locator.appName ||
        a.metadata?.name === locator.appName) &&
      (!locator.appNamespace ||
        a.metadata?.namespace === locator.appNamespace) &&
      (!locator.projectName || a.spec?.project === locator.projectName),
  );
}

/** The ApplicationSet that generated an application, if any. */
function ownerApplicationSet(app: ArgoCdApplication): string | undefined {
  return app.metadata?.ownerReferences?.find(o => o.kind === 'ApplicationSet')
    ?.name;
}

/** Adds the conditions of the application's ApplicationSet (same name, same namespace). */
function withApplicationSetConditions(
  summary: ApplicationSummary,
  app: ArgoCdApplication,
  sets: ArgoCdApplicationSet[],
): ApplicationSummary {
  const name = ownerApplicationSet(app);
  const set = name
    ? sets.find(
        s =>
          s.metadata?.name === name &&
          (s.metadata?.namespace ?? '') === (app.metadata?.namespace ?? ''),
      )
    : undefined;
  return set
    ? { ...summary, applicationSetConditions: set.status?.conditions ?? [] }
    : summary;
}

/** Identifies one application on one instance. */
export interface AppRef {
  instance: string;
  name: string;
  appNamespace?: string;
}

/**
 * Multi-instance Argo CD access with caching: lists are summaries (`fields=`)
 * cached briefly in the shared cache, revision metadata is cached by commit
 * SHA, and a failing instance becomes a per-instance error, not a failure.
 */
export class ArgoCdService {
  static fromConfig(
    config: Config,
    deps: { logger: LoggerService; cache: CacheService },
  ): ArgoCdService {
    return new ArgoCdService(readArgoCdConfig(config), deps.logger, deps.cache);
  }

  private readonly clients: Map<string, ArgoCdInstanceClient>;
  /** Decoded shared lists of this replica (the shared cache holds them for all replicas). */
  private readonly lists = new Map<string, InstanceList>();
  private readonly listLoads = new Map<string, Promise<InstanceList>>();
  /** Revision metadata being read or fetched, by cache key (shared by prefetch and history). */
  private readonly metadataLoads = new Map<string, Promise<CachedRevision>>();
  private readonly prefetchQueue?: BoundedTaskQueue;

  private constructor(
    private readonly settings: ArgoCdBackendConfig,
    private readonly logger: LoggerService,
    private readonly cache: CacheService,
  ) {
    this.clients = new Map(
      settings.instances.map(i => [
        i.name,
        new ArgoCdInstanceClient(i, logger.child({ argocdInstance: i.name })),
      ]),
    );
    if (settings.prefetch.enabled) {
      this.prefetchQueue = new BoundedTaskQueue({
        concurrency: settings.prefetch.concurrency,
        maxPending: settings.prefetch.maxQueued,
        onError: (key, error) =>
          logger.debug(
            `Argo CD revision metadata prefetch ${key} failed: ${
              (error as Error)?.message ?? error
            }`,
          ),
      });
    }
  }

  /** True when lists come from one shared list per instance. */
  private get sharedLists(): boolean {
    return this.settings.sharedList && this.settings.listCacheTtlMs > 0;
  }

  /** Resolves when no revision metadata prefetch is running or waiting. */
  prefetchIdle(): Promise<void> {
    return this.prefetchQueue?.idle() ?? Promise.resolve();
  }

  /** True when answers from this instance are sandbox data. */
  isSandbox(instance?: string): boolean {
    if (this.settings.sandbox) return true;
    if (instance) return this.clients.get(instance)?.instance.sandbox ?? false;
    return this.settings.instances.some(i => i.sandbox);
  }

  private client(name: string): ArgoCdInstanceClient {
    const client = this.clients.get(name);
    if (!client) {
      const known = [...this.clients.keys()].join(', ') || 'none';
      throw new NotFoundError(
        `No Argo CD instance named "${name}" is configured (configured: ${known})`,
      );
    }
    return client;
  }

  private instanceResult(
    instance: ArgoCdInstanceConfig,
    error?: Error,
  ): InstanceResult {
    return {
      name: instance.name,
      externalUrl: instance.externalUrl,
      sandbox: this.isSandbox(instance.name),
      status: error ? 'error' : 'ok',
      ...(error ? { error: { name: error.name, message: error.message } } : {}),
    };
  }

  /**
   * The applications an entity's annotations select, across instances.
   * With `prefetch`, the revision metadata of their newest history entries is
   * warmed in the background (the entity page's history view needs it next).
   */
  async listApplications(
    locator: ArgoCdLocator,
    options: { prefetch?: boolean } = {},
  ): Promise<{
    items: ApplicationSummary[];
    instances: InstanceResult[];
    sandbox: boolean;
  }> {
    const targets = locator.instanceName
      ? [this.client(locator.instanceName).instance]
      : this.settings.instances;
    const match = locator.appSelector
      ? appSelectorMatcher(locator.appSelector)
      : undefined;
    const results = await Promise.allSettled(
      targets.map(t => this.selectOn(t, locator, match)),
    );
    const sets = await Promise.all(
      results.map((r, i) =>
        // Only with list caching: uncached, every page view would list them again.
        r.status === 'fulfilled' &&
        this.settings.listCacheTtlMs > 0 &&
        r.value.some(ownerApplicationSet)
          ? this.applicationSetsOf(targets[i])
          : [],
      ),
    );
    const items: ApplicationSummary[] = [];
    const instances = results.map((r, i) => {
      if (r.status === 'fulfilled') {
        items.push(
          ...r.value.map(a =>
            withApplicationSetConditions(toSummary(targets[i], a), a, sets[i]),
          ),
        );
        if (options.prefetch) {
          this.prefetch(targets[i], r.value);
        }
        return this.instanceResult(targets[i]);
      }
      return this.instanceResult(targets[i], r.reason as Error);
    });
    return {
      items,
      instances,
      sandbox: targets.some(t => this.isSandbox(t.name)),
    };
  }

  /**
   * The instance's ApplicationSets (for their conditions), cached like lists.
   * Argo CD RBAC often denies them to read-only accounts: then none are shown,
   * and the refusal is remembered as long.
   */
  private async applicationSetsOf(
    instance: ArgoCdInstanceConfig,
  ): Promise<ArgoCdApplicationSet[]> {
    const key = `applicationsets:${instance.name}`;
    const ttl = this.settings.listCacheTtlMs;
    const cached = await this.cache.get(key);
    if (cached) return cached as unknown as ArgoCdApplicationSet[];
    let items: ArgoCdApplicationSet[] = [];
    try {
      const list = await this.client(instance.name).request<{
        items?: ArgoCdApplicationSet[];
      }>({ path: '/api/v1/applicationsets' });
      items = (list.items ?? []).map(set => ({
        metadata: {
          name: set.metadata?.name,
          namespace: set.metadata?.namespace,
        },
        status: { conditions: set.status?.conditions ?? [] },
      }));
    } catch (e) {
      this.logger.debug(
        `Argo CD instance ${instance.name}: ApplicationSets not readable: ${
          (e as Error).message
        }`,
      );
    }
    if (ttl > 0)
      await this.cache.set(key, items as unknown as JsonValue, { ttl });
    return items;
  }

  /**
   * The applications the locator selects on one instance. Applications
   * without a name cannot be addressed (nor acted on), so they are left out.
   */
  private async selectOn(
    target: ArgoCdInstanceConfig,
    locator: ArgoCdLocator,
    match: LabelMatcher | undefined,
  ): Promise<ArgoCdApplication[]> {
    const apps = this.sharedLists
      ? selectApplications(
          (await this.instanceList(target)).items,
          locator,
          match,
        )
      : await this.queriedList(target, locator);
    return apps.filter(a => Boolean(a.metadata?.name));
  }

  /**
   * The entity's own applications on one instance: exactly what its list
   * shows there (same locator, same selection). An instance that cannot be
   * queried throws its error (e.g. 503 naming the instance).
   */
  async ownApplicationsOn(
    locator: ArgoCdLocator,
    instance: string,
  ): Promise<ApplicationSummary[]> {
    const target = this.client(instance).instance;
    const match = locator.appSelector
      ? appSelectorMatcher(locator.appSelector)
      : undefined;
    const apps = await this.selectOn(target, locator, match);
    return apps.map(a => toSummary(target, a));
  }

  /**
   * The instance's whole projected list: from this replica's memory while
   * fresh, else from the shared cache, else one (coalesced) upstream call.
   */
  private async instanceList(
    instance: ArgoCdInstanceConfig,
  ): Promise<InstanceList> {
    const ttl = this.settings.listCacheTtlMs;
    const local = this.lists.get(instance.name);
    if (local && Date.now() - local.fetchedAt < ttl) return local;
    let load = this.listLoads.get(instance.name);
    if (!load) {
      load = this.loadInstanceList(instance).finally(() =>
        this.listLoads.delete(instance.name),
      );
      this.listLoads.set(instance.name, load);
    }
    return load;
  }

  private listKey(instance: string) {
    return `applications:${instance}`;
  }

  private async loadInstanceList(
    instance: ArgoCdInstanceConfig,
  ): Promise<InstanceList> {
    const ttl = this.settings.listCacheTtlMs;
    const key = this.listKey(instance.name);
    const shared = (await this.cache.get(key)) as InstanceList | undefined;
    if (shared && Date.now() - shared.fetchedAt < ttl) {
      this.lists.set(instance.name, shared);
      return shared;
    }
    const list = await this.client(
      instance.name,
    ).request<ArgoCdApplicationList>({
      path: '/api/v1/applications',
      query: { fields: LIST_FIELDS },
    });
    const value: InstanceList = {
      fetchedAt: Date.now(),
      items: list.items ?? [],
    };
    this.lists.set(instance.name, value);
    await this.cache.set(key, value as unknown as JsonValue, { ttl });
    return value;
  }

  /** Lists with Argo CD filtering (one upstream call per entity query), cached briefly. */
  private async queriedList(
    instance: ArgoCdInstanceConfig,
    locator: ArgoCdLocator,
  ): Promise<ArgoCdApplication[]> {
    const query = {
      fields: LIST_FIELDS,
      name: locator.appSelector ? undefined : locator.appName,
      selector: locator.appSelector,
      appNamespace: locator.appNamespace,
      projects: locator.projectName,
    };
    const key = `list:${instance.name}:${JSON.stringify(query)}`;
    const cached = await this.cache.get(key);
    if (cached) return cached as unknown as ArgoCdApplication[];
    const list = await this.client(
      instance.name,
    ).request<ArgoCdApplicationList>({
      path: '/api/v1/applications',
      query,
    });
    const items = list.items ?? [];
    if (this.settings.listCacheTtlMs > 0) {
      await Promise.all([
        this.cache.set(key, items as unknown as JsonValue, {
          ttl: this.settings.listCacheTtlMs,
        }),
        ...items.map(a => this.rememberHistory(instance.name, a)),
      ]);
    }
    return items;
  }

  /**
   * Queues the revision metadata of the newest history entries of these
   * applications, newest entries of all applications first.
   */
  private prefetch(instance: ArgoCdInstanceConfig, apps: ArgoCdApplication[]) {
    const queue = this.prefetchQueue;
    if (!queue) return;
    const client = this.client(instance.name);
    const rows = apps.map(app => ({
      app,
      lookups: historyRows(app, this.settings.historyLimit).map(r => r.lookups),
    }));
    const depth = Math.max(0, ...rows.map(r => r.lookups.length));
    for (let i = 0; i < depth; i++) {
      for (const { app, lookups } of rows) {
        for (const lookup of lookups[i] ?? []) {
          if (!isCommitSha(lookup.revision)) continue;
          const ref: AppRef = {
            instance: instance.name,
            name: app.metadata?.name ?? '',
            // As the history view will ask (routes resolve the namespace the same way).
            appNamespace: app.metadata?.namespace,
          };
          queue.add(this.revisionKey(lookup.repoURL, lookup.revision), () =>
            this.revisionMetadata(client, ref, lookup),
          );
        }
      }
    }
  }

  private historyKey(instance: string, name: string, namespace?: string) {
    return `history:${instance}:${name}:${namespace ?? ''}`;
  }

  /**
   * Keeps an application's history from a list answer (briefly, like the
   * list), so the history view only needs the commit metadata calls.
   */
  private async rememberHistory(instance: string, app: ArgoCdApplication) {
    const name = app.metadata?.name;
    // (called only when the list cache is on)
    if (!name || !app.status?.history) return;
    const slim: ArgoCdApplication = {
      metadata: { name },
      spec: { source: app.spec?.source, sources: app.spec?.sources },
      status: { history: app.status.history },
    };
    const value = slim as unknown as JsonValue;
    const ttl = this.settings.listCacheTtlMs;
    await Promise.all([
      this.cache.set(
        this.historyKey(instance, name, app.metadata?.namespace),
        value,
        { ttl },
      ),
      this.cache.set(this.historyKey(instance, name), value, { ttl }),
    ]);
  }

  private appKey(ref: AppRef) {
    return `app:${ref.instance}:${ref.appNamespace ?? ''}:${ref.name}`;
  }

  /** Full Application object, plus its ApplicationSet's generated applications. */
  async getApplication(ref: AppRef): Promise<ApplicationDetailResponse> {
    const client = this.client(ref.instance);
    const key = this.appKey(ref);
    let app = (await this.cache.get(key)) as ArgoCdApplication | undefined;
    if (!app) {
      app = await client.request<ArgoCdApplication>({
        path: `/api/v1/applications/${encodeURIComponent(ref.name)}`,
        query: { appNamespace: ref.appNamespace },
      });
      await this.cache.set(key, app as unknown as JsonValue, {
        ttl: DETAIL_TTL_MS,
      });
    }
    const summary = toSummary(client.instance, app);
    let applicationSet: ApplicationDetailResponse['applicationSet'];
    if (summary.applicationSet) {
      try {
        const set = await client.request<ArgoCdApplicationSet>({
          path: `/api/v1/applicationsets/${encodeURIComponent(
            summary.applicationSet,
          )}`,
          query: { appsetNamespace: app.metadata?.namespace },
        });
        applicationSet = {
          name: summary.applicationSet,
          applications: (set.status?.resources ?? [])
            .filter(r => r.kind === 'Application' && r.name)
            .map(r => r.name as string),
          conditions: set.status?.conditions ?? [],
        };
      } catch {
        // Argo CD RBAC often denies applicationsets to read-only accounts; the name is still shown.
        applicationSet = {
          name: summary.applicationSet,
          applications: [],
          conditions: [],
        };
      }
    }
    return {
      instance: ref.instance,
      sandbox: this.isSandbox(ref.instance),
      summary,
      application: app,
      applicationSet,
    };
  }

  /** Resource tree with per-node health, merged with per-resource sync status. */
  async getResourceTree(ref: AppRef): Promise<ResourceTreeResponse> {
    return this.cachedView(`tree:${this.appKey(ref)}`, () =>
      this.loadResourceTree(ref),
    );
  }

  /**
   * A view (history, resource tree) from the shared cache while as fresh as
   * a list, else built and kept; actions forget it.
   */
  private async cachedView<T>(
    key: string,
    build: () => Promise<T>,
  ): Promise<T> {
    const ttl = this.settings.listCacheTtlMs;
    if (ttl > 0) {
      const cached = await this.cache.get(key);
      if (cached) return cached as unknown as T;
    }
    const value = await build();
    if (ttl > 0)
      await this.cache.set(key, value as unknown as JsonValue, { ttl });
    return value;
  }

  private async loadResourceTree(ref: AppRef): Promise<ResourceTreeResponse> {
    const client = this.client(ref.instance);
    const [tree, detail] = await Promise.all([
      client.request<ArgoCdApplicationTree>({
        path: `/api/v1/applications/${encodeURIComponent(
          ref.name,
        )}/resource-tree`,
        query: { appNamespace: ref.appNamespace },
      }),
      this.getApplication(ref),
    ]);
    const syncStatus: Record<string, string> = {};
    for (const r of detail.application.status?.resources ?? []) {
      syncStatus[`${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`] =
        r.status ?? 'Unknown';
    }
    return {
      instance: ref.instance,
      sandbox: this.isSandbox(ref.instance),
      tree,
      syncStatus,
    };
  }

  /** Deployment history, newest first, with commit author/message/date. */
  async getHistory(ref: AppRef): Promise<ApplicationHistoryResponse> {
    return this.cachedView(`history-view:${this.appKey(ref)}`, () =>
      this.loadHistory(ref),
    );
  }

  private async loadHistory(ref: AppRef): Promise<ApplicationHistoryResponse> {
    const client = this.client(ref.instance);
    let app: ArgoCdApplication | undefined;
    if (this.sharedLists) {
      const list = await this.instanceList(client.instance);
      [app] = selectApplications(
        list.items,
        { appName: ref.name, appNamespace: ref.appNamespace },
        undefined,
      );
    } else {
      app = (await this.cache.get(
        this.historyKey(ref.instance, ref.name, ref.appNamespace),
      )) as ArgoCdApplication | undefined;
    }
    if (!app) {
      const list = await client.request<ArgoCdApplicationList>({
        path: '/api/v1/applications',
        query: {
          name: ref.name,
          appNamespace: ref.appNamespace,
          fields: HISTORY_FIELDS,
        },
      });
      app = list.items?.[0];
    }
    if (!app) {
      throw new NotFoundError(
        `Argo CD instance "${ref.instance}" has no application "${ref.name}"`,
      );
    }
    const items = await Promise.all(
      historyRows(app, this.settings.historyLimit).map(async row =>
        withMetadata(
          row,
          await Promise.all(
            row.lookups.map(l => this.revisionMetadata(client, ref, l)),
          ),
        ),
      ),
    );
    return {
      instance: ref.instance,
      sandbox: this.isSandbox(ref.instance),
      items,
    };
  }

  private revisionKey(repoURL: string, revision: string) {
    return `revision:${repoURL}:${revision}`;
  }

  /**
   * Revision metadata, cached by repository and commit SHA (it never changes);
   * a failed lookup is remembered as long as a list, so a view does not ask
   * again on every load. Concurrent reads of one commit (history views,
   * prefetch) share one lookup.
   */
  private revisionMetadata(
    client: ArgoCdInstanceClient,
    ref: AppRef,
    lookup: RevisionLookup,
  ): Promise<CachedRevision> {
    const { repoURL, revision } = lookup;
    if (!isCommitSha(revision)) {
      // Branches and tags move: never cached.
      return this.fetchRevisionMetadata(client, ref, lookup);
    }
    const key = this.revisionKey(repoURL, revision);
    let load = this.metadataLoads.get(key);
    if (!load) {
      load = (async (): Promise<CachedRevision> => {
        const cached = await this.cache.get(key);
        if (cached) return { ok: true, meta: cached as ArgoCdRevisionMetadata };
        const failed = await this.cache.get(`${key}:failed`);
        if (typeof failed === 'string') return { ok: false, error: failed };
        const result = await this.fetchRevisionMetadata(client, ref, lookup);
        if (result.ok) {
          await this.cache.set(key, result.meta as unknown as JsonValue, {
            ttl: REVISION_METADATA_TTL_MS,
          });
        } else if (this.settings.listCacheTtlMs > 0) {
          await this.cache.set(`${key}:failed`, result.error, {
            ttl: this.settings.listCacheTtlMs,
          });
        }
        return result;
      })().finally(() => this.metadataLoads.delete(key));
      this.metadataLoads.set(key, load);
    }
    return load;
  }

  private async fetchRevisionMetadata(
    client: ArgoCdInstanceClient,
    ref: AppRef,
    { revision, sourceIndex }: RevisionLookup,
  ): Promise<CachedRevision> {
    try {
      const meta = await client.request<ArgoCdRevisionMetadata>({
        path: `/api/v1/applications/${encodeURIComponent(
          ref.name,
        )}/revisions/${encodeURIComponent(revision)}/metadata`,
        query: {
          appNamespace: ref.appNamespace,
          sourceIndex:
            sourceIndex === undefined ? undefined : String(sourceIndex),
        },
      });
      return { ok: true, meta };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  }

  /** Starts a sync; returns the application's new summary. */
  async sync(ref: AppRef, options: SyncRequest): Promise<ApplicationSummary> {
    const client = this.client(ref.instance);
    const app = await client.request<ArgoCdApplication>({
      method: 'POST',
      path: `/api/v1/applications/${encodeURIComponent(ref.name)}/sync`,
      body: {
        name: ref.name,
        appNamespace: ref.appNamespace,
        revision: options.revision,
        prune: options.prune ?? false,
        dryRun: options.dryRun ?? false,
      },
    });
    await this.forget(ref);
    return toSummary(client.instance, app);
  }

  /** Asks Argo CD to re-read Git (normal) or also regenerate manifests (hard). */
  async refresh(
    ref: AppRef,
    type: 'normal' | 'hard',
  ): Promise<ApplicationSummary> {
    const client = this.client(ref.instance);
    const app = await client.request<ArgoCdApplication>({
      path: `/api/v1/applications/${encodeURIComponent(ref.name)}`,
      query: { refresh: type, appNamespace: ref.appNamespace },
    });
    await this.forget(ref);
    return toSummary(client.instance, app);
  }

  /** Terminates the running operation. */
  async terminate(ref: AppRef): Promise<void> {
    await this.client(ref.instance).request({
      method: 'DELETE',
      path: `/api/v1/applications/${encodeURIComponent(ref.name)}/operation`,
      query: { appNamespace: ref.appNamespace },
    });
    await this.forget(ref);
  }

  /** After an action: the detail and the instance's shared list are re-read on next use. */
  private async forget(ref: AppRef) {
    this.lists.delete(ref.instance);
    await Promise.all([
      this.cache.delete(this.appKey(ref)),
      this.cache.delete(`tree:${this.appKey(ref)}`),
      this.cache.delete(`history-view:${this.appKey(ref)}`),
      this.cache.delete(this.listKey(ref.instance)),
    ]);
  }
}
