import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { BadSelectorError, fieldPredicate, labelPredicate } from './labels';
import { WatchFilter, WatchHub } from './watch';
import type {
  FakeRequestLogEntry,
  FakeResourceType,
  KubeObject,
} from './types';

const BUILTIN_TYPES: FakeResourceType[] = [
  {
    group: '',
    versions: ['v1'],
    kind: 'Namespace',
    plural: 'namespaces',
    namespaced: false,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Event',
    plural: 'events',
    namespaced: true,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Secret',
    plural: 'secrets',
    namespaced: true,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'ConfigMap',
    plural: 'configmaps',
    namespaced: true,
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  {
    group: 'apiextensions.crossplane.io',
    versions: ['v2', 'v1'],
    kind: 'CompositeResourceDefinition',
    plural: 'compositeresourcedefinitions',
    namespaced: false,
  },
  {
    group: 'apiextensions.crossplane.io',
    versions: ['v1'],
    kind: 'Composition',
    plural: 'compositions',
    namespaced: false,
  },
  {
    group: 'apiextensions.crossplane.io',
    versions: ['v1'],
    kind: 'CompositionRevision',
    plural: 'compositionrevisions',
    namespaced: false,
  },
  // Crossplane's package manager (served wherever Crossplane runs)
  ...[
    ['Provider', 'providers'],
    ['ProviderRevision', 'providerrevisions'],
    ['Configuration', 'configurations'],
    ['ConfigurationRevision', 'configurationrevisions'],
    ['Function', 'functions'],
    ['FunctionRevision', 'functionrevisions'],
  ].map(([kind, plural]) => ({
    group: 'pkg.crossplane.io',
    versions: ['v1'],
    kind,
    plural,
    namespaced: false,
  })),
];

/**
 * Options of {@link startFakeKubernetes}.
 * @public
 */
export interface FakeKubernetesOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; defaults to 127.0.0.1. */
  host?: string;
  /**
   * Objects to serve. Kinds are served when they are built in (core,
   * CRDs, Crossplane's apiextensions and pkg), declared by a
   * CustomResourceDefinition object, or by a CompositeResourceDefinition
   * (XR kind and claim kind); any other object's kind is served too, so a
   * test can give any object.
   */
  objects: KubeObject[];
  /**
   * Further resource types to serve even without objects (e.g.
   * `KUBERNETES_TAB_TYPES`, what Backstage's Kubernetes tab lists), unless
   * the objects already make them served.
   */
  extraTypes?: FakeResourceType[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /**
   * Serves `PUT /fake/objects` (a JSON object: created or replaced, as
   * `apply` does; watches see it) and `POST /fake/drop-watches` (cuts every
   * watch connection), for browser tests that change what the cluster
   * holds. Off by default; the command line turns it on.
   */
  control?: boolean;
  /**
   * Answers a request with this status instead (e.g. 403 for an RBAC
   * refusal) when it returns one; undefined serves the request.
   */
  refuse?(request: {
    path: string;
    query: Record<string, string>;
  }): number | undefined;
}

/**
 * A running fake Kubernetes API server.
 * @public
 */
export interface FakeKubernetesServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: FakeRequestLogEntry[];
  /** The live object store; mutate it to change what is served. */
  objects: KubeObject[];
  /** The resource types currently served. */
  resourceTypes(): FakeResourceType[];
  /** Creates or replaces an object (by group, kind, namespace and name); watches see ADDED or MODIFIED. */
  apply(obj: KubeObject): void;
  /** Deletes an object; watches see DELETED. False when there was none. */
  remove(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ): boolean;
  /** Forgets the change history: resuming a watch from an older version gets 410 Gone. */
  compact(): void;
  /** Cuts every open watch connection, as an API server restart does. */
  dropWatches(): void;
  /** How many watches are open. */
  openWatches(): number;
  close(): Promise<void>;
}

function groupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** Names of the versions a CRD or XRD spec serves. */
function servedVersions(spec: {
  versions?: { name: string; served?: boolean }[];
}): string[] {
  return (spec.versions ?? []).filter(v => v.served !== false).map(v => v.name);
}

/**
 * Resource types served for a set of objects: built-ins, those declared by
 * CRDs and XRDs among them, and the kind of every other object given
 * (plural as code generators name it, scope from the object).
 * @public
 */
