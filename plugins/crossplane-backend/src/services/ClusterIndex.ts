import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubeObject } from './kubeObjects';
import { KubernetesApiClient, responseError } from './KubernetesApiClient';
import {
  ObjectChange,
  ResourceVersionGone,
  WatchErrorEvent,
  WatchedKind,
  applyWatchEvent,
  diffObjects,
  kindKey,
  objectKey,
  slim,
} from './watchEvents';

/** What a tree build asks of a cluster's index. */
export interface IndexedObjects {
  /**
   * Every object of the kind in the cluster, or undefined while the kind is
   * not in sync (not watched yet, listing, or its watch failed): the tree
   * then reads the kind from the API itself.
   */
  objects(kind: WatchedKind): KubeObject[] | undefined;
  /** The same, by API group and kind (any watched version). */
  find(group: string, kind: string): KubeObject[] | undefined;
  /**
   * Starts watching a kind a tree had to read from the API (managed
   * resources, ProviderConfigs, packages), so later trees need not.
   */
  observe(kind: WatchedKind): void;
}

/** Options of {@link ClusterIndex}. */
export interface ClusterIndexOptions {
  clusterName: string;
  logger: LoggerService;
  /** A client with fresh credentials, for each (re)connection. */
  connect(): Promise<KubernetesApiClient>;
  /**
   * Called for every object change a watch (or a relist after a broken
   * watch) saw, and without a change when a kind comes into or falls out
   * of sync. Not called for the objects of a kind's first list.
   */
  onChange?(change?: ObjectChange): void;
  /** When the server ends each watch, in seconds. Defaults to 300. */
  watchTimeoutSeconds?: number;
  /**
   * Wait before reconnecting after a failure, in ms, doubled for each
   * failure in a row up to 60 times this. Defaults to 1000.
   */
  retryMs?: number;
}

class KindState {
  objects = new Map<string, KubeObject>();
  synced = false;
  listedOnce = false;
  readonly controller = new AbortController();
  constructor(readonly kind: WatchedKind, readonly discovered: boolean) {}
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * An in-memory index of one cluster's Crossplane objects, kept current by
 * one list and one long-lived watch per kind (the informer pattern) and
 * shared by every entity's tree: the XR and claim kinds its XRDs declare,
 * and the kinds trees found under them (managed resources, ProviderConfigs,
 * packages). While every kind is in sync, a tree is built without a
 * Kubernetes request.
 *
 * A kind whose list or watch fails is out of sync until it recovers (the
 * failure is logged once); trees read it themselves meanwhile. Watches
 * resume from the last seen resourceVersion (bookmarks keep it fresh) and
 * list again when the server says it is too old (410 Gone), reporting what
 * changed in between.
 */
export class ClusterIndex implements IndexedObjects {
  private readonly kinds = new Map<string, KindState>();
  private stopped = false;
  private changes = 0;
  /** Lists and watches opened (benchmarks and tests read it). */
  requestCount = 0;

  constructor(private readonly options: ClusterIndexOptions) {}

  /**
   * Watches every XR and claim kind in `kinds` and stops watching those no
   * longer declared; kinds trees found stay watched.
   */
  update(kinds: WatchedKind[]): void {
    if (this.stopped) return;
    const wanted = new Map(kinds.map(k => [kindKey(k), k]));
    for (const [key, state] of this.kinds) {
      if (!wanted.has(key) && !state.discovered) {
        state.controller.abort();
        this.kinds.delete(key);
        this.changed();
      }
    }
    for (const [key, kind] of wanted) {
      if (!this.kinds.has(key)) this.start(key, kind, false);
    }
  }

  observe(kind: WatchedKind): void {
    const key = kindKey(kind);
    if (this.stopped || this.kinds.has(key)) return;
    this.start(key, kind, true);
  }

  objects(kind: WatchedKind): KubeObject[] | undefined {
    const state = this.kinds.get(kindKey(kind));
    return state?.synced ? [...state.objects.values()] : undefined;
  }

  find(group: string, kind: string): KubeObject[] | undefined {
    for (const state of this.kinds.values()) {
      if (state.kind.group === group && state.kind.kind === kind) {
        return this.objects(state.kind);
      }
    }
    return undefined;
  }

  /** True when a kind of this group is watched (in sync or not). */
  watches(group: string, kind: string): boolean {
    return [...this.kinds.values()].some(
      s => s.kind.group === group && s.kind.kind === kind,
    );
  }

  /**
   * Resolves once every watched kind is in sync, or after `timeoutMs`
   * (then false), or at once when stopped.
   */
  async whenSynced(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stopped && !this.synced && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
    }
    return this.synced;
  }

  /** The kinds watched now. */
  watchedKinds(): WatchedKind[] {
    return [...this.kinds.values()].map(s => s.kind);
  }

  /** True when at least one kind is watched and every one is in sync. */
  get synced(): boolean {
    const states = [...this.kinds.values()];
    return states.length > 0 && states.every(s => s.synced);
  }

  /**
   * A value that changes whenever what the index holds changes, while it is
   * in sync (undefined otherwise): what was built from the index at one
   * generation holds until the next.
   */
  get generation(): number | undefined {
    return this.synced ? this.changes : undefined;
  }

