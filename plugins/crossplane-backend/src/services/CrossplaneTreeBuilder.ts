import {
  CrossplaneClusterResult,
  CrossplaneEdge,
  CrossplaneNode,
  LABEL_CLAIM_NAME,
  LABEL_COMPOSITE,
  redactObject,
} from '@epicshelter/plugin-crossplane-common';
import { createLabelMatcher } from '@epicshelter/label-selector';
import type { IndexedObjects } from './ClusterIndex';
import { ClusterDiscovery, DiscoveryCache } from './ClusterDiscovery';
import {
  AccessDeniedError,
  KubernetesApiClient,
  responseError,
} from './KubernetesApiClient';
import type {
  CompositeKind,
  KubeObject,
  ObjectRef as Ref,
  ServedKind,
} from './kubeObjects';
import {
  apiPath,
  guessPlural,
  isSecretRef,
  labelValues,
  managedVersion,
  splitApiVersion,
} from './kubePaths';
import {
  installerOf,
  providerConfigGroups,
  providerOf,
} from './providerPackages';
import { nodeId, placeholderNode, toNode } from './treeNodes';
import { resourceRefsOf } from './resourceRefs';

const MAX_DEPTH = 8;

/**
 * Builds the Crossplane tree (claims → XRs → composed resources, nested XRs
 * included) of one cluster with one list call per kind:
 *
 * 1. take the XR and claim kinds from the XRD list, cached per cluster and
 *    shared by all entities (the plugin refreshes it in the background, so a
 *    tree build normally does not list XRDs);
 * 2. take the roots, every XR and claim matching the entity's label
 *    selector, from the cluster's {@link ClusterIndex} (kept current by
 *    watches and shared by all entities), listing with the selector only the
 *    kinds the index does not have in sync;
 * 3. level by level, group the references of the composites found by
 *    group/kind; a reference already read (by a root list or an earlier
 *    level) costs nothing; otherwise list the kind once with
 *    `crossplane.io/composite in (<top-level XR names>)` (Crossplane puts
 *    the top-level XR's name on every composed resource, nested ones
 *    included), so each kind is listed once per tree whatever the depth
 *    (claim → XR: `crossplane.io/claim-name in (...)`). Objects labelled
 *    otherwise are tried with their parent's name, then one GET each.
 *
 * Kinds that the cluster does not serve (CRD missing) become `unknown`
 * nodes; referenced objects that do not exist become `missing` nodes.
 */
export class CrossplaneTreeBuilder {
  private readonly nodes = new Map<string, CrossplaneNode>();
  private readonly edges: CrossplaneEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly kept = new Map<string, unknown>();

  private readonly discovery: ClusterDiscovery;

  constructor(
    private readonly clusterName: string,
    private readonly client: KubernetesApiClient,
    cache: DiscoveryCache,
    /** Keep each node's object, redacted, for {@link objects} (YAML view). */
    private readonly keepObjects: boolean,
    private readonly index?: IndexedObjects,
  ) {
    this.discovery = new ClusterDiscovery(clusterName, client, cache);
  }

  private nodeId(
    group: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ) {
    return nodeId(this.clusterName, group, kind, namespace, name);
  }

  /** XR and claim kinds of the cluster (see {@link ClusterDiscovery.compositeKinds}). */
  compositeKinds(): Promise<CompositeKind[]> {
    return this.discovery.compositeKinds();
  }

  /** Lists the XRDs and caches the kinds (see {@link ClusterDiscovery.refreshCompositeKinds}). */
  refreshCompositeKinds(): Promise<CompositeKind[]> {
    return this.discovery.refreshCompositeKinds();
  }

  private servedKind(group: string, version: string, kind: string) {
    return this.discovery.servedKind(group, version, kind);
  }

  private toNode(
    obj: KubeObject,
    role: CrossplaneNode['role'],
    crossplaneVersion: 'v1' | 'v2',
  ): CrossplaneNode {
    const node = toNode(this.clusterName, obj, role, crossplaneVersion);
    if (this.keepObjects) {
      this.kept.set(node.id, redactObject(obj));
    }
    return node;
  }

  /** The redacted object of every node built (when keepObjects), by node id. */
  objects(): Record<string, unknown> {
    return Object.fromEntries(this.kept);
  }

  private addNode(node: CrossplaneNode) {
    if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
    return this.nodes.get(node.id)!;
  }