export function servedResourceTypes(objects: KubeObject[]): FakeResourceType[] {
  const types = [...BUILTIN_TYPES];
  for (const o of objects) {
    const spec = (o as any).spec ?? {};
    if (o.kind === 'CustomResourceDefinition') {
      types.push({
        group: spec.group,
        versions: servedVersions(spec),
        kind: spec.names.kind,
        plural: spec.names.plural,
        namespaced: spec.scope === 'Namespaced',
      });
    } else if (o.kind === 'CompositeResourceDefinition') {
      const versions = servedVersions(spec);
      const isV2 = groupVersion(o.apiVersion).version === 'v2';
      const scope = spec.scope ?? (isV2 ? 'Namespaced' : 'LegacyCluster');
      types.push({
        group: spec.group,
        versions,
        kind: spec.names.kind,
        plural: spec.names.plural,
        namespaced: scope === 'Namespaced',
      });
      if (spec.claimNames) {
        types.push({
          group: spec.group,
          versions,
          kind: spec.claimNames.kind,
          plural: spec.claimNames.plural,
          namespaced: true,
        });
      }
    }
  }
  // any other object a test gives: its kind is served as the API server
  // would once its CRD (or built-in type) exists
  for (const o of objects) {
    const { group, version } = groupVersion(o.apiVersion);
    if (types.some(t => t.group === group && t.kind === o.kind)) continue;
    types.push({
      group,
      versions: [version],
      kind: o.kind,
      plural: pluralOf(o.kind),
      namespaced: Boolean(o.metadata.namespace),
    });
  }
  return types;
}

/** Lower-case plural the way Kubernetes code generators name resources. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** What the request handler answers: status code, body, addressed resource. */
type Answer = [number, unknown, string?];

/** A failure answer with a `Status` body as the API server writes it. */
function failure(
  code: number,
  reason: string,
  message: string,
  resource?: string,
): Answer {
  return [
    code,
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
    },
    resource,
  ];
}

/** A watch to start on the response instead of a JSON answer. */
class WatchStart {
  constructor(readonly filter: WatchFilter, readonly current: KubeObject[]) {}
}

/** A 404 for a path or resource type the server does not serve. */
const notFound = (resource?: string): Answer =>
  failure(
    404,
    'NotFound',
    'the server could not find the requested resource',
    resource,
  );

/**
 * What the API server adds on write: uid, creation time, and the XRD
 * `spec.scope` default of the version the object was written with
 * (`LegacyCluster` for v1, `Namespaced` for v2), as the Crossplane CRD
 * declares them.
 */
function withServerDefaults(o: KubeObject): KubeObject {
  const out: KubeObject = {
    ...o,
    metadata: {
      uid: randomUUID(),
      creationTimestamp: '2026-01-10T09:00:00Z',
      resourceVersion: '1',
      ...o.metadata,
    },
  };
  const spec = (o as any).spec;
  if (o.kind === 'CompositeResourceDefinition' && spec && !spec.scope) {
    out.spec = {
      ...spec,
      scope:
        groupVersion(o.apiVersion).version === 'v1'
          ? 'LegacyCluster'
          : 'Namespaced',
    };
  }
  return out;
}

/**
 * Starts a fake Kubernetes API server on loopback: discovery (`/api`,
 * `/apis`, `/apis/<group>/<version>`), get and list of namespaced and
 * cluster-scoped resources with label and field selectors, watches
 * (`?watch=1`: initial ADDED events or a replay from `resourceVersion`,
 * live changes made through `apply`/`remove`, bookmarks, 410 Gone after
 * `compact`), events, and a request log. Only GET is served; anything else
 * answers 405.
 * @public
 */