  /** Ends every watch; the index stays empty afterwards. */
  stop(): void {
    this.stopped = true;
    for (const state of this.kinds.values()) state.controller.abort();
    this.kinds.clear();
  }

  private start(key: string, kind: WatchedKind, discovered: boolean) {
    const state = new KindState(kind, discovered);
    this.kinds.set(key, state);
    // a new kind out of sync makes the index out of sync
    this.changed();
    void this.run(state);
  }

  private changed(change?: ObjectChange) {
    this.changes++;
    try {
      this.options.onChange?.(change);
    } catch (e) {
      this.options.logger.warn(
        `crossplane: a listener of cluster ${
          this.options.clusterName
        }'s index failed: ${(e as Error).message}`,
      );
    }
  }

  private setSynced(state: KindState, synced: boolean) {
    if (state.synced === synced) return;
    state.synced = synced;
    // a stopped kind's last words are not news
    if (this.kinds.get(kindKey(state.kind)) === state) this.changed();
  }

  private path(k: WatchedKind) {
    return k.group
      ? `/apis/${k.group}/${k.version}/${k.plural}`
      : `/api/${k.version}/${k.plural}`;
  }

  private async run(state: KindState) {
    const { signal } = state.controller;
    const { logger, clusterName } = this.options;
    const what = `${state.kind.kind}.${state.kind.group}`;
    // failures in a row; reset once a watch streams
    let failures = 0;
    const streaming = () => {
      this.setSynced(state, true);
      if (failures > 0) {
        logger.info(`crossplane: watching ${what} in ${clusterName} again`);
        failures = 0;
      }
    };
    // undefined: list (again) before watching
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await this.relist(
            await this.options.connect(),
            state,
          );
        }
        // fresh credentials for each watch: short-lived tokens expire
        resourceVersion = await this.watchOnce(
          await this.options.connect(),
          state,
          resourceVersion,
          streaming,
        );
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof ResourceVersionGone) {
          // too old to resume: list again at once (objects stay served)
          resourceVersion = undefined;
          continue;
        }
        // a broken stream resumes from the last version seen, after a
        // pause (an ERROR event lists again); out of sync meanwhile, so
        // trees read the API themselves
        if (e instanceof WatchErrorEvent) resourceVersion = undefined;
        this.setSynced(state, false);
        if (failures === 0) {
          logger.warn(
            `crossplane: cannot watch ${what} in cluster ${clusterName}; trees read it from the API until the watch recovers: ${
              (e as Error).message
            }`,
          );
        }
        failures++;
        // exponential backoff, so a refused watch (RBAC) costs little
        const retryMs = this.options.retryMs ?? 1000;
        await sleep(
          Math.min(retryMs * 2 ** (failures - 1), retryMs * 60),
          signal,
        );
      }
    }
    state.synced = false;
  }

  /**
   * Lists the kind into the index, reporting what changed since the last
   * list or event (nothing on the first list); returns the list's
   * resourceVersion.
   */
  private async relist(client: KubernetesApiClient, state: KindState) {
    this.requestCount++;
    const what = `listing ${state.kind.kind}.${state.kind.group}`;
    const res = await client.get(this.path(state.kind));
    if (res.status !== 200) {
      throw responseError(this.options.clusterName, what, res);
    }
    const listed = new Map<string, KubeObject>();
    for (const item of res.body.items ?? []) {
      const obj = slim(item, state.kind);
      listed.set(objectKey(obj), obj);
    }
    const before = state.objects;
    state.objects = listed;
    if (state.listedOnce) {
      for (const change of diffObjects(before, listed)) this.changed(change);
    }
    state.listedOnce = true;
    this.setSynced(state, true);
    return String(res.body.metadata?.resourceVersion ?? '');
  }

  /** Applies one watch stream; returns the version to resume from. */
  private async watchOnce(
    client: KubernetesApiClient,
    state: KindState,
    from: string | undefined,
    streaming: () => void,
  ): Promise<string | undefined> {
    let resourceVersion = from;
    let gone = false;
    let errorEvent: WatchErrorEvent | undefined;
    this.requestCount++;
    const res = await client
      .watch(
        this.path(state.kind),
        {
          resourceVersion,
          timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
        },
        event => {
          try {
            const applied = applyWatchEvent(state.objects, event, state.kind);
            streaming();
            resourceVersion = applied.resourceVersion ?? resourceVersion;
            if (applied.change) this.changed(applied.change);
          } catch (e) {
            if (e instanceof ResourceVersionGone) gone = true;
            else if (e instanceof WatchErrorEvent) errorEvent = e;
            else throw e;
          }
        },
        state.controller.signal,
        streaming,
      )
      .catch(e => {
        throw new Error(
          `watching ${state.kind.kind}.${state.kind.group}: ${
            (e as Error).message
          }`,
        );
      });
    if (gone || res?.status === 410) throw new ResourceVersionGone();
    if (errorEvent) throw errorEvent;
    if (res) {
      throw responseError(
        this.options.clusterName,
        `watching ${state.kind.kind}.${state.kind.group}`,
        res,
      );
    }
    streaming();
    return resourceVersion;
  }
}
