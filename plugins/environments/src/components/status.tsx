import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  LifecycleStepState,
  RevisionComparison,
} from '@epicshelter/plugin-environments-common';
import { describeRevision } from '@epicshelter/plugin-environments-common';

/** Argo CD sync status with a colour. */
export function SyncStatus({ value }: { value?: string }) {
  if (!value) return <StatusAborted>unknown</StatusAborted>;
  if (value === 'Synced') return <StatusOK>{value}</StatusOK>;
  if (value === 'OutOfSync') return <StatusWarning>{value}</StatusWarning>;
  return <StatusAborted>{value}</StatusAborted>;
}

/** Argo CD health status with a colour. */
export function HealthStatus({ value }: { value?: string }) {
  switch (value) {
    case 'Healthy':
      return <StatusOK>{value}</StatusOK>;
    case 'Progressing':
      return <StatusRunning>{value}</StatusRunning>;
    case 'Degraded':
    case 'Missing':
      return <StatusError>{value}</StatusError>;
    case 'Suspended':
      return <StatusPending>{value}</StatusPending>;
    default:
      return <StatusAborted>{value ?? 'unknown'}</StatusAborted>;
  }
}

/** A revision compared with the head of the GitOps branch. */
export function RevisionStatus({ value }: { value?: RevisionComparison }) {
  if (!value) return <StatusAborted>not compared</StatusAborted>;
  const text = describeRevision(value);
  switch (value.status) {
    case 'in-sync':
      return <StatusOK>{text}</StatusOK>;
    case 'behind':
      return <StatusWarning>{text}</StatusWarning>;
    case 'ahead':
    case 'diverged':
      return <StatusError>{text}</StatusError>;
    default:
      return <StatusAborted>{text}</StatusAborted>;
  }
}

/** A lifecycle step state. */
export function StepState({ value }: { value: LifecycleStepState }) {
  switch (value) {
    case 'done':
      return <StatusOK>done</StatusOK>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    case 'pending':
      return <StatusPending>pending</StatusPending>;
    case 'skipped':
      return <StatusAborted>skipped</StatusAborted>;
    default:
      return <StatusWarning>unknown</StatusWarning>;
  }
}

/** Short SHA. */
export const shortSha = (sha?: string) => (sha ? sha.slice(0, 7) : '—');
