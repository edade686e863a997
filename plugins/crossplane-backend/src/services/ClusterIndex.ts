import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CompositeKind, KubeObject } from './kubeObjects';
import {
  KubernetesApiClient,
  WatchEvent,
  responseError,
} from './KubernetesApiClient';

/** What a tree build asks of an index of XRs and claims. */
export interface CompositeObjects {
  /**
   * Every object of the kind in the cluster, or undefined while the kind is
   * not in sync (not watched yet, listing, or its watch failed): the tree
   * then lists the kind itself.
   */
  objects(kind: CompositeKind): KubeObject[] | undefined;
}

/** Options of {@link CompositeIndex}. */
export interface CompositeIndexOptions {
  clusterName: string;
  logger: LoggerService;
  /** A client with fresh credentials, for each (re)connection. */
  connect(): Promise<KubernetesApiClient>;
  /** When the server ends each watch, in seconds. Defaults to 300. */
  watchTimeoutSeconds?: number;
  /**
   * Wait before reconnecting after a failure, in ms, doubled for each
   * failure in a row up to 30 times this. Defaults to 10000.
   */
  retryMs?: number;
}

class KindState {
  readonly objects = new Map<string, KubeObject>();
  synced = false;
  readonly controller = new AbortController();
  constructor(readonly kind: CompositeKind) {}
}

function kindKey(k: CompositeKind) {
  return `${k.group}/${k.version}/${k.plural}`;
}

function objectKey(o: KubeObject) {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Keeps what a tree reads; managedFields can be most of an object. */
function slim(o: KubeObject, k: CompositeKind): KubeObject {
  const { managedFields: _dropped, ...metadata } = o.metadata as Record<
    string,
    unknown
  >;
  return {
    ...o,
    apiVersion: o.apiVersion ?? `${k.group}/${k.version}`,
    kind: o.kind ?? k.kind,
    metadata: metadata as KubeObject['metadata'],
  };
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

/** The version a watch asked to restart from is gone (HTTP 410). */
class ResourceVersionGone extends Error {}

/**
 * An in-memory index of one cluster's XRs and claims (every kind its XRDs
 * declare), kept current by one list and one long-lived watch per kind
 * (the informer pattern), shared by every entity's tree: tree builds read
 * their roots, and nested XRs, from here instead of listing XR and claim
 * kinds, so a build only lists the managed kinds it finds.
 *
 * A kind whose list or watch fails is out of sync until it recovers (the
 * failure is logged once); trees list it themselves meanwhile. Watches
 * restart from the last seen resourceVersion (bookmarks keep it fresh) and
 * relist when the server says it is too old (410 Gone).
 */
export class CompositeIndex implements CompositeObjects {
  private readonly kinds = new Map<string, KindState>();
  private stopped = false;
  /** Lists and watches opened (benchmarks and tests read it). */
  requestCount = 0;

  constructor(private readonly options: CompositeIndexOptions) {}

  /** Watches every kind in `kinds` and stops watching the others. */
  update(kinds: CompositeKind[]): void {
    if (this.stopped) return;
    const wanted = new Map(kinds.map(k => [kindKey(k), k]));
    for (const [key, state] of this.kinds) {
      if (!wanted.has(key)) {
        state.controller.abort();
        this.kinds.delete(key);
      }
    }
    for (const [key, kind] of wanted) {
      if (!this.kinds.has(key)) {
        const state = new KindState(kind);
        this.kinds.set(key, state);
        void this.run(state);
      }
    }
  }

  objects(kind: CompositeKind): KubeObject[] | undefined {
    const state = this.kinds.get(kindKey(kind));
    return state?.synced ? [...state.objects.values()] : undefined;
  }

  /** True when every watched kind is in sync. */
  get synced(): boolean {
    return [...this.kinds.values()].every(s => s.synced);
  }

  /** Ends every watch; the index stays empty afterwards. */
  stop(): void {
    this.stopped = true;
    for (const state of this.kinds.values()) state.controller.abort();
    this.kinds.clear();
  }

  private path(k: CompositeKind) {
    return `/apis/${k.group}/${k.version}/${k.plural}`;
  }

  private async run(state: KindState) {
    const { signal } = state.controller;
    const { logger, clusterName } = this.options;
    const what = `${state.kind.kind}.${state.kind.group}`;
    // failures in a row; reset once a watch streams (an event, or a clean end)
    let failures = 0;
    const streaming = () => {
      if (failures > 0) {
        logger.info(`crossplane: watching ${what} in ${clusterName} again`);
        failures = 0;
      }
    };
    while (!signal.aborted) {
      try {
        let resourceVersion: string | undefined = await this.relist(
          await this.options.connect(),
          state,
        );
        while (!signal.aborted) {
          // fresh credentials for each watch: short-lived tokens expire
          resourceVersion = await this.watchOnce(
            await this.options.connect(),
            state,
            resourceVersion,
            streaming,
          );
        }
      } catch (e) {
        state.synced = false;
        if (signal.aborted) break;
        if (e instanceof ResourceVersionGone) continue;
        if (failures === 0) {
          logger.warn(
            `crossplane: cannot watch ${what} in cluster ${clusterName}; trees list it themselves until the watch recovers: ${
              (e as Error).message
            }`,
          );
        }
        failures++;
        // exponential backoff, so a refused watch (RBAC) costs little
        const retryMs = this.options.retryMs ?? 10_000;
        await sleep(
          Math.min(retryMs * 2 ** (failures - 1), retryMs * 30),
          signal,
        );
      }
    }
    state.synced = false;
  }

  /** Lists the kind into the index; returns the list's resourceVersion. */
  private async relist(client: KubernetesApiClient, state: KindState) {
    this.requestCount++;
    const what = `listing ${state.kind.kind}.${state.kind.group}`;
    const res = await client.get(this.path(state.kind));
    if (res.status !== 200) {
      throw responseError(this.options.clusterName, what, res);
    }
    state.objects.clear();
    for (const item of res.body.items ?? []) {
      const obj = slim(item, state.kind);
      state.objects.set(objectKey(obj), obj);
    }
    state.synced = true;
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
    const apply = (event: WatchEvent) => {
      if (event.type === 'ERROR') {
        if (event.object?.code === 410) throw new ResourceVersionGone();
        throw new Error(
          `watch error ${event.object?.code}: ${event.object?.message}`,
        );
      }
      streaming();
      const obj = event.object as KubeObject;
      resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
      if (event.type === 'BOOKMARK') return;
      const item = slim(obj, state.kind);
      if (event.type === 'DELETED') state.objects.delete(objectKey(item));
      else state.objects.set(objectKey(item), item);
    };
    this.requestCount++;
    let gone = false;
    const res = await client
      .watch(
        this.path(state.kind),
        {
          resourceVersion,
          timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
        },
        event => {
          try {
            apply(event);
          } catch (e) {
            if (e instanceof ResourceVersionGone) gone = true;
            else throw e;
          }
        },
        state.controller.signal,
      )
      .catch(e => {
        throw new Error(
          `watching ${state.kind.kind}.${state.kind.group}: ${
            (e as Error).message
          }`,
        );
      });
    if (gone || res?.status === 410) throw new ResourceVersionGone();
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
