import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';

/** One change of an application, as the watch stream or a re-list shows it. */
export interface ApplicationChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The application (for `DELETED`, as it was last seen). */
  application: ArgoCdApplication;
}

/** An instance's applications as the watch knows them. */
export interface ApplicationView {
  /** By {@link applicationKey}. */
  readonly apps: ReadonlyMap<string, ArgoCdApplication>;
  /** Highest resourceVersion seen (list or event); a resumed watch starts there. */
  readonly resourceVersion?: string;
}

/** The view's key of an application: `<namespace>/<name>`. */
export const applicationKey = (app: ArgoCdApplication) =>
  `${app.metadata?.namespace ?? ''}/${app.metadata?.name ?? ''}`;

/**
 * Compares Kubernetes resourceVersions: numeric ones (Argo CD's, from etcd)
 * by value; anything else is treated as newer, so a change is never
 * dropped for a version that cannot be ordered.
 */
function newer(candidate: string | undefined, than: string | undefined) {
  const a = Number(candidate);
  const b = Number(than);
  if (!candidate || !than || !Number.isFinite(a) || !Number.isFinite(b)) {
    return true;
  }
  return a > b;
}

function maxVersion(a: string | undefined, b: string | undefined) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return newer(a, b) ? a : b;
}

/**
 * Applies one watch event. An event older than (or as old as) what the
 * view holds for that application is no change (a resumed stream and a
 * re-list may both bring it); a `MODIFIED` of an unknown application is an
 * `ADDED`, an `ADDED` of a known one a `MODIFIED`.
 */
export function applyWatchEvent(
  view: ApplicationView,
  event: ApplicationChange,
): { view: ApplicationView; change?: ApplicationChange } {
  const app = event.application;
  const key = applicationKey(app);
  const known = view.apps.get(key);
  const version = app.metadata?.resourceVersion;
  const resourceVersion = maxVersion(view.resourceVersion, version);
  if (event.type === 'DELETED') {
    if (!known) return { view: { ...view, resourceVersion } };
    const apps = new Map(view.apps);
    apps.delete(key);
    return {
      view: { apps, resourceVersion },
      change: { type: 'DELETED', application: app },
    };
  }
  if (known && !newer(version, known.metadata?.resourceVersion)) {
    return { view: { ...view, resourceVersion } };
  }
  const apps = new Map(view.apps);
  apps.set(key, app);
  return {
    view: { apps, resourceVersion },
    change: { type: known ? 'MODIFIED' : 'ADDED', application: app },
  };
}

/**
 * Merges a full list into the view, as a re-list after a gap must (Argo CD
 * does not replay what a broken watch missed): listed applications newer
 * than the view's are `MODIFIED`, unknown ones `ADDED`; applications the
 * list lacks are `DELETED` unless the watch saw them after the list was
 * taken. Without a view, the list is the initial state: no changes.
 */
export function resyncView(
  view: ApplicationView | undefined,
  list: { items: ArgoCdApplication[]; resourceVersion?: string },
): { view: ApplicationView; changes: ApplicationChange[] } {
  const listed = new Map(list.items.map(a => [applicationKey(a), a]));
  if (!view) {
    return {
      view: { apps: listed, resourceVersion: list.resourceVersion },
      changes: [],
    };
  }
  const apps = new Map(view.apps);
  const changes: ApplicationChange[] = [];
  for (const [key, app] of listed) {
    const known = apps.get(key);
    if (
      !known ||
      newer(app.metadata?.resourceVersion, known.metadata?.resourceVersion)
    ) {
      apps.set(key, app);
      changes.push({ type: known ? 'MODIFIED' : 'ADDED', application: app });
    }
  }
  for (const [key, app] of view.apps) {
    if (listed.has(key)) continue;
    const seenAfterList =
      list.resourceVersion !== undefined &&
      newer(app.metadata?.resourceVersion, list.resourceVersion);
    if (!seenAfterList) {
      apps.delete(key);
      changes.push({ type: 'DELETED', application: app });
    }
  }
  return {
    view: {
      apps,
      resourceVersion: maxVersion(view.resourceVersion, list.resourceVersion),
    },
    changes,
  };
}

/**
 * The change a line of `GET /api/v1/stream/applications` carries
 * (`{"result":{"type","application"}}`); throws with the stream's error
 * message on an `{"error":...}` line, and on anything else.
 */
export function changeFromStreamLine(line: unknown): ApplicationChange {
  const value = line as {
    result?: { type?: string; application?: ArgoCdApplication };
    error?: { message?: string };
  };
  if (value?.error) {
    throw new Error(
      `the watch stream ended with an error: ${
        value.error.message ?? 'no message'
      }`,
    );
  }
  const type = value?.result?.type;
  const application = value?.result?.application;
  if (
    (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') &&
    application?.metadata?.name
  ) {
    return { type, application };
  }
  throw new Error(
    `the watch stream sent a line that is no application event (type ${String(
      type,
    )})`,
  );
}
