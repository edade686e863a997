import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';
import {
  ArgoCdApplication,
  ArgoCdApplicationSet,
  ArgoCdRevisionMetadata,
} from '@epicshelter/plugin-argocd-common';
import type { AppRef } from './ArgoCdFetcher';
import { historyOnly } from './applicationSelection';
import { RevisionMetadataResult } from './history';

/** Commit metadata never changes: keep it for 30 days. */
const REVISION_METADATA_TTL_MS = 30 * 24 * 3600 * 1000;
const DETAIL_TTL_MS = 5_000;

/**
 * Applications as a list reads them, with the ApplicationSets that may own
 * them (name, namespace, conditions): read in the same refresh and kept in
 * the same cache entry, so a page served from the cache never lists
 * ApplicationSets.
 */
export interface ApplicationsWithSets {
  items: ArgoCdApplication[];
  applicationSets: ArgoCdApplicationSet[];
}

/** One instance's projected application list, as shared by all entities. */
export interface InstanceList extends ApplicationsWithSets {
  fetchedAt: number;
}

const appKey = (ref: AppRef) =>
  `app:${ref.instance}:${ref.appNamespace ?? ''}:${ref.name}`;
const listKey = (instance: string) => `applications:${instance}`;
const queriedListKey = (instance: string, query: object) =>
  `selection:${instance}:${JSON.stringify(query)}`;
const historyKey = (instance: string, name: string, namespace?: string) =>
  `history:${instance}:${name}:${namespace ?? ''}`;

/** The key of a commit's metadata (also the prefetch queue's task key). */
export const revisionKey = (repoURL: string, revision: string) =>
  `revision:${repoURL}:${revision}`;

/**
 * What the Argo CD backend keeps, and for how long: lists (each with the
 * ApplicationSets read in the same refresh), views and the instances'
 * ApplicationSets as long as `listCacheTtlMs`, details 5 s, commit metadata
 * 30 days (by repository and SHA), all in the shared cache (so replicas
 * share them); concurrent loads of one list or one commit share one call.
 */
export class ArgoCdCache {
  /** Decoded shared lists of this replica (the shared cache holds them for all replicas). */
  private readonly lists = new Map<string, InstanceList>();
  private readonly listLoads = new Map<string, Promise<InstanceList>>();
  /** Revision metadata being read or fetched, by cache key (shared by prefetch and history). */
  private readonly metadataLoads = new Map<
    string,
    Promise<RevisionMetadataResult>
  >();

  constructor(
    private readonly cache: CacheService,
    private readonly listTtlMs: number,
  ) {}

  private async getOrLoad<T>(
    key: string,
    ttl: number,
    load: () => Promise<T>,
  ): Promise<T> {
    if (ttl > 0) {
      const cached = await this.cache.get(key);
      if (cached) return cached as unknown as T;
    }
    const value = await load();
    if (ttl > 0)
      await this.cache.set(key, value as unknown as JsonValue, { ttl });
    return value;
  }

  /**
   * The instance's whole projected list: from this replica's memory while
   * fresh, else from the shared cache, else one (coalesced) load.
   */
  async instanceList(
    instance: string,
    load: () => Promise<ApplicationsWithSets>,
  ): Promise<InstanceList> {
    const local = this.lists.get(instance);
    if (local && Date.now() - local.fetchedAt < this.listTtlMs) return local;
    let pending = this.listLoads.get(instance);
    if (!pending) {
      pending = this.loadInstanceList(instance, load).finally(() =>
        this.listLoads.delete(instance),
      );
      this.listLoads.set(instance, pending);
    }
    return pending;
  }

  private async loadInstanceList(
    instance: string,
    load: () => Promise<ApplicationsWithSets>,
  ): Promise<InstanceList> {
    const ttl = this.listTtlMs;
    const key = listKey(instance);
    const shared = (await this.cache.get(key)) as InstanceList | undefined;
    if (
      shared &&
      Date.now() - shared.fetchedAt < ttl &&
      shared.applicationSets
    ) {
      this.lists.set(instance, shared);
      return shared;
    }
    const value: InstanceList = { fetchedAt: Date.now(), ...(await load()) };
    this.lists.set(instance, value);
    await this.cache.set(key, value as unknown as JsonValue, { ttl });
    return value;
  }