  private addEdge(from: string, to: string) {
    const key = `${from}>${to}`;
    if (!this.edgeKeys.has(key)) {
      this.edgeKeys.add(key);
      this.edges.push({ from, to });
    }
  }

  /** A node for a reference whose object is not (or cannot be) read. */
  private placeholder(
    ref: Ref,
    role: 'unknown' | 'missing' | 'secret',
    problem?: string,
  ): CrossplaneNode {
    return placeholderNode(this.clusterName, ref, role, problem);
  }

  private async list(
    path: string,
    labelSelector: string | undefined,
    what: string,
  ): Promise<KubeObject[] | 'not-served'> {
    const res = await this.client.get(path, { labelSelector });
    if (res.status === 404) return 'not-served';
    if (res.status !== 200) throw responseError(this.clusterName, what, res);
    const items: KubeObject[] = res.body.items ?? [];
    const apiVersion = res.body.apiVersion;
    return items.map(i => ({
      ...i,
      apiVersion: i.apiVersion ?? apiVersion,
      kind: i.kind ?? String(res.body.kind).replace(/List$/, ''),
    }));
  }

  /**
   * Where a managed resource's ProviderConfig kind is served and which
   * package revision installed it: the MR's own API group or the nearest
   * parent group (`rds.aws.m.upbound.io` → `aws.m.upbound.io`) whose CRD
   * `<kind>s.<group>` a revision lists in `status.objectRefs`, else (no
   * revision readable) the nearest group whose discovery serves the kind.
   */
  private async providerConfigType(
    mrGroup: string,
    kind: string,
    revisions: KubeObject[],
  ): Promise<
    | (ServedKind & { group: string; version: string; revision?: KubeObject })
    | undefined
  > {
    const groups = await this.discovery.apiGroups();
    const candidates = providerConfigGroups(mrGroup, groups);
    const installer = (group: string) =>
      installerOf(revisions, `${kind.toLowerCase()}s.${group}`);
    const owned = candidates.find(g => installer(g));
    for (const group of owned ? [owned] : candidates) {
      const served = await this.servedKind(group, groups[group], kind);
      if (served) {
        return {
          ...served,
          group,
          version: groups[group],
          revision: installer(group),
        };
      }
    }
    return undefined;
  }

  /**
   * Lists a package type (`pkg.crossplane.io`); empty when not served or
   * not readable (the tree then shows no provider, nothing else changes).
   */
  private async packages(plural: string, kind: string): Promise<KubeObject[]> {
    const indexed = this.index?.find('pkg.crossplane.io', kind);
    if (indexed) return indexed;
    try {
      const items = await this.list(
        `/apis/pkg.crossplane.io/v1/${plural}`,
        undefined,
        `listing ${plural}.pkg.crossplane.io`,
      );
      if (items === 'not-served') return [];
      this.index?.observe({
        group: 'pkg.crossplane.io',
        version: 'v1',
        plural,
        kind,
      });
      return items;
    } catch {
      return [];
    }
  }

