/**
 * What a Crossplane object is doing, in Crossplane's own terms:
 * `healthy` (Ready/Available, package Installed and Healthy), `progressing`
 * (Creating, waiting for readiness, unpacking a package), `paused`
 * (`crossplane.io/paused` or ReconcilePaused), `deleting` (deletion
 * requested or reason Deleting), `failing` (ReconcileError, Unavailable,
 * an unhealthy package, a missing object) or `unknown` (nothing reported).
 * @public
 */
export type CrossplaneHealth =
  | 'healthy'
  | 'progressing'
  | 'paused'
  | 'deleting'
  | 'failing'
  | 'unknown';

/**
 * The classified status of one object: its health, the reason that decided
 * it and a one-line description (`Type=Status (Reason): message` when a
 * condition decided it).
 * @public
 */
export interface CrossplaneStatus {
  health: CrossplaneHealth;
  reason?: string;
  message?: string;
}

/**
 * A status condition as Crossplane writes it.
 * @public
 */
export interface CrossplaneCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The role of an object in a Crossplane tree.
 * `secret` is a Secret a composite composes or a resource writes its
 * connection details to: shown by name only, never read.
 * `provider-config` is the ProviderConfig (or ClusterProviderConfig) a
 * managed resource uses, `provider` the package that serves it and
 * `package-revision` the provider's current revision.
 * `unknown` is a reference whose kind the cluster does not serve (CRD
 * missing) or that could not be read; `missing` is a reference whose kind
 * is served but whose object does not exist (yet).
 * @public
 */
export type CrossplaneNodeRole =
  | 'claim'
  | 'composite'
  | 'managed'
  | 'secret'
  | 'provider-config'
  | 'provider'
  | 'package-revision'
  | 'unknown'
  | 'missing';

/**
 * One object of a Crossplane tree.
 * @public
 */
export interface CrossplaneNode {
  /** Stable id: `<cluster>:<apiVersion>:<kind>:<namespace>:<name>`. */
  id: string;
  cluster: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  role: CrossplaneNodeRole;
  /** `v1` for claims/cluster-scoped XRs and legacy MRs, `v2` for namespaced ones. */
  crossplaneVersion?: 'v1' | 'v2';
  /** Why a node is `unknown` or `missing`. */
  problem?: string;
  conditions: CrossplaneCondition[];
  ready: 'True' | 'False' | 'Unknown';
  synced: 'True' | 'False' | 'Unknown';
  /** Health classified from conditions, deletion and pause (see `classifyStatus`). */
  status: CrossplaneStatus;
  /** `metadata.deletionTimestamp`, when deletion was requested. */
  deletionTimestamp?: string;
  labels: Record<string, string>;
  /** The `epicshelter.io/resource` label. */
  resourceName?: string;
  externalName?: string;
  providerConfig?: { kind?: string; name: string };
  composition?: { name?: string; revision?: string; updatePolicy?: string };
  /** Connection secret reference, by name only; its data is never read. */
  connectionSecret?: { name: string; namespace?: string };
  createdAt?: string;
}

/**
 * Edge parent → child in a Crossplane tree.
 * @public
 */
export interface CrossplaneEdge {
  from: string;
  to: string;
}

/**
 * What one cluster returned.
 * @public
 */
export interface CrossplaneClusterResult {
  cluster: string;
  title?: string;
  /** Set when the cluster could not be queried. */
  error?: { name: string; message: string };
  nodes: CrossplaneNode[];
  edges: CrossplaneEdge[];
  /** Ids of the root nodes (claims and top-level XRs). */
  roots: string[];
  /** Kubernetes API requests made to build this result (0 when served from cache). */
  requestCount: number;
}

/**
 * A claim or XR the GitOps repository declares for an environment.
 * @public
 */
export interface DesiredResource {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  resourceName?: string;
  provider?: string;
  /** Path of the file in the GitOps repository. */
  path: string;
}

/**
 * Desired vs live verdict of one resource.
 * @public
 */
export type DesiredLiveStatus =
  | 'ready'
  | 'failing'
  | 'not-created'
  | 'not-declared'
  | 'unknown';

/**
 * One line of the desired vs live comparison.
 * @public
 */
export interface DesiredLiveEntry {
  kind: string;
  name: string;
  namespace?: string;
  resourceName?: string;
  status: DesiredLiveStatus;
  /**
   * Health of the live object (progressing, paused, deleting, ...), when
   * there is one: `failing` entries that are only being created are
   * `progressing` here.
   */
  state?: CrossplaneHealth;
  /** The reason that decided the live object's health (e.g. `Creating`). */
  reason?: string;
  /** First failing condition, or why the status is unknown. */
  message?: string;
  desired?: DesiredResource;
  /** Id of the live node, when found. */
  liveNodeId?: string;
  cluster?: string;
}

/**
 * Response of `GET /entity/:kind/:namespace/:name/resources`.
 * @public
 */
export interface CrossplaneResourcesResponse {
  entityRef: string;
  environment?: string;
  selector: string;
  namespace?: string;
  /** True when the data comes from a sandbox (fake) Kubernetes API. */
  sandbox: boolean;
  /** False when no cluster is configured: only the desired side is shown. */
  liveAvailable: boolean;
  clusters: CrossplaneClusterResult[];
  desired: {
    source?: string;
    error?: string;
    resources: DesiredResource[];
  };
  comparison: DesiredLiveEntry[];
  /**
   * Whether the caller may view the YAML of nodes (permission
   * `crossplane.resources.yaml.read`); it is fetched per node from
   * `GET .../yaml?node=<id>`.
   */
  yamlAllowed: boolean;
}

/**
 * A Kubernetes event about one of the nodes.
 * @public
 */
export interface CrossplaneEvent {
  nodeId: string;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  source?: string;
}

/**
 * Response of `GET /entity/:kind/:namespace/:name/events`.
 * @public
 */
export interface CrossplaneEventsResponse {
  events: CrossplaneEvent[];
  errors: { cluster: string; message: string }[];
}

/**
 * Response of `GET /entity/:kind/:namespace/:name/yaml?node=<id>`: one
 * object of the entity's trees as YAML, credential-looking fields redacted,
 * `managedFields` dropped.
 * @public
 */
export interface CrossplaneYamlResponse {
  nodeId: string;
  yaml: string;
}
