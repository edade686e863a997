import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';

/**
 * Props of {@link ArgoCdSyncStatus} and {@link ArgoCdHealthStatus}.
 * @public
 */
export interface ArgoCdStatusProps {
  /** The status as Argo CD reports it; absent when not known. */
  status?: string;
}

/**
 * Argo CD sync status (`Synced`, `OutOfSync`, `Unknown`) as a core-components status.
 * @public
 */
export function ArgoCdSyncStatus({ status }: ArgoCdStatusProps) {
  if (status === 'Synced') return <StatusOK>Synced</StatusOK>;
  if (status === 'OutOfSync') return <StatusWarning>OutOfSync</StatusWarning>;
  return <StatusAborted>{status || 'unknown'}</StatusAborted>;
}

/**
 * Argo CD health status as a core-components status, coloured as in the Argo CD
 * UI (`Missing` is a warning, `Degraded` an error).
 * @public
 */
export function ArgoCdHealthStatus({ status }: ArgoCdStatusProps) {
  switch (status) {
    case 'Healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'Progressing':
      return <StatusRunning>Progressing</StatusRunning>;
    case 'Degraded':
      return <StatusError>Degraded</StatusError>;
    case 'Suspended':
      return <StatusPending>Suspended</StatusPending>;
    case 'Missing':
      return <StatusWarning>Missing</StatusWarning>;
    default:
      return <StatusAborted>{status || 'unknown'}</StatusAborted>;
  }
}
