import http from 'node:http';
import { AddressInfo } from 'node:net';
import type {
  ArgoCdApplication,
  ArgoCdApplicationSet,
  ArgoCdRevisionMetadata,
  ArgoCdRuntimeError,
} from '@epicshelter/plugin-argocd-common';
import { createLabelMatcher } from '@epicshelter/label-selector';
import { JwtSigner } from './jwt';
import { projectFields } from './fields';
import {
  AppSpec,
  applicationSetsFor,
  buildApplication,
  generateInstanceSpecs,
  resourceTreeFor,
  revisionMetadataFor,
} from './data';
import { GitOpsRepository, deploymentsFor } from './gitops';
import {
  OUT_OF_SYNC_MS,
  SYNCED_AFTER_MS,
  SyncProgress,
  PRUNED_AFTER_MS,
  environmentAppSpecs,
  readEnvironmentSpecs,
  syncProgressAt,
  withDeletion,
  withSyncProgress,
} from './environments';
import { assertArgoCdShape } from './swagger';
import { ApplicationWatchHub, watchFilter } from './watch';

/** One Argo CD instance served by the fake. */
export interface FakeInstanceOptions {
  name: string;
  /** Environments whose applications live on this instance (default: by position, `dev`, `staging`). */
  environments?: string[];
  /**
   * Exact applications to serve instead of generated ones (any shape Argo CD
   * sends: multi-source, failed operations, other namespaces...). Each is
   * validated against Argo CD's swagger definition at start.
   */
  applications?: ArgoCdApplication[];
  /** Exact ApplicationSets to serve (default: derived from the applications' owners), validated likewise. */
  applicationSets?: ArgoCdApplicationSet[];
  /**
   * Commit metadata of the repositories the given applications deploy
   * from, by SHA, answered for revisions of sources outside the GitOps
   * repository (default: invented metadata for any 40-hex SHA).
   */
  revisionMetadata?: Record<string, ArgoCdRevisionMetadata>;
}

/** An error the fake answers instead of the real response (see {@link FakeArgoCd.failWith}). */
export interface FakeInjectedError {
  /** Method to match; any when unset. */
  method?: string;
  /** Path below the instance to match exactly, e.g. `/api/v1/applications/shop/sync`. */
  path: string;
  status: number;
  /** Response body, sent as JSON (a string is sent as text). */
  body: unknown;
}

/** Options of {@link startFakeArgoCd}. */
export interface FakeArgoCdOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind; default 127.0.0.1. */
  host?: string;
  /** Instances, or a number of instances named `argocd-1..n`. Default: `local` (dev) and `cloud` (staging). */
  instances?: Array<FakeInstanceOptions | string> | number;
  /** Added delay before every response, in ms. */
  latencyMs?: number;
  /** Applications per instance; default: only the example applications. */
  apps?: number;
  /** Session token lifetime (JWT `exp`), seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Accepted local users. Default admin/password. */
  users?: Array<{ username: string; password: string }>;
  /** Static API tokens accepted as Bearer tokens (like Argo CD account tokens). */
  staticTokens?: string[];
  /**
   * A local git repository the generated applications deploy from: their
   * revisions, histories and revision metadata are its real commits on
   * {@link FakeArgoCdOptions.gitopsBranch} (first-parent line), `dev`
   * applications at the head, `staging` one commit behind, others two; the
   * sources' `repoURL` is its `file://` URL. The branch is re-read on every
   * request, so new commits are deployed as Argo CD's automated sync would.
   * Default: invented commits of a GitHub repository.
   *
   * Environments of the repository (`environments/<env>/environment.yaml`
   * at the branch head) without generated applications get the two
   * applications the blueprint's ApplicationSets generate,
   * `<env>-workloads` and `<env>-infrastructure`, on the instance named
   * like their target (`local`, `cloud`; else the first): those present at
   * start are Synced/Healthy at the head; those appearing later are
   * OutOfSync/Missing for 2 s, then syncing (Progressing) until 6 s after
   * they appeared, then Synced/Healthy with one history entry at the head.
   * Environments removed from the branch lose their applications.
   */
  gitopsRepo?: string;
  /** Branch of {@link FakeArgoCdOptions.gitopsRepo}; default `main`. */
  gitopsBranch?: string;
  /**
   * `repoURL` of the applications' sources instead of the repository's
   * `file://` URL (which names a path of the machine).
   */
  gitopsRepoUrl?: string;
  /**
   * Serves the test controls over HTTP, for browser tests against a fake
   * running in its own process (the command line turns them on): `PUT
   * /fake/applications/<instance>` (body: an Application, validated against
   * the swagger; replaces the served one of that name and namespace, as
   * the controller would, and announces it on the watch streams) and
   * `POST /fake/drop-watches` (cuts every open watch stream).
   */
  control?: boolean;
}

