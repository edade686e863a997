import type http from 'node:http';
import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import { createLabelMatcher } from '@epicshelter/label-selector';

/** The change types of Argo CD's application watch stream. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One line of `GET /api/v1/stream/applications`: grpc-gateway's stream result wrapper. */
export type WatchStreamLine =
  | { result: { type: WatchEventType; application: ArgoCdApplication } }
  | {
      error: {
        grpc_code: number;
        http_code: number;
        message: string;
        http_status: string;
      };
    };

/** Namespace Argo CD looks in when a request names no `appNamespace`. */
const CONTROL_PLANE_NAMESPACE = 'argocd';

/**
 * Which applications a watch with this query receives, as Argo CD's
 * `ApplicationService.Watch` decides (`isApplicationPermitted`): `name`
 * (with `appNamespace`, default the control plane's), `appNamespace`,
 * `projects`/`project`, `selector`, `repo`, and `resourceVersion` (only
 * applications at that version or later). Throws on an invalid selector.
 */
export function watchFilter(
  query: URLSearchParams,
): (app: ArgoCdApplication) => boolean {
  const selector = query.get('selector');
  const match = selector ? createLabelMatcher(selector) : undefined;
  const name = query.get('name');
  const ns = query.get('appNamespace');
  const projects = [...query.getAll('projects'), ...query.getAll('project')];
  const repo = query.get('repo');
  const minVersion = Number(query.get('resourceVersion') ?? '') || 0;
  return app => {
    const appNs = app.metadata?.namespace ?? CONTROL_PLANE_NAMESPACE;
    if (
      name &&
      (app.metadata?.name !== name || appNs !== (ns || CONTROL_PLANE_NAMESPACE))
    )
      return false;
    if (!name && ns && appNs !== ns) return false;
    if (projects.length && !projects.includes(app.spec?.project ?? ''))
      return false;
    if (match && !match(app.metadata?.labels)) return false;
    if (
      repo &&
      ![app.spec?.source, ...(app.spec?.sources ?? [])].some(
        s => s?.repoURL === repo,
      )
    )
      return false;
    const version = Number(app.metadata?.resourceVersion);
    return !(Number.isFinite(version) && version < minVersion);
  };
}

/**
 * Whether a watch starts with an `ADDED` event per matching application:
 * as Argo CD, when no `resourceVersion` is given, or when one application is
 * watched by name.
 */
export function sendsInitialState(query: URLSearchParams): boolean {
  return !query.get('resourceVersion') || Boolean(query.get('name'));
}

interface OpenStream {
  instance: string;
  accepts: (app: ArgoCdApplication) => boolean;
  res: http.ServerResponse;
}

/** The application as last announced, without its resourceVersion (which every announcement bumps). */
const fingerprint = (app: ArgoCdApplication) =>
  JSON.stringify({
    ...app,
    metadata: { ...app.metadata, resourceVersion: undefined },
  });

/**
 * The fake's application watch streams: gives every change of a served
 * application a new `metadata.resourceVersion` (one counter, as etcd's
 * revision) and writes it to the open streams of its instance that accept
 * it, one JSON line each. As Argo CD, nothing is replayed: a watch resumed
 * with `resourceVersion` sees only later changes.
 */
export class ApplicationWatchHub {
  private version: number;
  private readonly streams = new Set<OpenStream>();
  private readonly announced = new WeakMap<ArgoCdApplication, string>();

  constructor(apps: ArgoCdApplication[]) {
    this.version = Math.max(
      1000,
      ...apps.map(a => Number(a.metadata?.resourceVersion) || 0),
    );
    for (const app of apps) this.announced.set(app, fingerprint(app));
  }

  /** The current version (what a list answers as `metadata.resourceVersion`). */
  get resourceVersion(): string {
    return String(this.version);
  }

  /** Open streams, by instance. */
  openStreams(instance?: string): number {
    return [...this.streams].filter(s => !instance || s.instance === instance)
      .length;
  }

  /**
   * Announces that an application was added or may have changed: when it
   * differs from what was last announced, it gets the next resourceVersion
   * and an `ADDED` (first announcement) or `MODIFIED` event is sent.
   */
  changed(instance: string, app: ArgoCdApplication): void {
    const before = this.announced.get(app);
    const now = fingerprint(app);
    if (before === now) return;
    this.announced.set(app, now);
    this.emit(instance, before === undefined ? 'ADDED' : 'MODIFIED', app);
  }

  /** Announces that an application is gone: a `DELETED` event with its last state. */
  deleted(instance: string, app: ArgoCdApplication): void {
    this.announced.delete(app);
    this.emit(instance, 'DELETED', app);
  }

  private emit(instance: string, type: WatchEventType, app: ArgoCdApplication) {
    this.version += 1;
    app.metadata = { ...app.metadata, resourceVersion: this.resourceVersion };
    for (const stream of this.streams) {
      if (stream.instance === instance && stream.accepts(app)) {
        writeLine(stream.res, { result: { type, application: app } });
      }
    }
  }

  /**
   * Opens a stream on `res` (already authorized): a chunked JSON-lines
   * response that stays open, with the initial `ADDED` events when the
   * query asks for them.
   */
  open(
    instance: string,
    query: URLSearchParams,
    apps: ArgoCdApplication[],
    res: http.ServerResponse,
  ): void {
    const accepts = watchFilter(query);
    res.writeHead(200, {
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    res.flushHeaders(); // the client sees the stream open before any event
    if (sendsInitialState(query)) {
      const initial = apps
        .filter(accepts)
        .sort((a, b) =>
          (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
        );
      for (const app of initial) {
        writeLine(res, { result: { type: 'ADDED', application: app } });
      }
    }
    const stream: OpenStream = { instance, accepts, res };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
  }

  /**
   * Breaks the open streams (of one instance, or all): with `error`, each
   * ends with a grpc-gateway stream error line; without, the connection is
   * cut mid-stream (as a proxy or a restarting Argo CD does).
   */
  breakStreams(instance?: string, error?: string): number {
    let n = 0;
    for (const stream of [...this.streams]) {
      if (instance && stream.instance !== instance) continue;
      n += 1;
      this.streams.delete(stream);
      if (error) {
        writeLine(stream.res, {
          error: {
            grpc_code: 14,
            http_code: 503,
            message: error,
            http_status: 'Service Unavailable',
          },
        });
        stream.res.end();
      } else {
        stream.res.destroy();
      }
    }
    return n;
  }
}

function writeLine(res: http.ServerResponse, line: WatchStreamLine) {
  if (!res.writableEnded) res.write(`${JSON.stringify(line)}\n`);
}
