import { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';

/** A status never breaks inside its word, however narrow its column. */
const OneLine = ({ children }: { children: ReactNode }) => (
  <span style={{ whiteSpace: 'nowrap' }}>{children}</span>
);

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
  return <OneLine>{syncStatus(status)}</OneLine>;
}

function syncStatus(status?: string) {
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
  return <OneLine>{healthStatus(status)}</OneLine>;
}

function healthStatus(status?: string) {
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