/** Availability of an instance: answering, failing with 503, or never answering. */
export type FakeInstanceMode = 'up' | 'down' | 'hang';

/** One request the fake received. */
export interface FakeRequestRecord {
  instance: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  status: number;
  bytes: number;
  authorized: boolean;
  /** The request body: parsed JSON, or the raw text when it is not JSON; undefined without a body. */
  body?: unknown;
}

/** A running fake Argo CD. */
export interface FakeArgoCd {
  port: number;
  /** Base URL of an instance, e.g. `http://127.0.0.1:1234/local` (what goes in `argocd.instances[].url`). */
  url(instance: string): string;
  instanceNames: string[];
  /** The GitOps repository the applications deploy from ({@link FakeArgoCdOptions.gitopsRepo}). */
  gitops?: GitOpsRepository;
  /** Every request received since start or the last {@link FakeArgoCd.resetStats}. */
  requests: FakeRequestRecord[];
  /** Every session token issued. */
  issuedTokens: string[];
  stats(): { requests: number; bytes: number; byRoute: Record<string, number> };
  resetStats(): void;
  setLatency(ms: number): void;
  setInstanceMode(instance: string, mode: FakeInstanceMode): void;
  /** Makes every session token issued so far invalid (as after an Argo CD restart or expiry). */
  revokeSessions(): void;
  /** Applications currently served by an instance (live objects: edits show up in responses). */
  applications(instance: string): ArgoCdApplication[];
  /**
   * Changes an application of an instance in place (as Argo CD's
   * controller would) and announces it on the watch streams (`MODIFIED`).
   * Throws when the instance has no such application.
   */
  updateApplication(
    instance: string,
    name: string,
    change: (app: ArgoCdApplication) => void,
    appNamespace?: string,
  ): ArgoCdApplication;
  /** Deletes an application of an instance and announces it (`DELETED`). */
  deleteApplication(
    instance: string,
    name: string,
    appNamespace?: string,
  ): void;
  /**
   * Breaks the open `GET /api/v1/stream/applications` streams of an
   * instance (or all): cut mid-stream, or, with `error`, ended with a
   * grpc-gateway stream error line. Returns how many were broken.
   */
  breakWatchStreams(instance?: string, error?: string): number;
  /** Open watch streams (of one instance, or all). */
  openWatchStreams(instance?: string): number;
  /**
   * Answers matching requests of an instance with the given error until the
   * returned function is called (e.g. a grpc-gateway body with a code).
   */
  failWith(instance: string, error: FakeInjectedError): () => void;
  stop(): Promise<void>;
}

interface InstanceState {
  name: string;
  apps: ArgoCdApplication[];
  /** Specs of the generated applications (same order as `apps`); none for given ones. */
  specs?: AppSpec[];
  appSets: ArgoCdApplicationSet[];
  /** {@link FakeInstanceOptions.revisionMetadata}. */
  revisionMetadata: Record<string, ArgoCdRevisionMetadata>;
  /** Whether `appSets` are derived from `apps` (not given by the test). */
  derivedAppSets: boolean;
  mode: FakeInstanceMode;
  injected: FakeInjectedError[];
}

/** Namespace Argo CD looks in when a request names no `appNamespace`. */
const CONTROL_PLANE_NAMESPACE = 'argocd';

