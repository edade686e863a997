import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import {
  ApplicationDetailResponse,
  ApplicationHistoryResponse,
  ApplicationSummary,
  ArgoCdApplication,
  ArgoCdApplicationSet,
  ArgoCdLocator,
  InstanceResult,
  ResourceTreeResponse,
  SyncRequest,
  isCommitSha,
} from '@epicshelter/plugin-argocd-common';
import { LabelMatcher } from '@epicshelter/label-selector';
import {
  ArgoCdBackendConfig,
  ArgoCdInstanceConfig,
  readArgoCdConfig,
} from '../config';
import { ApplicationsWithSets, ArgoCdCache, revisionKey } from './ArgoCdCache';
import { AppRef, ArgoCdFetcher } from './ArgoCdFetcher';
import { BoundedTaskQueue } from './BoundedTaskQueue';
import {
  applicationSetDetail,
  listQuery,
  locatorMatcher,
  owningApplicationSets,
  selectApplications,
  slimApplicationSets,
  syncStatusByResource,
  withApplicationSetConditions,
} from './applicationSelection';
import { HISTORY_FIELDS, LIST_FIELDS, toSummary } from './summaries';
import {
  RevisionLookup,
  RevisionMetadataResult,
  historyRows,
  withMetadata,
} from './history';

import { ArgoCdApplications } from './ArgoCdApplications';
import { ArgoCdWatches } from './watch/ArgoCdWatches';
import type { ApplicationChange } from './watch/applicationView';

export type { AppRef } from './ArgoCdFetcher';

/**
 * Multi-instance Argo CD access: which applications an entity's locator
 * selects, their details, trees, histories and actions. Calls go through
 * {@link ArgoCdFetcher}, what is kept through {@link ArgoCdCache}, and the
 * shaping is pure (`applicationSelection`, `summaries`, `history`); a
 * failing instance becomes a per-instance error, not a failure.
 */
export class ArgoCdService implements ArgoCdApplications {
  static fromConfig(
    config: Config,
    deps: {
      logger: LoggerService;
      cache: CacheService;
      /** Told of every change the watches see (events and signals); watches run only from {@link ArgoCdService.startWatching}. */
      onChanges?: (instance: string, changes: ApplicationChange[]) => void;
    },
  ): ArgoCdService {
    return new ArgoCdService(
      readArgoCdConfig(config),
      deps.logger,
      deps.cache,
      deps.onChanges,
    );
  }

  private readonly fetcher: ArgoCdFetcher;
  private readonly caches: ArgoCdCache;
  private readonly prefetchQueue?: BoundedTaskQueue;
  private readonly watches?: ArgoCdWatches;

