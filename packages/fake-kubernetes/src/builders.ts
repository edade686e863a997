import {
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
} from '@epicshelter/plugin-gitops-common';
import type { KubeObject } from './types';

/** A condition in the shape Crossplane writes. @public */
export interface FakeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message?: string;
  lastTransitionTime?: string;
}

const T0 = '2026-01-10T09:05:00Z';

/** `Ready=True/Available` and `Synced=True/ReconcileSuccess`. @public */
export function healthy(): FakeCondition[] {
  return [
    {
      type: 'Synced',
      status: 'True',
      reason: 'ReconcileSuccess',
      lastTransitionTime: T0,
    },
    {
      type: 'Ready',
      status: 'True',
      reason: 'Available',
      lastTransitionTime: T0,
    },
  ];
}

/** `Ready=False/Creating`, `Synced=True` (as recorded for an RDS DBCluster). @public */
export function creating(): FakeCondition[] {
  return [
    {
      type: 'Ready',
      status: 'False',
      reason: 'Creating',
      lastTransitionTime: T0,
    },
    {
      type: 'Synced',
      status: 'True',
      reason: 'ReconcileSuccess',
      lastTransitionTime: T0,
    },
  ];
}

/** `Synced=False/ReconcileError` with a message, Ready as given. @public */
export function reconcileError(
  message: string,
  ready: 'True' | 'False' = 'True',
): FakeCondition[] {
  return [
    {
      type: 'Ready',
      status: ready,
      reason: ready === 'True' ? 'Available' : 'Unavailable',
      lastTransitionTime: T0,
    },
    {
      type: 'Synced',
      status: 'False',
      reason: 'ReconcileError',
      message,
      lastTransitionTime: '2026-01-10T09:36:12Z',
    },
  ];
}

/** A reference to an object: apiVersion, kind, name. @public */
export interface FakeRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Reference to an object. @public */
export function refOf(o: KubeObject): FakeRef {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name };
}

/** Options shared by the builders. @public */
export interface FakeObjectOptions {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  conditions?: FakeCondition[];
}

/** Labels the GitOps generator puts on every Crossplane object it writes. @public */
export function epicshelterLabels(
  environment: string,
  resource: string,
  provider = 'aws',
): Record<string, string> {
  return {
    [LABEL_PART_OF]: 'epicshelter',
    [LABEL_ENVIRONMENT]: environment,
    [LABEL_RESOURCE]: resource,
    [LABEL_PROVIDER]: provider,
  };
}

/** apiVersion, kind and metadata (name, namespace, annotations) with `labels`. */
function head(
  o: FakeObjectOptions,
  labels: Record<string, string> | undefined,
) {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels,
      annotations: o.annotations,
    },
  };
}

/** The Composition selector by the `platform.epicshelter.io/provider` label. */
function providerSelector(provider = 'aws') {
  return { matchLabels: { [LABEL_PROVIDER]: provider } };
}

/** The labels Crossplane puts on what a claim owns (none without a claim). */
function claimLabels(claim?: {
  name: string;
  namespace: string;
}): Record<string, string> {
  return claim
    ? {
        'crossplane.io/claim-name': claim.name,
        'crossplane.io/claim-namespace': claim.namespace,
      }
    : {};
}

/**
 * A Crossplane v2 namespaced composite resource (XR) with
 * `spec.crossplane.resourceRefs`. Like Crossplane, labels it
 * `crossplane.io/composite: <own name>` unless `labels` carry the top-level
 * XR's name (a nested XR).
 * @public
 */
export function v2Composite(
  o: FakeObjectOptions & {
    spec?: Record<string, unknown>;
    composition: string;
    resourceRefs: FakeRef[];
    provider?: string;
  },
): KubeObject {
  return {
    ...head(o, { 'crossplane.io/composite': o.name, ...o.labels }),
    spec: {
      ...o.spec,
      crossplane: {
        compositionSelector: providerSelector(o.provider),
        compositionRef: { name: o.composition },
        compositionRevisionRef: { name: `${o.composition}-a1b2c3d` },
        compositionUpdatePolicy: 'Automatic',
        resourceRefs: o.resourceRefs.map(({ apiVersion, kind, name }) => ({
          apiVersion,
          kind,
          name,
        })),
      },
    },
    status: { conditions: o.conditions ?? healthy() },
  };
}

/**
 * A Crossplane v1 (legacy, cluster-scoped) composite with `spec.resourceRefs`
 * and, when bound to a claim, `spec.claimRef` and the claim labels.
 * @public
 */
