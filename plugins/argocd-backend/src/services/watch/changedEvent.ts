import type { ArgoCdApplicationChangedEvent } from '@epicshelter/plugin-argocd-common';
import type { ApplicationChange } from './applicationView';

const FAILED_PHASES = new Set(['Failed', 'Error']);

/**
 * The events-service payload of one application change: what listeners
 * need to react (identity, labels, sync, health, operation), not the
 * whole object.
 */
export function applicationChangedEvent(
  instance: string,
  { type, application }: ApplicationChange,
): ArgoCdApplicationChangedEvent {
  const status = application.status;
  const operation = status?.operationState;
  return {
    type,
    instance,
    namespace: application.metadata?.namespace ?? '',
    name: application.metadata?.name ?? '',
    labels: { ...application.metadata?.labels },
    ...(status?.sync?.status ? { syncStatus: status.sync.status } : {}),
    ...(status?.health?.status ? { healthStatus: status.health.status } : {}),
    ...(operation?.phase ? { operationPhase: operation.phase } : {}),
    ...(operation?.phase &&
    FAILED_PHASES.has(operation.phase) &&
    operation.message
      ? { operationMessage: operation.message }
      : {}),
  };
}
