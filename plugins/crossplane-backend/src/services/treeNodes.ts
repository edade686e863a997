import {
  ANNOTATION_PAUSED,
  CrossplaneNode,
  LABEL_RESOURCE,
  classifyStatus,
  conditionsOf,
  readySynced,
} from '@epicshelter/plugin-crossplane-common';
import type { KubeObject, ObjectRef } from './kubeObjects';
import { splitApiVersion } from './kubePaths';

/** The id of an object's node: cluster, group/kind, namespace and name. */
export function nodeId(
  clusterName: string,
  group: string,
  kind: string,
  namespace: string | undefined,
  name: string,
) {
  return `${clusterName}:${group}/${kind}:${namespace ?? ''}:${name}`;
}

/** How the status of an object of a role is classified. */
function statusKindOf(
  role: CrossplaneNode['role'],
): 'resource' | 'package' | 'provider-config' {
  if (role === 'provider' || role === 'package-revision') return 'package';
  if (role === 'provider-config') return 'provider-config';
  return 'resource';
}

/** The node of an object read from the cluster: status, composition, connection secret, provider config. */
export function toNode(
  clusterName: string,
  obj: KubeObject,
  role: CrossplaneNode['role'],
  crossplaneVersion: 'v1' | 'v2',
): CrossplaneNode {
  const { group } = splitApiVersion(obj.apiVersion);
  const conditions = conditionsOf(obj.status);
  const spec = obj.spec ?? {};
  const xp =
    crossplaneVersion === 'v2' && role === 'composite'
      ? spec.crossplane ?? {}
      : spec;
  const connection =
    xp.writeConnectionSecretToRef ?? spec.writeConnectionSecretToRef;
  const labels = obj.metadata.labels ?? {};
  const node: CrossplaneNode = {
    id: nodeId(
      clusterName,
      group,
      obj.kind,
      obj.metadata.namespace,
      obj.metadata.name,
    ),
    cluster: clusterName,
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    namespace: obj.metadata.namespace,
    uid: obj.metadata.uid,
    role,
    crossplaneVersion,
    conditions,
    ...readySynced(conditions),
    status: classifyStatus({
      conditions,
      deletionTimestamp: obj.metadata.deletionTimestamp,
      paused: obj.metadata.annotations?.[ANNOTATION_PAUSED] === 'true',
      kind: statusKindOf(role),
    }),
    labels,
    resourceName: labels[LABEL_RESOURCE],
    createdAt: obj.metadata.creationTimestamp,
  };
  if (obj.metadata.deletionTimestamp) {
    node.deletionTimestamp = obj.metadata.deletionTimestamp;
  }
  const externalName =
    obj.metadata.annotations?.['crossplane.io/external-name'];
  if (externalName) node.externalName = externalName;
  if (spec.providerConfigRef?.name) {
    node.providerConfig = {
      kind: spec.providerConfigRef.kind,
      name: spec.providerConfigRef.name,
    };
  }
  if (xp.compositionRef?.name || xp.compositionRevisionRef?.name) {
    node.composition = {
      name: xp.compositionRef?.name,
      revision: xp.compositionRevisionRef?.name,
      updatePolicy: xp.compositionUpdatePolicy,
    };
  }
  if (connection?.name) {
    node.connectionSecret = {
      name: connection.name,
      namespace: connection.namespace ?? obj.metadata.namespace,
    };
  }
  return node;
}

/** A node for a reference whose object is not (or cannot be) read. */
export function placeholderNode(
  clusterName: string,
  ref: ObjectRef,
  role: 'unknown' | 'missing' | 'secret',
  problem?: string,
): CrossplaneNode {
  const { group } = splitApiVersion(ref.apiVersion);
  const status: CrossplaneNode['status'] = {
    unknown: {
      health: 'unknown' as const,
      reason: 'KindNotServed',
      message: problem,
    },
    missing: {
      health: 'failing' as const,
      reason: 'NotFound',
      message: problem,
    },
    secret: {
      health: 'unknown' as const,
      reason: 'NotRead',
      message: 'A Secret: shown by name only, its data is never read',
    },
  }[role];
  return {
    id: nodeId(clusterName, group, ref.kind, ref.namespace, ref.name),
    cluster: clusterName,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    name: ref.name,
    namespace: ref.namespace,
    role,
    ...(problem ? { problem } : {}),
    conditions: [],
    ready: 'Unknown',
    synced: 'Unknown',
    status,
    labels: {},
  };
}