export function v1Composite(
  o: FakeObjectOptions & {
    spec?: Record<string, unknown>;
    composition: string;
    resourceRefs: FakeRef[];
    claim?: FakeRef & { namespace: string };
    connectionSecret?: { name: string; namespace: string };
  },
): KubeObject {
  const labels = {
    'crossplane.io/composite': o.name,
    ...o.labels,
    ...claimLabels(o.claim),
  };
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.name, labels, annotations: o.annotations },
    spec: {
      ...o.spec,
      compositionRef: { name: o.composition },
      compositionRevisionRef: { name: `${o.composition}-e4f5a6b` },
      compositionUpdatePolicy: 'Automatic',
      ...(o.claim ? { claimRef: o.claim } : {}),
      ...(o.connectionSecret
        ? { writeConnectionSecretToRef: o.connectionSecret }
        : {}),
      resourceRefs: o.resourceRefs,
    },
    status: { conditions: o.conditions ?? healthy() },
  };
}

/**
 * A Crossplane v1 claim bound to a composite through `spec.resourceRef`.
 * @public
 */
export function v1Claim(
  o: FakeObjectOptions & {
    namespace: string;
    spec?: Record<string, unknown>;
    composite: FakeRef;
    connectionSecretName?: string;
    provider?: string;
  },
): KubeObject {
  return {
    ...head(o, o.labels),
    spec: {
      ...o.spec,
      compositionSelector: providerSelector(o.provider),
      resourceRef: o.composite,
      ...(o.connectionSecretName
        ? { writeConnectionSecretToRef: { name: o.connectionSecretName } }
        : {}),
    },
    status: { conditions: o.conditions ?? healthy() },
  };
}

/**
 * A managed resource composed under the top-level XR `composite` (labelled
 * `crossplane.io/composite`, which Crossplane sets to the top-level XR's name
 * on nested composed resources too), namespaced when `namespace` is given (v2,
 * `*.m.*` group) or cluster-scoped (legacy).
 * @public
 */
export function managed(
  o: FakeObjectOptions & {
    composite: string;
    claim?: { name: string; namespace: string };
    externalName?: string;
    providerConfig?: string;
    forProvider?: Record<string, unknown>;
    atProvider?: Record<string, unknown>;
    connectionSecretName?: string;
  },
): KubeObject {
  const labels = {
    ...o.labels,
    'crossplane.io/composite': o.composite,
    ...claimLabels(o.claim),
  };
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: {
      name: o.name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      labels,
      annotations: {
        'crossplane.io/composition-resource-name': o.kind.toLowerCase(),
        ...(o.externalName
          ? { 'crossplane.io/external-name': o.externalName }
          : {}),
        ...o.annotations,
      },
    },
    spec: {
      forProvider: o.forProvider ?? {},
      managementPolicies: ['*'],
      providerConfigRef: o.namespace
        ? { kind: 'ClusterProviderConfig', name: o.providerConfig ?? 'default' }
        : { name: o.providerConfig ?? 'default' },
      ...(o.connectionSecretName
        ? {
            writeConnectionSecretToRef: o.namespace
              ? { name: o.connectionSecretName }
              : {
                  name: o.connectionSecretName,
                  namespace: 'crossplane-system',
                },
          }
        : {}),
    },
    status: {
      atProvider: o.atProvider ?? {},
      conditions: o.conditions ?? healthy(),
    },
  };
}

/**
 * A minimal CustomResourceDefinition making a managed resource kind served.
 * @public
 */
export function managedCrd(
  group: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  version = 'v1beta1',
): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: {
        kind,
        plural,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
      },
      scope: namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        },
      ],
    },
  };
}

/** A Kubernetes event about an object. @public */
export function event(
  about: KubeObject,
  e: {
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    count?: number;
  },
  index = 0,
): KubeObject {
  const ns = about.metadata.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${about.metadata.name}.${(1000 + index).toString(16)}`,
      namespace: ns,
    },
    involvedObject: {
      apiVersion: about.apiVersion,
      kind: about.kind,
      name: about.metadata.name,
      ...(about.metadata.namespace
        ? { namespace: about.metadata.namespace }
        : {}),
    },
    type: e.type,
    reason: e.reason,
    message: e.message,
    count: e.count ?? 1,
    firstTimestamp: '2026-01-10T09:05:00Z',
    lastTimestamp: '2026-01-10T09:36:12Z',
    source: { component: 'managed/crossplane' },
  };
}
