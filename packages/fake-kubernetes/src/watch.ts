import type http from 'node:http';
import type { KubeObject } from './types';

/** A change to the store, as a watch stream carries it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  revision: number;
}

/** Which objects a watch follows. */
export interface WatchFilter {
  /** The served API version and kind the objects are shown with. */
  apiVersion: string;
  kind: string;
  matches(obj: KubeObject): boolean;
}

interface Watcher {
  filter: WatchFilter;
  res: http.ServerResponse;
}

function line(type: string, object: unknown) {
  return `${JSON.stringify({ type, object })}\n`;
}

/**
 * The fake's change history and open watches, with the API server's
 * semantics: every write gets the next resourceVersion; a watch without a
 * resourceVersion (or "0") starts with an ADDED event per current object; a
 * watch from version N replays the changes after N; a version older than
 * the kept history answers an ERROR event with code 410 (Gone).
 */
export class WatchHub {
  private revision = 1;
  private history: StoreEvent[] = [];
  /** Versions at or below this are no longer in the history. */
  private compactedAt = 0;
  private readonly watchers = new Set<Watcher>();

  /** The current resourceVersion of the store. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** Stamps an object with the next resourceVersion and notifies watches. */
  record(type: StoreEvent['type'], object: KubeObject): KubeObject {
    this.revision++;
    const stamped = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.revision) },
    };
    const event = { type, object: stamped, revision: this.revision };
    this.history.push(event);
    for (const w of this.watchers) this.send(w, event);
    return stamped;
  }

  /** Forgets the history: watches from an older version get 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedAt = this.revision;
  }

  private send(w: Watcher, event: StoreEvent) {
    if (!w.filter.matches(event.object)) return;
    w.res.write(
      line(event.type, { ...event.object, apiVersion: w.filter.apiVersion }),
    );
  }

  /**
   * Serves a watch on `res`: initial or replayed events, then live ones,
   * until `timeoutSeconds` (if given) or the client goes away.
   */
  open(
    res: http.ServerResponse,
    filter: WatchFilter,
    current: KubeObject[],
    query: URLSearchParams,
  ): void {
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    // the API server answers at once, before any event
    res.flushHeaders();
    const from = query.get('resourceVersion');
    if (from && from !== '0' && Number(from) < this.compactedAt) {
      res.end(
        line('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${from} (${this.compactedAt})`,
          reason: 'Expired',
          code: 410,
        }),
      );
      return;
    }
    const watcher: Watcher = { filter, res };
    if (!from || from === '0') {
      for (const object of current.filter(o => filter.matches(o))) {
        res.write(line('ADDED', { ...object, apiVersion: filter.apiVersion }));
      }
    } else {
      for (const event of this.history) {
        if (event.revision > Number(from)) this.send(watcher, event);
      }
    }
    this.watchers.add(watcher);
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    const timer =
      timeout > 0
        ? setTimeout(() => {
            if (query.get('allowWatchBookmarks') === 'true') {
              res.write(
                line('BOOKMARK', {
                  kind: filter.kind,
                  apiVersion: filter.apiVersion,
                  metadata: { resourceVersion: this.resourceVersion },
                }),
              );
            }
            res.end();
          }, timeout * 1000)
        : undefined;
    res.on('close', () => {
      if (timer) clearTimeout(timer);
      this.watchers.delete(watcher);
    });
  }

  /** Cuts every open watch connection (no final event). */
  drop(): void {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  /** How many watches are open. */
  get openWatches(): number {
    return this.watchers.size;
  }
}