  /**
   * Adds, for every managed resource with a `providerConfigRef`, its
   * ProviderConfig (or ClusterProviderConfig) node, and for each of those
   * the Provider whose active revision installed the ProviderConfig's CRD
   * (`status.objectRefs`) and that revision: MR → ProviderConfig → Provider
   * → ProviderRevision. A ProviderConfig that does not exist is a `missing`
   * node still linked to its provider, so "ProviderConfig … not found" can
   * be followed to its cause. One list of provider revisions and one of
   * providers when any MR has a ProviderConfig, one GET per distinct
   * ProviderConfig (discovery cached).
   */
  private async linkProviders(): Promise<void> {
    const users = [...this.nodes.values()].filter(
      n => n.role === 'managed' && n.providerConfig,
    );
    if (!users.length) return;
    const [revisions, providers] = await Promise.all([
      this.packages('providerrevisions', 'ProviderRevision'),
      this.packages('providers', 'Provider'),
    ]);
    const linked = new Set<string>();
    for (const mr of users) {
      const { group: mrGroup } = splitApiVersion(mr.apiVersion);
      const kind = mr.providerConfig!.kind ?? 'ProviderConfig';
      const name = mr.providerConfig!.name;
      const type = await this.providerConfigType(mrGroup, kind, revisions);
      if (!type) {
        const node = this.addNode(
          this.placeholder(
            { apiVersion: mr.apiVersion, kind, name },
            'unknown',
            `No API group of ${mrGroup} serves ${kind}: is the provider that owns it installed and healthy?`,
          ),
        );
        this.addEdge(mr.id, node.id);
        continue;
      }
      const namespace = type.namespaced ? mr.namespace : undefined;
      const id = this.nodeId(type.group, kind, namespace, name);
      if (!this.nodes.has(id)) {
        const apiVersion = `${type.group}/${type.version}`;
        const res = await this.providerConfig(type, kind, name, namespace);
        if (res.status === 200) {
          this.addNode(
            this.toNode(
              { ...res.body, apiVersion, kind },
              'provider-config',
              namespace ? 'v2' : 'v1',
            ),
          );
        } else if (res.status === 404) {
          this.addNode(
            this.placeholder(
              { apiVersion, kind, name, namespace },
              'missing',
              `${kind} '${name}' not found${
                namespace ? ` in namespace ${namespace}` : ''
              }: the managed resources that use it cannot be reconciled`,
            ),
          );
        } else {
          const error = responseError(
            this.clusterName,
            `reading ${kind} ${name}`,
            res,
          );
          if (!(error instanceof AccessDeniedError)) throw error;
          // not allowed to read it: say so on the node, keep the tree
          this.addNode(
            this.placeholder(
              { apiVersion, kind, name, namespace },
              'unknown',
              error.message,
            ),
          );
        }
      }
      this.addEdge(mr.id, id);
      if (type.revision && !linked.has(id)) {
        linked.add(id);
        this.linkProvider(id, type.revision, providers);
      }
    }
  }

  /**
   * One ProviderConfig (or ClusterProviderConfig): from the index when it
   * has the kind (absent there is a 404), else one GET, after which the
   * index watches the kind.
   */
  private async providerConfig(
    type: ServedKind & { group: string; version: string },
    kind: string,
    name: string,
    namespace: string | undefined,
  ): Promise<{ status: number; body: any }> {
    const indexed = this.index?.find(type.group, kind);
    if (indexed) {
      const found = indexed.find(
        o =>
          o.metadata.name === name &&
          (o.metadata.namespace ?? undefined) === namespace,
      );
      return found ? { status: 200, body: found } : { status: 404, body: {} };
    }
    const nsPart = namespace ? `/namespaces/${namespace}` : '';
    const res = await this.client.get(
      `${apiPath(type.group, type.version)}${nsPart}/${type.plural}/${name}`,
    );
    if (res.status === 200 || res.status === 404) {
      this.index?.observe({
        group: type.group,
        version: type.version,
        plural: type.plural,
        kind,
      });
    }
    return res;
  }

  /** ProviderConfig → Provider (owner of the revision) → ProviderRevision. */
  private linkProvider(
    configId: string,
    revision: KubeObject,
    providers: KubeObject[],
  ) {
    const provider = providerOf(revision, providers);
    const revisionNode = this.addNode(
      this.toNode(revision, 'package-revision', 'v1'),
    );
    if (!provider) {
      this.addEdge(configId, revisionNode.id);
      return;
    }
    const providerNode = this.addNode(this.toNode(provider, 'provider', 'v1'));
    this.addEdge(configId, providerNode.id);
    this.addEdge(providerNode.id, revisionNode.id);
  }