  private constructor(
    private readonly settings: ArgoCdBackendConfig,
    private readonly logger: LoggerService,
    cache: CacheService,
    onChanges?: (instance: string, changes: ApplicationChange[]) => void,
  ) {
    this.fetcher = new ArgoCdFetcher(settings.instances, logger);
    this.caches = new ArgoCdCache(cache, settings.listCacheTtlMs);
    if (settings.watch.enabled && settings.instances.length > 0) {
      this.watches = new ArgoCdWatches({
        instances: settings.instances.map(i => i.name),
        fetcher: this.fetcher,
        settings: settings.watch,
        logger,
        readApplicationSets: name =>
          this.fetcher.listApplicationSets(name).catch(() => []),
        onChanges: (instance, changes) => {
          // Views built from the old state are rebuilt on next use.
          for (const { application } of changes) {
            this.caches
              .forget({
                instance,
                name: application.metadata?.name ?? '',
                appNamespace: application.metadata?.namespace,
              })
              .catch(() => undefined);
          }
          onChanges?.(instance, changes);
        },
      });
    }
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

  /**
   * Starts one watch per instance (`argocd.watch.enabled`); pages are
   * served from them while they are healthy. Returns the watched instances.
   */
  startWatching(): string[] {
    this.watches?.start();
    return this.watches ? this.settings.instances.map(i => i.name) : [];
  }

  /** Stops the watches. */
  async stopWatching(): Promise<void> {
    await this.watches?.stop();
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
    if (instance) {
      return this.fetcher.has(instance)
        ? this.fetcher.instance(instance).sandbox ?? false
        : false;
    }
    return this.settings.instances.some(i => i.sandbox);
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
   * The applications an entity's locator selects, across instances.
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
      ? [this.fetcher.instance(locator.instanceName)]
      : this.settings.instances;
    const match = locatorMatcher(locator);
    const results = await Promise.allSettled(
      targets.map(t => this.selectOn(t, locator, match)),
    );
    const items: ApplicationSummary[] = [];
    const instances = results.map((r, i) => {
      if (r.status === 'fulfilled') {
        const { items: apps, applicationSets } = r.value;
        items.push(
          ...apps.map(a =>
            withApplicationSetConditions(
              toSummary(targets[i], a),
              a,
              applicationSets,
            ),
          ),
        );
        if (options.prefetch) {
          this.prefetch(targets[i], apps);
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
   * The instance's ApplicationSets (for their conditions), slimmed. Argo CD
   * RBAC often denies them to read-only accounts: then none are shown, and
   * the refusal is kept as long as the list read with it.
   */
  private async readApplicationSets(
    instance: ArgoCdInstanceConfig,
  ): Promise<ArgoCdApplicationSet[]> {
    try {
      return slimApplicationSets(
        await this.fetcher.listApplicationSets(instance.name),
      );
    } catch (e) {
      this.logger.debug(
        `Argo CD instance ${instance.name}: ApplicationSets not readable: ${
          (e as Error).message
        }`,
      );
      return [];
    }
  }

  /**
   * The applications the locator selects on one instance, with the
   * ApplicationSets that own them: from the shared list, or from a list
   * Argo CD filters. The ApplicationSets are read by the refresh of the
   * list and kept with it (never on their own for a page served from the
   * cache); without list caching they are not read at all (every page view
   * would list them). Applications without a name cannot be addressed (nor
   * acted on), so they are left out.
   */
  private async selectOn(
    target: ArgoCdInstanceConfig,
    locator: ArgoCdLocator,
    match: LabelMatcher | undefined,
  ): Promise<ApplicationsWithSets> {
    const query = listQuery(locator, LIST_FIELDS);
    let selection: ApplicationsWithSets;
    const watched = this.watches?.watched(target.name);
    if (watched) {
      selection = {
        items: selectApplications(watched.items, locator, match),
        applicationSets: watched.applicationSets,
      };
    } else if (this.sharedLists) {
      const list = await this.instanceList(target);
      selection = {
        items: selectApplications(list.items, locator, match),
        applicationSets: list.applicationSets,
      };
    } else {
      selection = await this.caches.queriedList(
        target.name,
        query,
        async () => {
          const [items, sets] = await Promise.all([
            this.fetcher.listApplications(target.name, query),
            this.settings.listCacheTtlMs > 0
              ? this.caches.applicationSets(target.name, () =>
                  this.readApplicationSets(target),
                )
              : [],
          ]);
          return { items, applicationSets: owningApplicationSets(items, sets) };
        },
      );
    }
    return {
      items: selection.items.filter(a => Boolean(a.metadata?.name)),
      applicationSets: selection.applicationSets,
    };
  }

  /** The instance's shared list; its refresh reads the ApplicationSets too, at the same time. */
  private instanceList(target: ArgoCdInstanceConfig) {
    return this.caches.instanceList(target.name, async () => {
      const [items, applicationSets] = await Promise.all([
        this.fetcher.listApplications(target.name, { fields: LIST_FIELDS }),
        this.readApplicationSets(target),
      ]);
      return { items, applicationSets };
    });
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
    const target = this.fetcher.instance(instance);
    const { items } = await this.selectOn(
      target,
      locator,
      locatorMatcher(locator),
    );
    return items.map(a => toSummary(target, a));
  }

  /**
   * Queues the revision metadata of the newest history entries of these
   * applications, newest entries of all applications first.
   */
  private prefetch(instance: ArgoCdInstanceConfig, apps: ArgoCdApplication[]) {
    const queue = this.prefetchQueue;
    if (!queue) return;
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
          queue.add(revisionKey(lookup.repoURL, lookup.revision), () =>
            this.revisionMetadata(ref, lookup),
          );
        }
      }
    }
  }

  /** Full Application object, plus its ApplicationSet's generated applications. */
  async getApplication(ref: AppRef): Promise<ApplicationDetailResponse> {
    const instance = this.fetcher.instance(ref.instance);
    const watched = this.watches?.watched(ref.instance);
    const app =
      watched?.find(ref.name, ref.appNamespace) ??
      (await this.caches.application(ref, () =>
        this.fetcher.getApplication(ref),
      ));
    const summary = toSummary(instance, app);
    let applicationSet: ApplicationDetailResponse['applicationSet'];
    if (summary.applicationSet) {
      let set: ArgoCdApplicationSet | undefined = watched?.applicationSets.find(
        s =>
          s.metadata?.name === summary.applicationSet &&
          s.metadata?.namespace === app.metadata?.namespace,
      );
      try {
        set ??= await this.fetcher.getApplicationSet(
          ref.instance,
          summary.applicationSet,
          app.metadata?.namespace,
        );
      } catch {
        // Argo CD RBAC often denies applicationsets to read-only accounts; the name is still shown.
      }
      applicationSet = applicationSetDetail(summary.applicationSet, set);
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
  getResourceTree(ref: AppRef): Promise<ResourceTreeResponse> {
    return this.caches.view('tree', ref, async () => {
      const [tree, detail] = await Promise.all([
        this.fetcher.getResourceTree(ref),
        this.getApplication(ref),
      ]);
      return {
        instance: ref.instance,
        sandbox: this.isSandbox(ref.instance),
        tree,
        syncStatus: syncStatusByResource(detail.application),
      };
    });
  }

  /** Deployment history, newest first, with commit author/message/date. */
  getHistory(ref: AppRef): Promise<ApplicationHistoryResponse> {
    return this.caches.view('history-view', ref, () => this.loadHistory(ref));
  }

  private async loadHistory(ref: AppRef): Promise<ApplicationHistoryResponse> {
    const instance = this.fetcher.instance(ref.instance);
    // The watched view holds whole applications, history included.
    let app: ArgoCdApplication | undefined = this.watches
      ?.watched(ref.instance)
      ?.find(ref.name, ref.appNamespace);
    if (!app && this.sharedLists) {
      const list = await this.instanceList(instance);
      [app] = selectApplications(
        list.items,
        { appName: ref.name, appNamespace: ref.appNamespace },
        undefined,
      );
    } else if (!app) {
      app = await this.caches.rememberedHistory(ref);
    }
    if (!app) {
      [app] = await this.fetcher.listApplications(ref.instance, {
        name: ref.name,
        appNamespace: ref.appNamespace,
        fields: HISTORY_FIELDS,
      });
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
            row.lookups.map(l => this.revisionMetadata(ref, l)),
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

  /** Commit metadata: cached by SHA; branches and tags move, so they are always asked. */
  private revisionMetadata(
    ref: AppRef,
    lookup: RevisionLookup,
  ): Promise<RevisionMetadataResult> {
    const fetch = () => this.fetcher.getRevisionMetadata(ref, lookup);
    return isCommitSha(lookup.revision)
      ? this.caches.revision(lookup.repoURL, lookup.revision, fetch)
      : fetch();
  }

  /** Starts a sync; returns the application's new summary. */
  async sync(ref: AppRef, options: SyncRequest): Promise<ApplicationSummary> {
    const instance = this.fetcher.instance(ref.instance);
    const app = await this.fetcher.sync(ref, options);
    await this.caches.forget(ref);
    return toSummary(instance, app);
  }

  /** Asks Argo CD to re-read Git (normal) or also regenerate manifests (hard). */
  async refresh(
    ref: AppRef,
    type: 'normal' | 'hard',
  ): Promise<ApplicationSummary> {
    const instance = this.fetcher.instance(ref.instance);
    const app = await this.fetcher.refresh(ref, type);
    await this.caches.forget(ref);
    return toSummary(instance, app);
  }

  /** Terminates the running operation. */
  async terminate(ref: AppRef): Promise<void> {
    await this.fetcher.terminate(ref);
    await this.caches.forget(ref);
  }
}
