import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { NotFoundError } from '@backstage/errors';
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
  HistoryEntry,
  InstanceResult,
  ResourceTreeResponse,
  SyncRequest,
  commitUrl,
  isHelmChartSource,
} from '@epicshelter/plugin-argocd-common';
import {
  ArgoCdBackendConfig,
  ArgoCdInstanceConfig,
  readArgoCdConfig,
} from '../config';
import { ArgoCdInstanceClient } from './ArgoCdInstanceClient';
import { HISTORY_FIELDS, LIST_FIELDS, toSummary } from './summaries';

/** Commit metadata never changes: keep it for 30 days. */
const REVISION_METADATA_TTL_MS = 30 * 24 * 3600 * 1000;
const DETAIL_TTL_MS = 5_000;

type CachedRevision =
  | { ok: true; meta: ArgoCdRevisionMetadata }
  | { ok: false; error: string };

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

  private constructor(
    private readonly settings: ArgoCdBackendConfig,
    logger: LoggerService,
    private readonly cache: CacheService,
  ) {
    this.clients = new Map(
      settings.instances.map(i => [
        i.name,
        new ArgoCdInstanceClient(i, logger.child({ argocdInstance: i.name })),
      ]),
    );
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

  /** The applications an entity's annotations select, across instances. */
  async listApplications(locator: ArgoCdLocator): Promise<{
    items: ApplicationSummary[];
    instances: InstanceResult[];
    sandbox: boolean;
  }> {
    const targets = locator.instanceName
      ? [this.client(locator.instanceName).instance]
      : this.settings.instances;
    const query = {
      fields: LIST_FIELDS,
      name: locator.appSelector ? undefined : locator.appName,
      selector: locator.appSelector,
      appNamespace: locator.appNamespace,
      projects: locator.projectName,
    };
    const results = await Promise.allSettled(
      targets.map(t => this.cachedList(t, query)),
    );
    const items: ApplicationSummary[] = [];
    const instances = results.map((r, i) => {
      if (r.status === 'fulfilled') {
        items.push(...r.value);
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

  private async cachedList(
    instance: ArgoCdInstanceConfig,
    query: Record<string, string | undefined>,
  ): Promise<ApplicationSummary[]> {
    const key = `list:${instance.name}:${JSON.stringify(query)}`;
    const cached = await this.cache.get(key);
    if (cached) return cached as unknown as ApplicationSummary[];
    const list = await this.client(
      instance.name,
    ).request<ArgoCdApplicationList>({
      path: '/api/v1/applications',
      query,
    });
    const summaries = (list.items ?? []).map(a => toSummary(instance, a));
    await Promise.all(
      (list.items ?? []).map(a => this.rememberHistory(instance.name, a)),
    );
    if (this.settings.listCacheTtlMs > 0) {
      await this.cache.set(key, summaries as unknown as JsonValue, {
        ttl: this.settings.listCacheTtlMs,
      });
    }
    return summaries;
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
    if (!name || !app.status?.history || this.settings.listCacheTtlMs <= 0)
      return;
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

  /** Full Application object, plus its ApplicationSet's generated applications. */
  async getApplication(ref: AppRef): Promise<ApplicationDetailResponse> {
    const client = this.client(ref.instance);
    const key = `app:${ref.instance}:${ref.appNamespace ?? ''}:${ref.name}`;
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
    const client = this.client(ref.instance);
    let app = (await this.cache.get(
      this.historyKey(ref.instance, ref.name, ref.appNamespace),
    )) as ArgoCdApplication | undefined;
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
    const items = await this.historyEntries(ref, app);
    return {
      instance: ref.instance,
      sandbox: this.isSandbox(ref.instance),
      items,
    };
  }

  private async historyEntries(
    ref: AppRef,
    app: ArgoCdApplication,
  ): Promise<HistoryEntry[]> {
    const client = this.client(ref.instance);
    const history = [...(app.status?.history ?? [])]
      .reverse()
      .slice(0, this.settings.historyLimit);
    return Promise.all(
      history.map(async (h): Promise<HistoryEntry> => {
        const sources =
          h.sources ??
          (h.source
            ? [h.source]
            : app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []));
        const revisions = h.revisions ?? (h.revision ? [h.revision] : []);
        // The Git source carries the commit; Helm chart revisions are versions.
        const index = sources.findIndex(s => !isHelmChartSource(s));
        const gitRevision = index >= 0 ? revisions[index] : undefined;
        const entry: HistoryEntry = {
          id: h.id,
          revision: h.revision,
          revisions: h.revisions,
          deployedAt: h.deployedAt,
          deployStartedAt: h.deployStartedAt,
          initiatedBy:
            h.initiatedBy?.username ??
            (h.initiatedBy?.automated ? 'automated' : undefined),
          source: sources[index],
          commitUrl: commitUrl(sources[index]?.repoURL, gitRevision),
        };
        if (!gitRevision) return entry;
        const meta = await this.revisionMetadata(
          client,
          ref,
          sources[index]?.repoURL ?? '',
          gitRevision,
          h.revisions ? index : undefined,
        );
        if (meta.ok) {
          Object.assign(entry, {
            author: meta.meta.author,
            message: meta.meta.message,
            date: meta.meta.date,
            tags: meta.meta.tags,
          });
        } else {
          entry.metadataError = meta.error;
        }
        return entry;
      }),
    );
  }

  /** Revision metadata, cached by repository and commit SHA (it never changes). */
  private async revisionMetadata(
    client: ArgoCdInstanceClient,
    ref: AppRef,
    repoURL: string,
    revision: string,
    sourceIndex: number | undefined,
  ): Promise<CachedRevision> {
    const immutable = /^[0-9a-f]{40,64}$/i.test(revision);
    const key = `revision:${repoURL}:${revision}`;
    if (immutable) {
      const cached = await this.cache.get(key);
      if (cached) return { ok: true, meta: cached as ArgoCdRevisionMetadata };
    }
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
      if (immutable) {
        await this.cache.set(key, meta as unknown as JsonValue, {
          ttl: REVISION_METADATA_TTL_MS,
        });
      }
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

  private async forget(ref: AppRef) {
    await this.cache.delete(
      `app:${ref.instance}:${ref.appNamespace ?? ''}:${ref.name}`,
    );
  }
}