  /** Builds the tree for the roots matching `selector` (optionally in one namespace). */
  async build(
    selector: string,
    namespace?: string,
  ): Promise<CrossplaneClusterResult> {
    const kinds = await this.compositeKinds();
    const kindOf = (group: string, kind: string) =>
      kinds.find(k => k.group === group && k.kind === kind);

    // Everything read during this build, by group|kind: a referenced object
    // already read by an earlier list (roots, another level) costs nothing.
    const seen = new Map<string, KubeObject[]>();
    const remember = (group: string, kind: string, objs: KubeObject[]) => {
      const key = `${group}|${kind}`;
      seen.set(key, [...(seen.get(key) ?? []), ...objs]);
    };
    const lookup = (group: string, kind: string, ref: Ref) =>
      seen
        .get(`${group}|${kind}`)
        ?.find(
          o =>
            o.metadata.name === ref.name &&
            (!o.metadata.namespace ||
              !ref.namespace ||
              o.metadata.namespace === ref.namespace),
        );
    // Label values already listed per group|kind|label key, and kinds the
    // cluster does not serve: each kind is listed once per tree for all
    // levels, not once per level.
    const covered = new Map<string, Set<string>>();
    const notServed = new Set<string>();

    // 1. roots: from the index where it has the kind (all of its objects
    // are remembered, so nested XRs of the kind need no list either)
    const matches = createLabelMatcher(selector);
    const rootLists = await Promise.all(
      kinds.map(async k => {
        const indexed = this.index?.objects(k);
        if (indexed) {
          const items = indexed.filter(
            o =>
              matches(o.metadata.labels) &&
              (!namespace ||
                !k.namespaced ||
                o.metadata.namespace === namespace),
          );
          return { k, items, all: indexed };
        }
        const base = apiPath(k.group, k.version);
        const path =
          namespace && k.namespaced
            ? `${base}/namespaces/${namespace}/${k.plural}`
            : `${base}/${k.plural}`;
        const items = await this.list(
          path,
          selector,
          `listing ${k.kind}.${k.group}`,
        );
        const listed = items === 'not-served' ? [] : items;
        return { k, items: listed, all: listed };
      }),
    );
    const rootIds = new Set<string>();
    type Pending = { parent: CrossplaneNode; ref: Ref; viaClaim: boolean };
    let pending: Pending[] = [];
    const expand = (
      node: CrossplaneNode,
      obj: KubeObject,
      k: CompositeKind,
    ) => {
      for (const ref of resourceRefsOf(obj, k)) {
        pending.push({ parent: node, ref, viaClaim: k.role === 'claim' });
      }
    };
    for (const { k, items, all } of rootLists) {
      remember(k.group, k.kind, all);
      for (const obj of items) {
        const node = this.addNode(
          this.toNode(obj, k.role, k.crossplaneVersion),
        );
        rootIds.add(node.id);
        expand(node, obj, k);
      }
    }

    // 2. levels
    for (let depth = 0; pending.length && depth < MAX_DEPTH; depth++) {
      const current = pending;
      pending = [];
      const byKind = new Map<string, Pending[]>();
      for (const p of current) {
        if (isSecretRef(p.ref)) {
          // a composed Secret (v2 connection details): name only, never read
          const node = this.addNode(this.placeholder(p.ref, 'secret'));
          this.addEdge(p.parent.id, node.id);
          continue;
        }
        const key = `${p.ref.apiVersion}|${p.ref.kind}|${p.viaClaim}`;
        byKind.set(key, [...(byKind.get(key) ?? []), p]);
      }
      const resolve = async (group: Pending[]) => {
        const { apiVersion, kind } = group[0].ref;
        const viaClaim = group[0].viaClaim;
        const { group: g, version } = splitApiVersion(apiVersion);
        const kindKey = `${g}|${kind}`;
        const xk = kindOf(g, kind);
        let served: ServedKind | undefined = xk
          ? { plural: xk.plural, namespaced: xk.namespaced }
          : undefined;
        const unknown = () => {
          for (const p of group) {
            const node = this.addNode(
              this.placeholder(
                p.ref,
                'unknown',
                `The cluster does not serve ${kind} in ${apiVersion}: its CRD (provider) is not installed`,
              ),
            );
            this.addEdge(p.parent.id, node.id);
          }
        };
        if (notServed.has(kindKey)) {
          unknown();
          return;
        }
        // the index holds every object of the kind: nothing to read
        const indexed = this.index?.find(g, kind);
        if (indexed) remember(g, kind, indexed);
        else if (this.index && !served) {
          // with an index, ask the (cached) discovery rather than guess, so
          // that a kind the cluster does not serve costs no request
          served = await this.servedKind(g, version, kind);
          if (!served) {
            notServed.add(kindKey);
            unknown();
            return;
          }
        }

        // Claim → XR: Crossplane labels the XR with the claim's name.
        // XR → composed: Crossplane labels every composed resource, nested
        // ones included, with the top-level XR's name
        // (`crossplane.io/composite`); a root XR carries its own name.
        // Objects labelled otherwise (e.g. adopted) are tried with their
        // parent's name, then fetched one by one.
        const labelKey = viaClaim ? LABEL_CLAIM_NAME : LABEL_COMPOSITE;
        const candidates: ((p: Pending) => string)[] = viaClaim
          ? [p => p.parent.name]
          : [p => p.parent.labels[LABEL_COMPOSITE] ?? p.parent.name];
        if (!viaClaim) candidates.push(p => p.parent.name);
        for (const valueOf of indexed ? [] : candidates) {
          const unresolved = group.filter(p => !lookup(g, kind, p.ref));
          if (!unresolved.length) break;
          const done = covered.get(`${kindKey}|${labelKey}`) ?? new Set();
          covered.set(`${kindKey}|${labelKey}`, done);
          const values = [...new Set(unresolved.map(valueOf))].filter(
            v => !done.has(v),
          );
          if (!values.length) continue;
          values.forEach(v => done.add(v));
          const selectorFor = `${labelKey}${labelValues(values)}`;
          let items: KubeObject[] | 'not-served';
          if (served) {
            items = await this.list(
              `${apiPath(g, version)}/${served.plural}`,
              selectorFor,
              `listing ${kind}.${g}`,
            );
          } else {
            // Guess the plural first (one call); discovery only when the guess is wrong.
            items = await this.list(
              `${apiPath(g, version)}/${guessPlural(kind)}`,
              selectorFor,
              `listing ${kind}.${g}`,
            );
            if (items === 'not-served') {
              served = await this.servedKind(g, version, kind);
              if (served && served.plural !== guessPlural(kind)) {
                items = await this.list(
                  `${apiPath(g, version)}/${served.plural}`,
                  selectorFor,
                  `listing ${kind}.${g}`,
                );
              }
            }
          }
          if (items === 'not-served') {
            notServed.add(kindKey);
            unknown();
            return;
          }
          remember(g, kind, items);
          this.index?.observe({
            group: g,
            version,
            kind,
            plural: served?.plural ?? guessPlural(kind),
          });
        }

        const missing = (p: Pending) => {
          const node = this.addNode(
            this.placeholder(
              viaClaim ? { ...p.ref, namespace: undefined } : p.ref,
              'missing',
              `${kind} '${p.ref.name}' is referenced but does not exist (yet)`,
            ),
          );
          this.addEdge(p.parent.id, node.id);
        };
        for (const p of group) {
          let obj = lookup(g, kind, p.ref);
          if (!obj && indexed) {
            // not in the index of the kind: it does not exist
            missing(p);
            continue;
          }
          if (!obj) {
            // Not labelled as Crossplane labels it: one GET.
            const plural = served?.plural ?? guessPlural(kind);
            const nsPart =
              p.ref.namespace && (served?.namespaced ?? true) && !viaClaim
                ? `/namespaces/${p.ref.namespace}`
                : '';
            const res = await this.client.get(
              `${apiPath(g, version)}${nsPart}/${plural}/${p.ref.name}`,
            );
            if (res.status === 200) {
              obj = {
                ...res.body,
                apiVersion: res.body.apiVersion ?? apiVersion,
                kind: res.body.kind ?? kind,
              };
              remember(g, kind, [obj!]);
            } else if (res.status === 404) {
              missing(p);
              continue;
            } else {
              throw responseError(
                this.clusterName,
                `reading ${kind} ${p.ref.name}`,
                res,
              );
            }
          }
          if (!obj) continue;
          const existing = this.nodes.get(
            this.nodeId(g, kind, obj.metadata.namespace, obj.metadata.name),
          );
          const node =
            existing ??
            this.addNode(
              this.toNode(
                obj,
                xk ? xk.role : 'managed',
                xk?.crossplaneVersion ?? managedVersion(obj),
              ),
            );
          rootIds.delete(node.id);
          this.addEdge(p.parent.id, node.id);
          if (xk && !existing) expand(node, obj, xk);
        }
      };
      await Promise.all(
        [...byKind.values()].map(async group => {
          try {
            await resolve(group);
          } catch (e) {
            // a composed kind the cluster will not let us read: its
            // objects become unknown nodes saying so; the tree stays
            if (!(e instanceof AccessDeniedError)) throw e;
            for (const p of group) {
              const node = this.addNode(
                this.placeholder(p.ref, 'unknown', e.message),
              );
              this.addEdge(p.parent.id, node.id);
            }
          }
        }),
      );
    }

    // 3. what the managed resources run on: ProviderConfig → Provider
    await this.linkProviders();

    return {
      cluster: this.clusterName,
      nodes: [...this.nodes.values()],
      edges: this.edges,
      roots: [...rootIds],
      requestCount: this.client.requestCount,
    };
  }
}
