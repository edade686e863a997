import { randomUUID } from 'node:crypto';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { stringify } from 'yaml';
import {
  ANNOTATION_CROSSPLANE_CLUSTER,
  ANNOTATION_CROSSPLANE_NAMESPACE,
  ANNOTATION_CROSSPLANE_SELECTOR,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_KUBERNETES_CLUSTER,
  CrossplaneClusterResult,
  CrossplaneEvent,
  CrossplaneEventsResponse,
  CrossplaneResourcesResponse,
  CrossplaneYamlResponse,
  LABEL_ENVIRONMENT,
  apiGroupOf,
  compareDesiredLive,
} from '@epicshelter/plugin-crossplane-common';
import { parseLabelSelector } from '@epicshelter/label-selector';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { ClusterRegistry } from './ClusterRegistry';
import { ClusterIndex } from './ClusterIndex';
import { ClusterDiscovery, DiscoveryCache } from './ClusterDiscovery';
import type { CompositeKind } from './kubeObjects';
import { isSecretRef, splitApiVersion } from './kubePaths';
import { resourceRefsOf } from './resourceRefs';
import { CrossplaneTreeBuilder } from './CrossplaneTreeBuilder';
import { DesiredStateReader } from './DesiredStateReader';
import { KubernetesApiClient } from './KubernetesApiClient';
import type { ObjectChange } from './watchEvents';

/** Who hears of the changes the watches see (the live publisher). */
export interface ChangeListener {
  changed(cluster: string, change?: ObjectChange): void;
}

/** A built tree and the redacted object of each of its nodes, by node id. */
interface BuiltTree {
  tree: CrossplaneClusterResult;
  objects: Record<string, unknown>;
}

/** How an entity maps to Crossplane objects. */
export interface EntityTargets {
  environment?: string;
  selector: string;
  namespace?: string;
  clusterNames?: string[];
}

/**
 * Whether the plugin watches the clusters: `crossplane.watch.enabled`, else
 * the older `crossplane.watchComposites`, else on.
 */
export function watchEnabled(config: Config): boolean {
  return (
    config.getOptionalBoolean('crossplane.watch.enabled') ??
    config.getOptionalBoolean('crossplane.watchComposites') ??
    true
  );
}

/** How long the background refresh waits for new XR watches to sync. */
const COMPOSED_KINDS_WAIT_MS = 20_000;

const PKG_GROUP = 'pkg.crossplane.io';

/** How long a failed tree build is served from the cache before it is retried. */
const FAILURE_TTL_MS = 5000;

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Resolves an entity's annotations to a label selector, namespace and
 * clusters. Never looks at the entity's location.
 */
export function resolveTargets(entity: Entity): EntityTargets {
  const a = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);
  const environment = a[ANNOTATION_ENVIRONMENT]?.trim() || undefined;
  const explicit = a[ANNOTATION_CROSSPLANE_SELECTOR]?.trim();
  if (!environment && !explicit) {
    throw new InputError(
      `Entity ${ref} has neither the ${ANNOTATION_ENVIRONMENT} nor the ${ANNOTATION_CROSSPLANE_SELECTOR} annotation; add one to link it to Crossplane resources`,
    );
  }
  if (environment && !NAMESPACE.test(environment)) {
    throw new InputError(
      `Annotation ${ANNOTATION_ENVIRONMENT} of ${ref} must be a DNS-1123 label, got '${environment}'`,
    );
  }
  const selector = explicit || `${LABEL_ENVIRONMENT}=${environment}`;
  try {
    parseLabelSelector(selector);
  } catch (e) {
    throw new InputError(
      `Annotation ${ANNOTATION_CROSSPLANE_SELECTOR} of ${ref} is not a valid label selector: ${
        (e as Error).message
      }`,
    );
  }
  const namespace = a[ANNOTATION_CROSSPLANE_NAMESPACE]?.trim() || undefined;
  if (namespace && !NAMESPACE.test(namespace)) {
    throw new InputError(
      `Annotation ${ANNOTATION_CROSSPLANE_NAMESPACE} of ${ref} must be a namespace name, got '${namespace}'`,
    );
  }
  const clusters = (
    a[ANNOTATION_CROSSPLANE_CLUSTER] ?? a[ANNOTATION_KUBERNETES_CLUSTER]
  )
    ?.split(',')
    .map(s => s.trim())
    .filter(Boolean);
  return {
    environment,
    selector,
    namespace,
    clusterNames: clusters?.length ? clusters : undefined,
  };
}

/** Node key of an object or of an event's involved object: group, kind, namespace and name. */
function eventKey(o: {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
}) {
  return `${apiGroupOf(String(o.apiVersion ?? ''))}|${o.kind}|${
    o.namespace ?? ''
  }|${o.name}`;
}