const DEFAULT_ENVS = ['dev', 'staging'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

const escapeHtml = (t: string) =>
  t.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

/**
 * A small HTML page standing in for Argo CD's application page: says it is
 * the sandbox's fake and shows the application's sync, health and revision.
 */
export function applicationPage(
  instance: string,
  name: string,
  app: ArgoCdApplication | undefined,
): string {
  const rows: Array<[string, string | undefined]> = app
    ? [
        ['Sync', app.status?.sync?.status],
        ['Health', app.status?.health?.status],
        ['Revision', app.status?.sync?.revision],
        ['Path', app.spec?.source?.path],
        ['Destination namespace', app.spec?.destination?.namespace],
      ]
    : [];
  const title = `${decodeURIComponent(name)} on ${instance}`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(
    title,
  )} (sandbox)</title></head><body style="font-family:sans-serif">
<p><strong>Sandbox data:</strong> this is the fake Argo CD of the Epicshelter sandbox (packages/fake-argocd), not a real Argo CD.</p>
<h1>${escapeHtml(title)}</h1>
${
  app
    ? `<table>${rows
        .map(
          ([k, v]) =>
            `<tr><th style="text-align:left">${escapeHtml(
              k,
            )}</th><td>${escapeHtml(v ?? '—')}</td></tr>`,
        )
        .join('')}</table>`
    : '<p>No application of this name on this instance.</p>'
}
</body></html>`;
}

/** Route names used in stats (the Argo CD API operation behind a request). */
function routeOf(method: string, parts: string[]): string {
  const p = parts.join('/');
  if (p === 'session') return `${method} session`;
  if (p === 'applications') return `${method} applications`;
  if (parts[0] === 'applications' && parts.length === 2)
    return `${method} application`;
  if (parts[0] === 'applications' && parts[2] === 'revisions')
    return `${method} revision-metadata`;
  if (parts[0] === 'applications')
    return `${method} ${parts.slice(2).join('/')}`;
  if (parts[0] === 'applicationsets') return `${method} applicationsets`;
  return `${method} ${p}`;
}

/** Starts a fake Argo CD API server serving one or more instances under `/<instance>/api/v1/...`. */
export async function startFakeArgoCd(
  options: FakeArgoCdOptions = {},
): Promise<FakeArgoCd> {
  const signer = new JwtSigner();
  const users = options.users ?? [{ username: 'admin', password: 'password' }];
  const staticTokens = new Set(options.staticTokens ?? []);
  const ttl = options.tokenTtlSeconds ?? 3600;
  let latency = options.latencyMs ?? 0;
  const revoked = new Set<string>();
  const requests: FakeRequestRecord[] = [];
  const issuedTokens: string[] = [];

  const instanceSpecs: FakeInstanceOptions[] = (() => {
    const raw = options.instances ?? ['local', 'cloud'];
    const list =
      typeof raw === 'number'
        ? Array.from({ length: raw }, (_, i) => `argocd-${i + 1}`)
        : raw;
    return list.map(i => (typeof i === 'string' ? { name: i } : i));
  })();
  const gitops = options.gitopsRepo
    ? await GitOpsRepository.open(
        options.gitopsRepo,
        options.gitopsBranch,
        options.gitopsRepoUrl,
      )
    : undefined;
  const build = (spec: AppSpec) =>
    buildApplication(
      gitops
        ? {
            ...spec,
            repoURL: gitops.repoURL,
            deployments: deploymentsFor(spec, gitops.commits),
          }
        : spec,
    );
  const instances = new Map<string, InstanceState>();
  instanceSpecs.forEach((spec, i) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.name)) {
      throw new Error(
        `Fake Argo CD instance name "${spec.name}" must be a DNS label`,
      );
    }
    const envs =
      spec.environments ??
      (instanceSpecs.length === 1
        ? DEFAULT_ENVS
        : [DEFAULT_ENVS[i] ?? `prod-${i}`]);
    const specs = spec.applications
      ? undefined
      : generateInstanceSpecs(envs, options.apps);
    spec.applications?.forEach((a, n) =>
      assertArgoCdShape(
        'v1alpha1Application',
        a,
        `Application ${n} (${
          a.metadata?.name ?? 'no name'
        }) given to fake instance "${spec.name}"`,
      ),
    );
    spec.applicationSets?.forEach((a, n) =>
      assertArgoCdShape(
        'v1alpha1ApplicationSet',
        a,
        `ApplicationSet ${n} (${
          a.metadata?.name ?? 'no name'
        }) given to fake instance "${spec.name}"`,
      ),
    );
    const apps = spec.applications ?? (specs ?? []).map(build);
    instances.set(spec.name, {
      name: spec.name,
      apps,
      specs,
      appSets:
        spec.applicationSets ?? applicationSetsFor(apps, gitops?.repoURL),
      revisionMetadata: spec.revisionMetadata ?? {},
      derivedAppSets: !spec.applicationSets,
      mode: 'up',
      injected: [],
    });
  });

  /** An application generated for an environment found in the GitOps repository. */
  interface DiscoveredApp {
    state: InstanceState;
    spec: AppSpec;
    /** The object served (kept, so edits by sync/terminate show). */
    live: ArgoCdApplication;
    /** When it appeared; -Infinity for environments present at start. */
    firstSeen: number;
    /** Progress and head commit last rendered into `live`. */
    shown?: { progress: SyncProgress; revision: string };
    /** When its environment left the repository: it is being deleted. */
    removedAt?: number;
  }
  const discovered = new Map<string, DiscoveredApp>();
  const treeCache = {};
  const watch = new ApplicationWatchHub(
    [...instances.values()].flatMap(s => s.apps),
  );

  /** Renders a discovered application at the branch head and its progress. */
  function renderDiscovered(d: DiscoveredApp, now: number) {
    if (!gitops) return;
    const head = gitops.commits[0];
    const progress = Number.isFinite(d.firstSeen)
      ? syncProgressAt(now - d.firstSeen)
      : 'synced';
    if (d.shown?.progress === progress && d.shown.revision === head.sha) {
      return;
    }
    const started = Number.isFinite(d.firstSeen)
      ? d.firstSeen + OUT_OF_SYNC_MS
      : Math.max(
          head.committedAt,
          Math.min(head.committedAt + 26_000, now - 4_000),
        );
    const deployed = Number.isFinite(d.firstSeen)
      ? d.firstSeen + SYNCED_AFTER_MS
      : Math.min(started + 4_000, now);
    const iso = (ms: number) =>
      new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const fresh = withSyncProgress(
      buildApplication({
        ...d.spec,
        repoURL: gitops.repoURL,
        deployments: [
          {
            id: 0,
            revision: head.sha,
            deployStartedAt: iso(started),
            deployedAt: iso(deployed),
          },
        ],
      }),
      progress,
      started,
    );
    const op = d.live.status?.operationState;
    const busy =
      d.shown?.progress === 'synced' &&
      (op?.phase === 'Running' || op?.phase === 'Terminating');
    d.live.metadata = fresh.metadata;
    d.live.spec = fresh.spec;
    d.live.status = {
      ...fresh.status,
      ...(busy ? { operationState: op } : {}),
    };
    d.shown = { progress, revision: head.sha };
    watch.changed(d.state.name, d.live);
  }

  /**
   * Generates, updates and prunes the applications of the environments at
   * the branch head, as the blueprint's ApplicationSets do.
   */
  async function discoverEnvironments(atStart: boolean) {
    if (!gitops) return;
    const now = Date.now();
    const generated = [...instances.values()].filter(s => s.specs);
    if (generated.length === 0) return;
    const staticNames = new Set(
      generated.flatMap(s => (s.specs ?? []).map(x => x.name)),
    );
    const specs = await readEnvironmentSpecs(
      gitops.dir,
      gitops.commits[0].sha,
      treeCache,
    );
    const wanted = new Set<string>();
    for (const env of specs) {
      const state = instances.get(env.target)?.specs
        ? instances.get(env.target)!
        : generated[0];
      for (const spec of environmentAppSpecs(env)) {
        if (staticNames.has(spec.name)) continue;
        wanted.add(spec.name);
        const known = discovered.get(spec.name);
        if (known) {
          known.spec = spec;
          known.removedAt = undefined;
          continue;
        }
        const live = { metadata: { name: spec.name } } as ArgoCdApplication;
        state.apps.push(live);
        discovered.set(spec.name, {
          state,
          spec,
          live,
          firstSeen: atStart ? -Infinity : now,
        });
      }
    }
    for (const [name, d] of discovered) {
      // Deleted by its ApplicationSet; gone once its resources are (pruneRemoved).
      if (!wanted.has(name)) d.removedAt ??= now;
    }
    for (const d of discovered.values()) {
      d.shown = undefined;
      renderDiscovered(d, now);
    }
    pruneRemoved(now);
    for (const state of generated) {
      if (state.derivedAppSets) {
        state.appSets = applicationSetsFor(state.apps, gitops.repoURL);
      }
    }
  }

  /**
   * Deploys new commits of the GitOps branch: the generated applications get
   * the revisions, history and timestamps their lag puts them on (a running
   * or terminating operation is kept), and the environments' applications
   * are generated anew; then the new environments' applications advance.
   */
  async function followGitOps() {
    if (!gitops) return;
    let changed: boolean;
    try {
      changed = await gitops.refresh();
    } catch (e) {
      throw new HttpError(500, 13, (e as Error).message);
    }
    if (changed) {
      for (const state of instances.values()) {
        state.specs?.forEach((spec, i) => {
          const live = state.apps[i];
          const fresh = build(spec);
          const op = live.status?.operationState;
          const busy = op?.phase === 'Running' || op?.phase === 'Terminating';
          live.metadata = fresh.metadata;
          live.spec = fresh.spec;
          live.status = {
            ...fresh.status,
            ...(busy ? { operationState: op } : {}),
          };
          watch.changed(state.name, live);
        });
      }
      await discoverEnvironments(false);
    }
    const now = Date.now();
    for (const d of discovered.values()) renderDiscovered(d, now);
    pruneRemoved(now);
  }

  /**
   * Applications whose environment left the repository: shown being deleted
   * (deletionTimestamp, resources finalizer) for PRUNED_AFTER_MS, then gone.
   */
  function pruneRemoved(now: number) {
    for (const [name, d] of discovered) {
      if (d.removedAt === undefined) continue;
      if (now - d.removedAt >= PRUNED_AFTER_MS) {
        d.state.apps = d.state.apps.filter(a => a !== d.live);
        discovered.delete(name);
        watch.deleted(d.state.name, d.live);
        continue;
      }
      const deleting = withDeletion(d.live, d.removedAt);
      d.live.metadata = deleting.metadata;
      d.live.status = deleting.status;
      watch.changed(d.state.name, d.live);
    }
  }
  await discoverEnvironments(true);

  const nowSeconds = () => Math.floor(Date.now() / 1000);

  function authorize(req: http.IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const cookieToken = /(?:^|;\s*)argocd\.token=([^;]+)/.exec(
      req.headers.cookie ?? '',
    )?.[1];
    const token = header.startsWith('Bearer ') ? header.slice(7) : cookieToken;
    if (!token) return false;
    if (staticTokens.has(token)) return true;
    const claims = signer.verify(token);
    return Boolean(claims && claims.exp > nowSeconds() && !revoked.has(token));
  }

  function findApp(state: InstanceState, name: string, query: URLSearchParams) {
    // As Argo CD: without appNamespace, the control plane's namespace.
    const ns = query.get('appNamespace') || CONTROL_PLANE_NAMESPACE;
    const app = state.apps.find(
      a =>
        a.metadata?.name === name &&
        (a.metadata?.namespace ?? CONTROL_PLANE_NAMESPACE) === ns,
    );
    if (!app) {
      throw new HttpError(
        404,
        5,
        `applications.argoproj.io "${name}" not found`,
      );
    }
    return app;
  }

  /** Raw request bodies (read once by the server, before routing). */
  const bodies = new WeakMap<http.IncomingMessage, string>();

  async function readBody(
    req: http.IncomingMessage,
  ): Promise<Record<string, unknown>> {
    const text = bodies.get(req) ?? '';
    if (!text) return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpError(
        400,
        3,
        'error unmarshaling request body: invalid JSON',
      );
    }
  }

  async function handle(
    state: InstanceState,
    method: string,
    parts: string[],
    query: URLSearchParams,
    req: http.IncomingMessage,
  ): Promise<unknown> {
    if (parts[0] === 'session' && parts.length === 1 && method === 'POST') {
      const body = await readBody(req);
      const user = users.find(
        u => u.username === body.username && u.password === body.password,
      );
      if (!user) throw new HttpError(401, 16, 'Invalid username or password');
      const token = signer.sign(user.username, ttl, nowSeconds());
      issuedTokens.push(token);
      return { token };
    }
    if (!authorize(req)) {
      throw new HttpError(
        401,
        16,
        'invalid session: token is expired or invalid',
      );
    }
    await followGitOps();
    if (parts[0] === 'applications' && parts.length === 1 && method === 'GET') {
      let items = state.apps;
      const selector = query.get('selector');
      if (selector) {
        let match;
        try {
          match = createLabelMatcher(selector);
        } catch (e) {
          throw new HttpError(400, 3, (e as Error).message);
        }
        items = items.filter(a => match(a.metadata?.labels));
      }
      const name = query.get('name');
      if (name) items = items.filter(a => a.metadata?.name === name);
      const ns = query.get('appNamespace');
      if (ns) items = items.filter(a => a.metadata?.namespace === ns);
      const projects = [
        ...query.getAll('projects'),
        ...query.getAll('project'),
      ];
      if (projects.length)
        items = items.filter(a => projects.includes(a.spec?.project ?? ''));
      const repo = query.get('repo');
      if (repo) {
        items = items.filter(a =>
          [a.spec?.source, ...(a.spec?.sources ?? [])].some(
            s => s?.repoURL === repo,
          ),
        );
      }
      return projectFields(
        {
          metadata: { resourceVersion: watch.resourceVersion },
          items,
        },
        query.get('fields'),
      );
    }
    if (parts[0] === 'applications' && parts.length >= 2) {
      // Sync takes appNamespace in its body (grpc-gateway body "*"), the others in the query.
      const body = method === 'POST' ? await readBody(req) : {};
      const scope =
        typeof body.appNamespace === 'string' && body.appNamespace
          ? new URLSearchParams({ appNamespace: body.appNamespace })
          : query;
      const app = findApp(state, decodeURIComponent(parts[1]), scope);
      const rest = parts.slice(2).join('/');
      if (rest === '' && method === 'GET') {
        const refresh = query.get('refresh');
        if (refresh && refresh !== 'normal' && refresh !== 'hard') {
          throw new HttpError(400, 3, `unknown refresh type "${refresh}"`);
        }
        if (refresh) {
          app.status = {
            ...app.status,
            reconciledAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          };
          watch.changed(state.name, app);
        }
        return app;
      }
      if (rest === 'resource-tree' && method === 'GET')
        return resourceTreeFor(app);
      if (
        parts[2] === 'revisions' &&
        parts[4] === 'metadata' &&
        method === 'GET'
      ) {
        // As Argo CD's repo server: the commit in the repository of the
        // source asked for (`sourceIndex`; without it, the GitOps
        // repository when the application deploys from it). The fake holds
        // the GitOps repository only; other repositories' commits are those
        // given to the instance, else invented.
        const revision = decodeURIComponent(parts[3]);
        const sources =
          app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : []);
        const sourceIndex = query.get('sourceIndex');
        const repos = (
          sourceIndex === null ? sources : [sources[Number(sourceIndex)]]
        ).map(src => src?.repoURL);
        const meta =
          gitops && (sources.length === 0 || repos.includes(gitops.repoURL))
            ? await gitops.revisionMetadata(revision)
            : state.revisionMetadata[revision] ?? revisionMetadataFor(revision);
        if (!meta) {
          throw new HttpError(
            404,
            5,
            `revision ${parts[3]} not found in repository`,
          );
        }
        return meta;
      }
      if (rest === 'sync' && method === 'POST') {
        if (app.operation || app.status?.operationState?.phase === 'Running') {
          throw new HttpError(
            400,
            9,
            'another operation is already in progress',
          );
        }
        const revision =
          typeof body.revision === 'string'
            ? body.revision
            : app.status?.sync?.revision;
        const operation = {
          sync: {
            ...(revision ? { revision } : {}),
            prune: body.prune === true,
            dryRun: body.dryRun === true,
            syncStrategy: { hook: {} },
          },
          initiatedBy: { username: 'admin' },
        };
        app.operation = operation;
        app.status = {
          ...app.status,
          operationState: {
            operation,
            phase: 'Running',
            message: 'waiting for healthy state of apps/Deployment',
            startedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
        };
        watch.changed(state.name, app);
        return app;
      }
      if (rest === 'operation' && method === 'DELETE') {
        if (!app.operation && app.status?.operationState?.phase !== 'Running') {
          throw new HttpError(
            409,
            9,
            'Unable to terminate operation. No operation is in progress',
          );
        }
        delete app.operation;
        if (app.status?.operationState) {
          app.status.operationState = {
            ...app.status.operationState,
            phase: 'Terminating',
            message: 'operation is terminating',
          };
        }
        watch.changed(state.name, app);
        return {};
      }
    }
    if (parts[0] === 'applicationsets' && method === 'GET') {
      if (parts.length === 1) {
        return { metadata: {}, items: state.appSets };
      }
      const setNs = query.get('appsetNamespace') || CONTROL_PLANE_NAMESPACE;
      const set = state.appSets.find(
        s =>
          s.metadata?.name === decodeURIComponent(parts[1]) &&
          (s.metadata?.namespace ?? CONTROL_PLANE_NAMESPACE) === setNs,
      );
      if (!set)
        throw new HttpError(
          404,
          5,
          `applicationsets.argoproj.io "${parts[1]}" not found`,
        );
      return set;
    }
    throw new HttpError(
      404,
      5,
      `Not Found: ${method} /api/v1/${parts.join('/')}`,
    );
  }

  /**
   * `GET /api/v1/stream/applications`: a long-lived chunked answer, one
   * `{"result":{"type","application"}}` line per change (see `watch.ts`).
   */
  async function openWatch(
    state: InstanceState,
    query: URLSearchParams,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) {
    if (!authorize(req)) {
      throw new HttpError(
        401,
        16,
        'invalid session: token is expired or invalid',
      );
    }
    try {
      watchFilter(query);
    } catch (e) {
      throw new HttpError(400, 3, (e as Error).message);
    }
    await followGitOps();
    watch.open(state.name, query, state.apps, res);
  }

  // While a watch is open, the scenarios advance on their own (new
  // commits deployed, new environments syncing), as Argo CD's controller
  // does, not only when a request comes.
  const ticker = setInterval(() => {
    if (watch.openStreams() > 0) followGitOps().catch(() => undefined);
  }, 500);
  ticker.unref();

  /** The HTTP test controls ({@link FakeArgoCdOptions.control}). */
  function control(method: string, segments: string[], body: string) {
    if (method === 'POST' && segments.join('/') === 'fake/drop-watches') {
      return { status: 200, body: { dropped: watch.breakStreams() } };
    }
    const state = instances.get(segments[2] ?? '');
    if (
      method !== 'PUT' ||
      segments[1] !== 'applications' ||
      segments.length !== 3
    ) {
      return {
        status: 404,
        body: {
          message:
            'PUT /fake/applications/<instance> or POST /fake/drop-watches',
        },
      };
    }
    if (!state) {
      return {
        status: 404,
        body: { message: `no instance "${segments[2]}"` },
      };
    }
    let given: ArgoCdApplication;
    try {
      given = JSON.parse(body);
      assertArgoCdShape('v1alpha1Application', given, 'The body');
    } catch (e) {
      return { status: 400, body: { message: (e as Error).message } };
    }
    const live = controlled(
      state.name,
      given.metadata?.name ?? '',
      given.metadata?.namespace,
    ).app;
    live.metadata = {
      ...given.metadata,
      resourceVersion: live.metadata?.resourceVersion,
    };
    live.spec = given.spec;
    live.status = given.status;
    watch.changed(state.name, live);
    return { status: 200, body: live };
  }

  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const segments = url.pathname.split('/').filter(Boolean);
    const state = instances.get(segments[0] ?? '');
    const method = req.method ?? 'GET';
    const query: Record<string, string[]> = {};
    url.searchParams.forEach((v, k) => {
      (query[k] ??= []).push(v);
    });
    const chunks: Buffer[] = [];
    if (state?.mode !== 'hang') {
      for await (const c of req) chunks.push(c as Buffer);
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    bodies.set(req, rawBody);
    let recordedBody: unknown;
    if (rawBody) {
      try {
        recordedBody = JSON.parse(rawBody);
      } catch {
        recordedBody = rawBody;
      }
    }
    const send = (status: number, body: unknown, authorized: boolean) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const bytes = Buffer.byteLength(text);
      requests.push({
        instance: state?.name ?? segments[0] ?? '',
        method,
        path: `/${segments.slice(1).join('/')}`,
        query,
        status,
        bytes,
        authorized,
        ...(recordedBody !== undefined ? { body: recordedBody } : {}),
      });
      res.writeHead(status, {
        'content-type':
          typeof body === 'string' ? 'text/plain' : 'application/json',
        'content-length': bytes,
      });
      res.end(text);
    };
    if (options.control && segments[0] === 'fake') {
      let answer;
      try {
        answer = control(method, segments, rawBody);
      } catch (e) {
        answer = { status: 404, body: { message: (e as Error).message } };
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    if (
      state &&
      state.mode === 'up' &&
      method === 'GET' &&
      segments[1] === 'applications' &&
      segments.length === 4
    ) {
      // The page the portal's "Argo CD" links open (Argo CD's UI route).
      await followGitOps().catch(() => undefined);
      const app = state.apps.find(
        a =>
          a.metadata?.name === decodeURIComponent(segments[3]) &&
          (a.metadata?.namespace ?? CONTROL_PLANE_NAMESPACE) ===
            decodeURIComponent(segments[2]),
      );
      const html = applicationPage(state.name, segments[3], app);
      requests.push({
        instance: state.name,
        method,
        path: `/${segments.slice(1).join('/')}`,
        query,
        status: app ? 200 : 404,
        bytes: Buffer.byteLength(html),
        authorized: false,
      });
      res.writeHead(app ? 200 : 404, {
        'content-type': 'text/html; charset=utf-8',
      });
      res.end(html);
      return;
    }
    if (!state || segments[1] !== 'api' || segments[2] !== 'v1') {
      const err: ArgoCdRuntimeError = {
        code: 5,
        error: 'Not Found',
        message: 'Not Found',
      };
      send(404, err, false);
      return;
    }
    if (state.mode === 'hang') {
      req.resume();
      return; // never answers: clients must time out
    }
    if (latency > 0) await new Promise(r => setTimeout(r, latency));
    if (state.mode === 'down') {
      const err: ArgoCdRuntimeError = {
        code: 14,
        error: 'connection refused',
        message: 'connection refused',
      };
      send(503, err, false);
      return;
    }
    const parts = segments.slice(3);
    const subPath = `/${segments.slice(1).join('/')}`;
    const injected = state.injected.find(
      i => i.path === subPath && (!i.method || i.method === method),
    );
    if (injected) {
      send(injected.status, injected.body, true);
      return;
    }
    try {
      if (method === 'GET' && parts.join('/') === 'stream/applications') {
        await openWatch(state, url.searchParams, req, res);
        requests.push({
          instance: state.name,
          method,
          path: subPath,
          query,
          status: 200,
          bytes: 0,
          authorized: true,
        });
        return;
      }
      const body = await handle(state, method, parts, url.searchParams, req);
      send(200, body, true);
    } catch (e) {
      const err =
        e instanceof HttpError ? e : new HttpError(500, 13, String(e));
      const body: ArgoCdRuntimeError = {
        code: err.grpcCode,
        error: err.message,
        message: err.message,
      };
      send(err.status, body, err.status !== 401);
    }
  });
  server.on('connection', s => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const port = (server.address() as AddressInfo).port;

  /** An application a test control names (throws when there is none). */
  function controlled(name: string, appName: string, appNamespace?: string) {
    const state = instances.get(name);
    if (!state) throw new Error(`Fake Argo CD has no instance "${name}"`);
    const app = findApp(
      state,
      appName,
      new URLSearchParams(appNamespace ? { appNamespace } : {}),
    );
    return { state, app };
  }
  const host = options.host ?? '127.0.0.1';

  return {
    port,
    url: name =>
      `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/${name}`,
    instanceNames: [...instances.keys()],
    gitops,
    requests,
    issuedTokens,
    stats() {
      const byRoute: Record<string, number> = {};
      for (const r of requests) {
        const key = routeOf(
          r.method,
          r.path.split('/').filter(Boolean).slice(2),
        );
        byRoute[key] = (byRoute[key] ?? 0) + 1;
      }
      return {
        requests: requests.length,
        bytes: requests.reduce((s, r) => s + r.bytes, 0),
        byRoute,
      };
    },
    resetStats() {
      requests.length = 0;
    },
    setLatency(ms) {
      latency = ms;
    },
    setInstanceMode(name, mode) {
      const state = instances.get(name);
      if (!state) throw new Error(`Fake Argo CD has no instance "${name}"`);
      state.mode = mode;
      if (mode !== 'up') watch.breakStreams(name);
    },
    revokeSessions() {
      issuedTokens.forEach(t => revoked.add(t));
    },
    applications(name) {
      const state = instances.get(name);
      if (!state) throw new Error(`Fake Argo CD has no instance "${name}"`);
      return state.apps;
    },
    updateApplication(name, appName, change, appNamespace) {
      const { app } = controlled(name, appName, appNamespace);
      change(app);
      watch.changed(name, app);
      return app;
    },
    deleteApplication(name, appName, appNamespace) {
      const { state, app } = controlled(name, appName, appNamespace);
      state.apps = state.apps.filter(a => a !== app);
      watch.deleted(name, app);
    },
    breakWatchStreams(name, error) {
      return watch.breakStreams(name, error);
    },
    openWatchStreams(name) {
      return watch.openStreams(name);
    },
    failWith(name, error) {
      const state = instances.get(name);
      if (!state) throw new Error(`Fake Argo CD has no instance "${name}"`);
      state.injected.push(error);
      return () => {
        state.injected = state.injected.filter(i => i !== error);
      };
    },
    async stop() {
      clearInterval(ticker);
      watch.breakStreams();
      for (const s of sockets) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}