  /**
   * A list filtered by Argo CD (one per entity query) with its
   * ApplicationSets; each application's history is kept beside it, so the
   * history view needs only commit metadata.
   */
  async queriedList(
    instance: string,
    query: object,
    load: () => Promise<ApplicationsWithSets>,
  ): Promise<ApplicationsWithSets> {
    const key = queriedListKey(instance, query);
    const cached = await this.cache.get(key);
    if (cached) return cached as unknown as ApplicationsWithSets;
    const value = await load();
    if (this.listTtlMs > 0) {
      await Promise.all([
        this.cache.set(key, value as unknown as JsonValue, {
          ttl: this.listTtlMs,
        }),
        ...value.items.map(a => this.rememberHistory(instance, a)),
      ]);
    }
    return value;
  }

  private async rememberHistory(instance: string, app: ArgoCdApplication) {
    const name = app.metadata?.name;
    if (!name || !app.status?.history) return;
    const value = historyOnly(app) as unknown as JsonValue;
    const ttl = this.listTtlMs;
    await Promise.all([
      this.cache.set(
        historyKey(instance, name, app.metadata?.namespace),
        value,
        {
          ttl,
        },
      ),
      this.cache.set(historyKey(instance, name), value, { ttl }),
    ]);
  }

  /** The history kept by {@link ArgoCdCache.queriedList}, if still there. */
  async rememberedHistory(ref: AppRef): Promise<ArgoCdApplication | undefined> {
    return (await this.cache.get(
      historyKey(ref.instance, ref.name, ref.appNamespace),
    )) as ArgoCdApplication | undefined;
  }

  /**
   * The instance's ApplicationSets, as long as a list (with the cache off:
   * not kept), for the refreshes of the lists filtered by Argo CD.
   */
  applicationSets(
    instance: string,
    load: () => Promise<ArgoCdApplicationSet[]>,
  ): Promise<ArgoCdApplicationSet[]> {
    return this.getOrLoad(`applicationsets:${instance}`, this.listTtlMs, load);
  }

  /** A full Application, for 5 seconds. */
  application(
    ref: AppRef,
    load: () => Promise<ArgoCdApplication>,
  ): Promise<ArgoCdApplication> {
    return this.getOrLoad(appKey(ref), DETAIL_TTL_MS, load);
  }

  /** A view of an application (`tree`, `history-view`), as long as a list; actions forget it. */
  view<T>(name: string, ref: AppRef, build: () => Promise<T>): Promise<T> {
    return this.getOrLoad(`${name}:${appKey(ref)}`, this.listTtlMs, build);
  }

  /**
   * A commit's metadata, by repository and SHA (it never changes); a failed
   * lookup is remembered as long as a list, so a view does not ask again on
   * every load. Concurrent reads of one commit share one lookup.
   */
  revision(
    repoURL: string,
    revision: string,
    load: () => Promise<RevisionMetadataResult>,
  ): Promise<RevisionMetadataResult> {
    const key = revisionKey(repoURL, revision);
    let pending = this.metadataLoads.get(key);
    if (!pending) {
      pending = (async (): Promise<RevisionMetadataResult> => {
        const cached = await this.cache.get(key);
        if (cached) return { ok: true, meta: cached as ArgoCdRevisionMetadata };
        const failed = await this.cache.get(`${key}:failed`);
        if (typeof failed === 'string') return { ok: false, error: failed };
        const result = await load();
        if (result.ok) {
          await this.cache.set(key, result.meta as unknown as JsonValue, {
            ttl: REVISION_METADATA_TTL_MS,
          });
        } else if (this.listTtlMs > 0) {
          await this.cache.set(`${key}:failed`, result.error, {
            ttl: this.listTtlMs,
          });
        }
        return result;
      })().finally(() => this.metadataLoads.delete(key));
      this.metadataLoads.set(key, pending);
    }
    return pending;
  }

  /** After an action: the detail, views and the instance's shared list are re-read on next use. */
  async forget(ref: AppRef) {
    this.lists.delete(ref.instance);
    await Promise.all([
      this.cache.delete(appKey(ref)),
      this.cache.delete(`tree:${appKey(ref)}`),
      this.cache.delete(`history-view:${appKey(ref)}`),
      this.cache.delete(listKey(ref.instance)),
    ]);
  }
}
