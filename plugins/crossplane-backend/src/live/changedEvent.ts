import type { CrossplaneResourceChangedEvent } from '@epicshelter/plugin-crossplane-common';
import type { ObjectChange } from '../services/watchEvents';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/**
 * The events-service payload of one object change: identity, labels and
 * the Ready/Synced conditions, nothing else of the object (no spec, no
 * annotations, no connection details).
 */
export function toChangedEvent(
  cluster: string,
  change: ObjectChange,
): CrossplaneResourceChangedEvent {
  const { object } = change;
  const conditions: Condition[] = Array.isArray(object.status?.conditions)
    ? object.status!.conditions
    : [];
  const status = (type: string) =>
    conditions.find(c => c.type === type)?.status;
  const failing = conditions.find(c => c.status !== 'True');
  const event: CrossplaneResourceChangedEvent = {
    type: change.type,
    cluster,
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    labels: { ...(object.metadata.labels ?? {}) },
  };
  if (object.metadata.namespace) event.namespace = object.metadata.namespace;
  const ready = status('Ready');
  const synced = status('Synced');
  if (ready) event.ready = ready;
  if (synced) event.synced = synced;
  if (failing?.reason) event.reason = failing.reason;
  if (failing?.message) event.message = failing.message;
  return event;
}
