import type { KubeObject } from './kubeObjects';
import type { WatchEvent } from './KubernetesApiClient';

/** A resource type an index lists and watches cluster-wide. */
export interface WatchedKind {
  group: string;
  version: string;
  kind: string;
  plural: string;
}

/** One object added, changed or deleted, as the index saw it. */
export interface ObjectChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

/** The version a watch asked to resume from is gone (HTTP 410): list again. */
export class ResourceVersionGone extends Error {
  name = 'ResourceVersionGone';
}

/** The server ended a watch with another ERROR event: list again after a pause. */
export class WatchErrorEvent extends Error {
  name = 'WatchErrorEvent';
}

/** Key of a kind in an index: group, version and plural. */
export function kindKey(k: WatchedKind): string {
  return `${k.group}/${k.version}/${k.plural}`;
}

/** Key of an object within its kind: namespace and name. */
export function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Keeps what a tree reads; managedFields can be most of an object. */
export function slim(o: KubeObject, k: WatchedKind): KubeObject {
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

/**
 * Applies one watch event to a kind's objects (keyed by {@link objectKey}).
 * Returns the resourceVersion to resume from and the change made, if any
 * (a bookmark moves the version only). An ERROR event throws: 410 as
 * {@link ResourceVersionGone}, anything else as {@link WatchErrorEvent};
 * either way the kind is listed again.
 */
export function applyWatchEvent(
  objects: Map<string, KubeObject>,
  event: WatchEvent,
  kind: WatchedKind,
): { resourceVersion?: string; change?: ObjectChange } {
  if (event.type === 'ERROR') {
    if (event.object?.code === 410) {
      throw new ResourceVersionGone(String(event.object?.message ?? '410'));
    }
    throw new WatchErrorEvent(
      `watch error ${event.object?.code}: ${event.object?.message}`,
    );
  }
  const resourceVersion: string | undefined =
    event.object?.metadata?.resourceVersion;
  if (event.type === 'BOOKMARK') return { resourceVersion };
  const object = slim(event.object as KubeObject, kind);
  const key = objectKey(object);
  if (event.type === 'DELETED') {
    const had = objects.delete(key);
    return {
      resourceVersion,
      change: had ? { type: 'DELETED', object } : undefined,
    };
  }
  const previous = objects.get(key);
  objects.set(key, object);
  if (
    previous &&
    previous.metadata.resourceVersion !== undefined &&
    previous.metadata.resourceVersion === object.metadata.resourceVersion
  ) {
    return { resourceVersion };
  }
  return {
    resourceVersion,
    change: { type: previous ? 'MODIFIED' : 'ADDED', object },
  };
}

/**
 * What changed between a kind's objects before and after a list (a relist
 * after a broken or expired watch): the changes the watch missed.
 */
export function diffObjects(
  before: Map<string, KubeObject>,
  after: Map<string, KubeObject>,
): ObjectChange[] {
  const changes: ObjectChange[] = [];
  for (const [key, object] of after) {
    const previous = before.get(key);
    if (!previous) changes.push({ type: 'ADDED', object });
    else if (
      previous.metadata.resourceVersion !== object.metadata.resourceVersion
    ) {
      changes.push({ type: 'MODIFIED', object });
    }
  }
  for (const [key, object] of before) {
    if (!after.has(key)) changes.push({ type: 'DELETED', object });
  }
  return changes;
}
