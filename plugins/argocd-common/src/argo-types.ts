/*
 * The subset of Argo CD's REST types (swagger definitions `v1alpha1*`) that
 * the portal reads. Field names and nesting follow Argo CD's swagger.json.
 */

/** Kubernetes object metadata as Argo CD returns it (`v1ObjectMeta`). @public */
export interface ArgoCdObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  /** Set when the object's deletion was requested (it waits for its finalizers). */
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{
    apiVersion?: string;
    kind?: string;
    name?: string;
    uid?: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
}

/** `v1alpha1ApplicationSource`. @public */
export interface ArgoCdApplicationSource {
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  ref?: string;
  name?: string;
  /** `v1alpha1ApplicationSourceHelm` (the fields the portal may show). */
  helm?: {
    valueFiles?: string[];
    releaseName?: string;
    values?: string;
    parameters?: Array<{ name?: string; value?: string }>;
  };
}

/** `v1alpha1ApplicationDestination`. @public */
export interface ArgoCdApplicationDestination {
  server?: string;
  namespace?: string;
  name?: string;
}

/** `v1alpha1HealthStatus` (application or resource). @public */
export interface ArgoCdHealthStatus {
  status?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** `v1alpha1RevisionHistory`. @public */
export interface ArgoCdRevisionHistory {
  id?: number;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  source?: ArgoCdApplicationSource;
  sources?: ArgoCdApplicationSource[];
  initiatedBy?: { username?: string; automated?: boolean };
}

/** `v1alpha1ApplicationCondition`. @public */
export interface ArgoCdApplicationCondition {
  type?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** `v1alpha1ResourceStatus`. @public */
export interface ArgoCdResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: string;
  health?: ArgoCdHealthStatus;
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
}

/** `v1alpha1OperationState`. @public */
export interface ArgoCdOperationState {
  operation?: {
    sync?: {
      revision?: string;
      revisions?: string[];
      prune?: boolean;
      dryRun?: boolean;
      syncStrategy?: {
        hook?: { force?: boolean };
        apply?: { force?: boolean };
      };
    };
    initiatedBy?: { username?: string; automated?: boolean };
    retry?: { limit?: number };
  };
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  retryCount?: number;
  syncResult?: {
    revision?: string;
    revisions?: string[];
    source?: ArgoCdApplicationSource;
    sources?: ArgoCdApplicationSource[];
    resources?: Array<{
      group?: string;
      version?: string;
      kind?: string;
      namespace?: string;
      name?: string;
      status?: string;
      message?: string;
      hookPhase?: string;
      syncPhase?: string;
    }>;
  };
}

/** `v1alpha1Application`. @public */
export interface ArgoCdApplication {
  metadata?: ArgoCdObjectMeta;
  spec?: {
    project?: string;
    source?: ArgoCdApplicationSource;
    sources?: ArgoCdApplicationSource[];
    destination?: ArgoCdApplicationDestination;
    syncPolicy?: {
      automated?: { prune?: boolean; selfHeal?: boolean };
      syncOptions?: string[];
      retry?: {
        limit?: number;
        backoff?: { duration?: string; factor?: number; maxDuration?: string };
      };
    };
  };
  status?: {
    sync?: {
      status?: string;
      revision?: string;
      revisions?: string[];
      comparedTo?: {
        source?: ArgoCdApplicationSource;
        sources?: ArgoCdApplicationSource[];
        destination?: ArgoCdApplicationDestination;
      };
    };
    health?: ArgoCdHealthStatus;
    history?: ArgoCdRevisionHistory[];
    conditions?: ArgoCdApplicationCondition[];
    reconciledAt?: string;
    operationState?: ArgoCdOperationState;
    resources?: ArgoCdResourceStatus[];
    sourceType?: string;
    sourceTypes?: string[];
    controllerNamespace?: string;
    summary?: { images?: string[]; externalURLs?: string[] };
  };
  operation?: ArgoCdOperationState['operation'];
}

/** `v1alpha1ApplicationList`. @public */
export interface ArgoCdApplicationList {
  metadata?: { resourceVersion?: string };
  items?: ArgoCdApplication[];
}

/** `v1alpha1ResourceNode` (entry of an application's resource tree). @public */
export interface ArgoCdResourceNode {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  parentRefs?: Array<{
    group?: string;
    kind?: string;
    namespace?: string;
    name?: string;
    uid?: string;
  }>;
  health?: ArgoCdHealthStatus;
  info?: Array<{ name?: string; value?: string }>;
  createdAt?: string;
  resourceVersion?: string;
  images?: string[];
}

/** `v1alpha1ApplicationTree`. @public */
export interface ArgoCdApplicationTree {
  nodes?: ArgoCdResourceNode[];
  orphanedNodes?: ArgoCdResourceNode[];
}

/** `v1alpha1RevisionMetadata`. @public */
export interface ArgoCdRevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
  signatureInfo?: string;
}

/** `v1alpha1ApplicationSetCondition` (ErrorOccurred, ParametersGenerated, ResourcesUpToDate, RolloutProgressing). @public */
export interface ArgoCdApplicationSetCondition {
  type?: string;
  status?: string;
  message?: string;
  reason?: string;
  lastTransitionTime?: string;
}

/** `v1alpha1ApplicationSet` (the parts the portal shows). @public */
export interface ArgoCdApplicationSet {
  metadata?: ArgoCdObjectMeta;
  spec?: {
    generators?: Array<Record<string, unknown>>;
    goTemplate?: boolean;
    goTemplateOptions?: string[];
    template?: {
      metadata?: ArgoCdObjectMeta;
      spec?: ArgoCdApplication['spec'];
    };
  };
  status?: {
    conditions?: ArgoCdApplicationSetCondition[];
    resources?: Array<{
      group?: string;
      version?: string;
      kind?: string;
      name?: string;
      namespace?: string;
      status?: string;
      health?: ArgoCdHealthStatus;
    }>;
  };
}

/** `runtimeError`, the body of every Argo CD API error. @public */
export interface ArgoCdRuntimeError {
  code?: number;
  error?: string;
  message?: string;
}