function errorInfo(e: unknown) {
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, message: err.message };
}

/** Builds Crossplane trees, desired-vs-live comparisons and event lists. */
export class CrossplaneService {
  static fromConfig(
    config: Config,
    deps: {
      logger: LoggerService;
      cache: CacheService;
      clusters: ClusterRegistry;
      desired: DesiredStateReader;
      /** Hears of every change the watches see. */
      listener?: ChangeListener;
    },
  ) {
    return new CrossplaneService(
      deps.logger,
      deps.cache,
      deps.clusters,
      deps.desired,
      config.getOptionalBoolean('crossplane.sandbox') ?? false,
      (config.getOptionalNumber('crossplane.cacheTtlSeconds') ?? 15) * 1000,
      (config.getOptionalNumber('crossplane.discoveryCacheTtlSeconds') ?? 300) *
        1000,
      config.getOptionalNumber('crossplane.requestTimeoutMs') ?? 10000,
      watchEnabled(config),
      deps.listener,
    );
  }

  /** Per cluster: its Crossplane objects, kept current by watches. */
  private readonly indexes = new Map<string, ClusterIndex>();
  /** Tells this replica's tree cache entries from other replicas'. */
  private readonly instance = randomUUID().slice(0, 8);
  /** Tree builds running now, by cache key: concurrent requests share one. */
  private readonly building = new Map<string, Promise<BuiltTree>>();
  /** Set at shutdown: a refresh still running must not start new watches. */
  private stopped = false;

  constructor(
    private readonly logger: LoggerService,
    private readonly cache: CacheService,
    private readonly clusters: ClusterRegistry,
    private readonly desired: DesiredStateReader,
    private readonly sandbox: boolean,
    private readonly ttlMs: number,
    private readonly discoveryTtlMs: number,
    private readonly timeoutMs: number,
    private readonly watching: boolean,
    private readonly listener?: ChangeListener,
  ) {}

  private async connect(cluster: ClusterDetails) {
    const credential = await this.clusters.credential(cluster);
    return new KubernetesApiClient(cluster, credential, this.timeoutMs);
  }

  /** The cluster's index of Crossplane objects, created on first use. */
  private indexFor(cluster: ClusterDetails): ClusterIndex {
    let index = this.indexes.get(cluster.name);
    if (!index) {
      index = new ClusterIndex({
        clusterName: cluster.name,
        logger: this.logger,
        connect: () => this.connect(cluster),
        onChange: change => this.listener?.changed(cluster.name, change),
      });
      this.indexes.set(cluster.name, index);
    }
    return index;
  }

  /** Ends every watch (at backend shutdown). */
  stop(): void {
    this.stopped = true;
    for (const index of this.indexes.values()) index.stop();
    this.indexes.clear();
  }

  private discoveryCache(): DiscoveryCache {
    return {
      get: async <T>(key: string) => {
        try {
          return (await this.cache.get(key)) as T | undefined;
        } catch {
          return undefined;
        }
      },
      set: async (key, value) => {
        try {
          await this.cache.set(key, value as any, { ttl: this.discoveryTtlMs });
        } catch (e) {
          this.logger.warn(`crossplane: cannot cache ${key}: ${e}`);
        }
      },
    };
  }

  /** How often the background task re-lists the XRDs, in seconds. */
  get discoveryRefreshSeconds(): number {
    return Math.max(5, Math.floor(this.discoveryTtlMs / 2000));
  }

  /**
   * Lists every cluster's XRDs into the cache shared by all entities, so
   * tree builds do not list them (run in the background by the plugin).
   * A failing cluster is logged; its trees then list the XRDs themselves.
   */
  async refreshDiscovery(): Promise<void> {
    await Promise.all(
      this.clusters.all().map(async cluster => {
        try {
          const kinds = await new CrossplaneTreeBuilder(
            cluster.name,
            await this.connect(cluster),
            this.discoveryCache(),
            false,
          ).refreshCompositeKinds();
          if (this.watching && !this.stopped) {
            const index = this.indexFor(cluster);
            index.update(kinds);
            await this.watchComposedKinds(cluster, index, kinds).catch(e =>
              this.logger.warn(
                `crossplane: cannot find the kinds composed in cluster ${
                  cluster.name
                }; trees read them from the API: ${errorInfo(e).message}`,
              ),
            );
          }
        } catch (e) {
          this.logger.warn(
            `crossplane: cannot list the XRDs of cluster ${cluster.name}: ${
              errorInfo(e).message
            }`,
          );
        }
      }),
    );
  }

