import type { CompositeKind, ServedKind } from './kubeObjects';
import { compositeKindsOf } from './compositeKinds';
import { KubernetesApiClient, responseError } from './KubernetesApiClient';
import { apiPath } from './kubePaths';

/** Where discovery results are kept between builds (shared by all entities). */
export interface DiscoveryCache {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/** Cache key of a cluster's XR and claim kinds (shared by all entities). */
export function xrdCacheKey(clusterName: string) {
  return `xrds:${clusterName}`;
}

/**
 * What a cluster serves, read once and cached: its XR and claim kinds (from
 * the XRDs), the served API groups, and the resource types of a group
 * version.
 */
export class ClusterDiscovery {
  constructor(
    private readonly clusterName: string,
    private readonly client: KubernetesApiClient,
    private readonly cache: DiscoveryCache,
  ) {}

  /**
   * XR and claim kinds from the cluster's XRDs, from the cache shared by all
   * entities (kept warm by the plugin's background refresh), else listed.
   */
  async compositeKinds(): Promise<CompositeKind[]> {
    const cached = await this.cache.get<CompositeKind[]>(
      xrdCacheKey(this.clusterName),
    );
    return cached ?? this.refreshCompositeKinds();
  }

  /** Lists the XRDs (v2 API, v1 on older Crossplane) and caches the kinds. */
  async refreshCompositeKinds(): Promise<CompositeKind[]> {
    let res = await this.client.get(
      '/apis/apiextensions.crossplane.io/v2/compositeresourcedefinitions',
    );
    if (res.status === 404) {
      res = await this.client.get(
        '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
      );
    }
    if (res.status === 404) {
      throw responseError(
        this.clusterName,
        'listing CompositeResourceDefinitions (is Crossplane installed?)',
        res,
      );
    }
    if (res.status !== 200) {
      throw responseError(
        this.clusterName,
        'listing CompositeResourceDefinitions',
        res,
      );
    }
    const kinds = compositeKindsOf(res.body.items ?? []);
    await this.cache.set(xrdCacheKey(this.clusterName), kinds);
    return kinds;
  }

  /** Plural and scope of a kind from API discovery; undefined when not served. */
  async servedKind(
    group: string,
    version: string,
    kind: string,
  ): Promise<ServedKind | undefined> {
    const key = `discovery:${this.clusterName}:${group}/${version}`;
    let resources = await this.cache.get<Record<string, ServedKind>>(key);
    if (!resources) {
      const res = await this.client.get(apiPath(group, version));
      if (res.status === 404) {
        resources = {};
      } else if (res.status !== 200) {
        throw responseError(
          this.clusterName,
          `discovery of ${group}/${version}`,
          res,
        );
      } else {
        resources = {};
        for (const r of res.body.resources ?? []) {
          if (!String(r.name).includes('/')) {
            resources[r.kind] = { plural: r.name, namespaced: r.namespaced };
          }
        }
      }
      await this.cache.set(key, resources);
    }
    return resources[kind];
  }

  /** Served API groups and their preferred versions (one cached `/apis` call). */
  async apiGroups(): Promise<Record<string, string>> {
    const key = `groups:${this.clusterName}`;
    const cached = await this.cache.get<Record<string, string>>(key);
    if (cached) return cached;
    const res = await this.client.get('/apis');
    if (res.status !== 200) {
      throw responseError(this.clusterName, 'API discovery (/apis)', res);
    }
    const groups: Record<string, string> = {};
    for (const g of res.body.groups ?? []) {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (g.name && version) groups[g.name] = version;
    }
    await this.cache.set(key, groups);
    return groups;
  }
}