export async function startFakeKubernetes(
  options: FakeKubernetesOptions,
): Promise<FakeKubernetesServer> {
  const objects = options.objects.map(o => withServerDefaults(o));
  const requests: FakeRequestLogEntry[] = [];
  const typesServed = () => {
    const types = servedResourceTypes(objects);
    const extra = (options.extraTypes ?? []).filter(
      x => !types.some(t => t.group === x.group && t.kind === x.kind),
    );
    return [...types, ...extra];
  };
  const hub = new WatchHub();
  const indexOf = (
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
  ) =>
    objects.findIndex(
      o =>
        groupVersion(o.apiVersion).group === groupVersion(apiVersion).group &&
        o.kind === kind &&
        o.metadata.name === name &&
        (o.metadata.namespace ?? '') === (namespace ?? ''),
    );

  const handle = (req: http.IncomingMessage): Answer => {
    if (options.token) {
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        return failure(401, 'Unauthorized', 'Unauthorized');
      }
    }
    if (req.method !== 'GET') {
      return failure(405, 'MethodNotAllowed', 'the fake serves GET only');
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    const refused = options.refuse?.({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    if (refused) {
      return failure(refused, 'Forbidden', `refused by the test (${refused})`);
    }
    const parts = url.pathname.split('/').filter(Boolean);
    const types = typesServed();

    if (url.pathname === '/version') {
      return [200, { major: '1', minor: '33', gitVersion: 'v1.33.0-fake' }];
    }
    if (url.pathname === '/api') {
      return [200, { kind: 'APIVersions', versions: ['v1'] }];
    }
    if (url.pathname === '/apis') {
      const groups = new Map<string, string[]>();
      for (const t of types.filter(x => x.group)) {
        const vs = groups.get(t.group) ?? [];
        t.versions.forEach(v => !vs.includes(v) && vs.push(v));
        groups.set(t.group, vs);
      }
      return [
        200,
        {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [...groups].map(([name, vs]) => ({
            name,
            versions: vs.map(v => ({
              groupVersion: `${name}/${v}`,
              version: v,
            })),
            preferredVersion: {
              groupVersion: `${name}/${vs[0]}`,
              version: vs[0],
            },
          })),
        },
      ];
    }

    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else {
      return notFound();
    }
    const gvTypes = types.filter(
      t => t.group === group && t.versions.includes(version),
    );
    if (rest.length === 0) {
      if (gvTypes.length === 0) {
        return notFound();
      }
      return [
        200,
        {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: group ? `${group}/${version}` : version,
          resources: gvTypes.map(t => ({
            name: t.plural,
            singularName: t.kind.toLowerCase(),
            namespaced: t.namespaced,
            kind: t.kind,
            verbs: ['get', 'list', 'watch'],
          })),
        },
      ];
    }

    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, ...extra] = rest;
    const type = gvTypes.find(t => t.plural === plural);
    if (!type || extra.length > 0 || (namespace && !type.namespaced)) {
      return notFound(plural);
    }
    const apiVersion = group ? `${group}/${version}` : version;
    const ofType = objects
      .filter(
        o => groupVersion(o.apiVersion).group === group && o.kind === type.kind,
      )
      .filter(o => !namespace || o.metadata.namespace === namespace)
      .map(o => ({ ...o, apiVersion }));

    if (name) {
      const found = ofType.find(o => o.metadata.name === name);
      if (!found) {
        return failure(
          404,
          'NotFound',
          `${plural}.${group} "${name}" not found`,
          plural,
        );
      }
      return [200, found, plural];
    }
    let selected: (o: KubeObject) => boolean;
    try {
      const ls = url.searchParams.get('labelSelector');
      const labels = ls ? labelPredicate(ls) : () => true;
      const fs = url.searchParams.get('fieldSelector');
      const fields = fs ? fieldPredicate(fs) : () => true;
      selected = o => labels(o.metadata.labels) && fields(o);
    } catch (e) {
      if (e instanceof BadSelectorError) {
        return failure(400, 'BadRequest', e.message, plural);
      }
      throw e;
    }
    const items = ofType.filter(selected);
    if (['1', 'true'].includes(url.searchParams.get('watch') ?? '')) {
      const filter: WatchFilter = {
        apiVersion,
        kind: type.kind,
        matches: o =>
          groupVersion(o.apiVersion).group === group &&
          o.kind === type.kind &&
          (!namespace || o.metadata.namespace === namespace) &&
          selected(o),
      };
      return [200, new WatchStart(filter, items), plural];
    }
    return [
      200,
      {
        apiVersion,
        kind: `${type.kind}List`,
        metadata: { resourceVersion: hub.resourceVersion },
        items,
      },
      plural,
    ];
  };

  const apply = (obj: KubeObject) => {
    const at = indexOf(
      obj.apiVersion,
      obj.kind,
      obj.metadata.name,
      obj.metadata.namespace,
    );
    if (at < 0) {
      objects.push(hub.record('ADDED', withServerDefaults(obj)));
      return objects[objects.length - 1];
    }
    const kept = objects[at].metadata;
    objects[at] = hub.record('MODIFIED', {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: kept.uid,
        creationTimestamp: kept.creationTimestamp,
      },
    });
    return objects[at];
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (options.control && url.pathname.startsWith('/fake/')) {
      control(req, url.pathname, res);
      return;
    }
    let code: number;
    let body: unknown;
    let resource: string | undefined;
    try {
      [code, body, resource] = handle(req);
    } catch (e) {
      [code, body] = failure(500, 'InternalError', String(e));
    }
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: code,
      resource,
    });
    if (body instanceof WatchStart) {
      hub.open(res, body.filter, body.current, url.searchParams);
      return;
    }
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });

  /** The test-control routes (`control` option). */
  function control(
    req: http.IncomingMessage,
    path: string,
    res: http.ServerResponse,
  ) {
    const answer = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && path === '/fake/drop-watches') {
      hub.drop();
      answer(200, { dropped: true });
      return;
    }
    if (req.method !== 'PUT' || path !== '/fake/objects') {
      answer(404, { message: 'PUT /fake/objects or POST /fake/drop-watches' });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      let obj: KubeObject;
      try {
        obj = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        answer(400, { message: `the body is not JSON: ${e}` });
        return;
      }
      if (!obj?.apiVersion || !obj.kind || !obj.metadata?.name) {
        answer(400, {
          message: 'the object needs apiVersion, kind and metadata.name',
        });
        return;
      }
      answer(200, apply(obj));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    objects,
    resourceTypes: () => typesServed(),
    apply,
    remove: (apiVersion, kind, name, namespace) => {
      const at = indexOf(apiVersion, kind, name, namespace);
      if (at >= 0) hub.record('DELETED', objects.splice(at, 1)[0]);
      return at >= 0;
    },
    compact: () => hub.compact(),
    dropWatches: () => hub.drop(),
    openWatches: () => hub.openWatches,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(err => (err ? reject(err) : resolve()));
      }),
  };
}