  /**
   * Starts watching, before any tree asks, the kinds the cluster's XRs
   * compose (their resourceRefs, once the XR and claim kinds are in sync)
   * and Crossplane's Providers and ProviderRevisions, so that the first
   * page loads are served from the index too. A kind the cluster does not
   * serve is left out; trees add the ProviderConfig kinds they find.
   */
  private async watchComposedKinds(
    cluster: ClusterDetails,
    index: ClusterIndex,
    kinds: CompositeKind[],
  ): Promise<void> {
    const wanted = [
      { group: PKG_GROUP, version: 'v1', kind: 'Provider' },
      { group: PKG_GROUP, version: 'v1', kind: 'ProviderRevision' },
    ];
    if (await index.whenSynced(COMPOSED_KINDS_WAIT_MS)) {
      for (const k of kinds) {
        for (const obj of index.objects(k) ?? []) {
          for (const ref of resourceRefsOf(obj, k)) {
            if (isSecretRef(ref)) continue;
            wanted.push({ ...splitApiVersion(ref.apiVersion), kind: ref.kind });
          }
        }
      }
    }
    const discovery = new ClusterDiscovery(
      cluster.name,
      await this.connect(cluster),
      this.discoveryCache(),
    );
    const seen = new Set<string>();
    for (const w of wanted) {
      const key = `${w.group}|${w.kind}`;
      if (seen.has(key) || index.watches(w.group, w.kind)) continue;
      seen.add(key);
      const served = await discovery.servedKind(w.group, w.version, w.kind);
      if (served && !this.stopped)
        index.observe({ ...w, plural: served.plural });
    }
  }

  /**
   * Each selected cluster's tree for the targets, with the redacted object of
   * every node (for the YAML view): from the cache, else from the build
   * already running for the same targets (one build per entity at a time,
   * whatever asks: tree, YAML or events), else built.
   */
  private async clusterTrees(targets: EntityTargets): Promise<BuiltTree[]> {
    const selected = this.clusters.select(targets.clusterNames);
    return Promise.all(
      selected.map(async cluster => {
        // while the index is in sync, a tree holds until the index changes
        const generation = this.indexes.get(cluster.name)?.generation;
        const version =
          generation === undefined ? 'ttl' : `${this.instance}.${generation}`;
        const key = `tree:${cluster.name}:${version}:${
          targets.namespace ?? ''
        }:${targets.selector}`;
        let running = this.building.get(key);
        if (!running) {
          running = this.cachedOrBuilt(cluster, targets, key).finally(() =>
            this.building.delete(key),
          );
          this.building.set(key, running);
        }
        return running;
      }),
    );
  }

  /** One cluster's tree from the cache, else built and cached (a failure briefly). */
  private async cachedOrBuilt(
    cluster: ClusterDetails,
    targets: EntityTargets,
    key: string,
  ): Promise<BuiltTree> {
    const caching = this.ttlMs > 0;
    const cached = caching
      ? await this.cache.get<any>(key).catch(() => undefined)
      : undefined;
    if (cached) {
      const built = cached as BuiltTree;
      return { ...built, tree: { ...built.tree, requestCount: 0 } };
    }
    let built: BuiltTree;
    let ttl = this.ttlMs;
    try {
      const builder = new CrossplaneTreeBuilder(
        cluster.name,
        await this.connect(cluster),
        this.discoveryCache(),
        true,
        this.indexes.get(cluster.name),
      );
      const tree = await builder.build(targets.selector, targets.namespace);
      tree.title = cluster.title;
      built = { tree, objects: builder.objects() };
    } catch (e) {
      this.logger.warn(
        `crossplane: cluster ${cluster.name} failed for selector ${targets.selector}: ${e}`,
      );
      // a failing cluster is asked again soon, not by every request
      ttl = Math.min(this.ttlMs, FAILURE_TTL_MS);
      built = {
        tree: {
          cluster: cluster.name,
          title: cluster.title,
          error: errorInfo(e),
          nodes: [],
          edges: [],
          roots: [],
          requestCount: 0,
        },
        objects: {},
      };
    }
    if (caching) {
      await this.cache
        .set(key, built as any, { ttl })
        .catch(e => this.logger.warn(`crossplane: cannot cache ${key}: ${e}`));
    }
    return built;
  }

  private async clusterTree(
    targets: EntityTargets,
  ): Promise<CrossplaneClusterResult[]> {
    return (await this.clusterTrees(targets)).map(b => b.tree);
  }

