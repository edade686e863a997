import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  CrossplaneNode,
  DesiredLiveStatus,
} from '@epicshelter/plugin-crossplane-common';
import {
  describeCondition,
  firstFailingCondition,
} from '@epicshelter/plugin-crossplane-common';

/** Ready/Synced status as a core-components status label. */
export function ConditionStatus(props: { label: string; value: string }) {
  const text = `${props.label}: ${props.value}`;
  if (props.value === 'True') return <StatusOK>{text}</StatusOK>;
  if (props.value === 'False') return <StatusError>{text}</StatusError>;
  return <StatusPending>{text}</StatusPending>;
}

/** Short problem description of a node, if any. */
export function nodeProblem(node: CrossplaneNode): string | undefined {
  if (node.problem) return node.problem;
  if (node.ready === 'True' && node.synced !== 'False') return undefined;
  const c = firstFailingCondition(node.conditions);
  return c ? describeCondition(c) : 'No conditions reported yet';
}

const LABELS: Record<DesiredLiveStatus, string> = {
  ready: 'Ready',
  failing: 'Not ready',
  'not-created': 'Not yet created',
  'not-declared': 'Live, no longer declared',
  unknown: 'Declared (live state unknown)',
};

/** Desired-vs-live verdict as a status label. */
export function DesiredLiveStatusLabel(props: { status: DesiredLiveStatus }) {
  const text = LABELS[props.status];
  switch (props.status) {
    case 'ready':
      return <StatusOK>{text}</StatusOK>;
    case 'failing':
      return <StatusError>{text}</StatusError>;
    case 'not-declared':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusPending>{text}</StatusPending>;
  }
}