  /** Live tree, desired state and their comparison for an entity. */
  async resources(
    entity: Entity,
    options: { yamlAllowed: boolean },
  ): Promise<CrossplaneResourcesResponse> {
    const targets = resolveTargets(entity);
    const [clusters, desired] = await Promise.all([
      this.clusterTree(targets),
      targets.environment
        ? this.desired.read(
            targets.environment,
            entity.metadata.annotations?.[ANNOTATION_CROSSPLANE_SELECTOR]
              ? parseLabelSelector(targets.selector)
              : undefined,
          )
        : Promise.resolve({
            resources: [],
            error: `No ${ANNOTATION_ENVIRONMENT} annotation: desired state unknown`,
          }),
    ]);
    return {
      entityRef: stringifyEntityRef(entity),
      environment: targets.environment,
      selector: targets.selector,
      namespace: targets.namespace,
      sandbox: this.sandbox,
      liveAvailable: clusters.length > 0,
      clusters,
      desired,
      comparison: compareDesiredLive(desired.resources, clusters, {
        desiredError: desired.error,
      }),
      yamlAllowed: options.yamlAllowed,
    };
  }

  /**
   * One object of the entity's trees as YAML (redacted when the tree was
   * built); only nodes of the entity's own trees can be asked for.
   */
  async yaml(entity: Entity, nodeId: string): Promise<CrossplaneYamlResponse> {
    const trees = await this.clusterTrees(resolveTargets(entity));
    for (const { objects } of trees) {
      if (objects[nodeId] !== undefined) {
        return { nodeId, yaml: stringify(objects[nodeId]) };
      }
    }
    const failed = trees.find(t => t.tree.error);
    if (failed) {
      throw new ServiceUnavailableError(
        `Cannot show ${nodeId}: cluster ${failed.tree.cluster} failed (${failed.tree.error?.message})`,
      );
    }
    throw new NotFoundError(
      `No Crossplane object ${nodeId} among the resources of ${stringifyEntityRef(
        entity,
      )} (it may be unknown, missing, or gone since the tree was loaded)`,
    );
  }

  /**
   * Events of the objects of an entity's trees: of one node (one list call
   * with a field selector on its involved object), else of every node (one
   * list call per namespace).
   */
  async events(
    entity: Entity,
    nodeId?: string,
  ): Promise<CrossplaneEventsResponse> {
    const targets = resolveTargets(entity);
    const trees = await this.clusterTree(targets);
    const selected = this.clusters.select(targets.clusterNames);
    const events: CrossplaneEvent[] = [];
    const errors: CrossplaneEventsResponse['errors'] = [];
    const node = nodeId
      ? trees.flatMap(t => t.nodes).find(n => n.id === nodeId)
      : undefined;
    if (nodeId && !node) {
      const failed = trees.find(t => t.error);
      if (failed) {
        throw new ServiceUnavailableError(
          `Cannot list the events of ${nodeId}: cluster ${failed.cluster} failed (${failed.error?.message})`,
        );
      }
      throw new NotFoundError(
        `No Crossplane object ${nodeId} among the resources of ${stringifyEntityRef(
          entity,
        )} (it may be gone since the tree was loaded)`,
      );
    }
    await Promise.all(
      trees.map(async tree => {
        if (node && tree.cluster !== node.cluster) return;
        if (tree.error) {
          errors.push({ cluster: tree.cluster, message: tree.error.message });
          return;
        }
        const cluster = selected.find(c => c.name === tree.cluster)!;
        const nodes = node ? [node] : tree.nodes;
        const byKey = new Map<string, string>();
        const namespaces = new Set<string>();
        for (const n of nodes) {
          byKey.set(eventKey(n), n.id);
          namespaces.add(n.namespace ?? 'default');
        }
        const fieldSelector = node
          ? `involvedObject.kind=${node.kind},involvedObject.name=${node.name}`
          : undefined;
        try {
          const client = await this.connect(cluster);
          await Promise.all(
            [...namespaces].map(async ns => {
              const res = await client.get(`/api/v1/namespaces/${ns}/events`, {
                fieldSelector,
              });
              if (res.status !== 200) {
                errors.push({
                  cluster: cluster.name,
                  message: `listing events in ${ns}: HTTP ${res.status}`,
                });
                return;
              }
              for (const e of res.body.items ?? []) {
                const id = byKey.get(eventKey(e.involvedObject ?? {}));
                if (!id) continue;
                events.push({
                  nodeId: id,
                  type: e.type,
                  reason: e.reason,
                  message: e.message ?? e.note,
                  count: e.count,
                  lastTimestamp:
                    e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp,
                  source: e.source?.component ?? e.reportingComponent,
                });
              }
            }),
          );
        } catch (e) {
          errors.push({ cluster: cluster.name, message: errorInfo(e).message });
        }
      }),
    );
    events.sort((a, b) =>
      String(b.lastTimestamp).localeCompare(String(a.lastTimestamp)),
    );
    return { events, errors };
  }
}
