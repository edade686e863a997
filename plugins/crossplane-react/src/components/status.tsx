import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  CrossplaneHealth,
  CrossplaneNode,
  CrossplaneNodeRole,
  CrossplaneStatus,
  DesiredLiveEntry,
  DesiredLiveStatus,
} from '@epicshelter/plugin-crossplane-common';
import { classifyStatus } from '@epicshelter/plugin-crossplane-common';

/** Ready/Synced status as a core-components status label. */
export function ConditionStatus(props: { label: string; value: string }) {
  const text = `${props.label}: ${props.value}`;
  if (props.value === 'True') return <StatusOK>{text}</StatusOK>;
  if (props.value === 'False') return <StatusError>{text}</StatusError>;
  return <StatusPending>{text}</StatusPending>;
}

/** A condition shown as a badge on a node: its type and status. */
export interface NodeBadge {
  label: string;
  value: string;
}

const PACKAGE_CONDITIONS = ['Installed', 'Healthy'];

/**
 * The conditions a node's badges and table columns show, as Crossplane
 * writes them for its kind: Ready and Synced for claims, XRs and managed
 * resources; Installed and Healthy (those it has) for providers and
 * package revisions; none for ProviderConfigs, Secrets and objects that
 * are missing or unreadable, which have no conditions (a "Ready Unknown"
 * there would read as a problem that is not one).
 */
export function nodeBadges(node: CrossplaneNode): NodeBadge[] {
  if (node.role === 'provider' || node.role === 'package-revision') {
    const found = PACKAGE_CONDITIONS.flatMap(type => {
      const c = node.conditions.find(x => x.type === type);
      return c ? [{ label: type, value: c.status }] : [];
    });
    return found.length > 0 ? found : [{ label: 'Healthy', value: 'Unknown' }];
  }
  if (
    node.conditions.length === 0 &&
    node.role !== 'claim' &&
    node.role !== 'composite' &&
    node.role !== 'managed'
  ) {
    return [];
  }
  return [
    { label: 'Ready', value: node.ready },
    { label: 'Synced', value: node.synced },
  ];
}

/** The node's classified status (computed here for responses of older backends). */
export function statusOf(node: CrossplaneNode): CrossplaneStatus {
  return node.status ?? classifyStatus({ conditions: node.conditions });
}

/** How each health reads. */
export const HEALTH_LABELS: Record<CrossplaneHealth, string> = {
  healthy: 'Healthy',
  progressing: 'Progressing',
  paused: 'Paused',
  deleting: 'Deleting',
  failing: 'Failing',
  unknown: 'Unknown',
};

/** Health and its reason in one line, e.g. `Progressing · Creating`. */
export function healthText(health: CrossplaneHealth, reason?: string): string {
  const label = HEALTH_LABELS[health];
  return reason && reason !== label ? `${label} · ${reason}` : label;
}

/** A health as a core-components status label, with its reason. */
export function HealthLabel(props: {
  health: CrossplaneHealth;
  reason?: string;
}) {
  const text = healthText(props.health, props.reason);
  switch (props.health) {
    case 'healthy':
      return <StatusOK>{text}</StatusOK>;
    case 'progressing':
      return <StatusRunning>{text}</StatusRunning>;
    case 'paused':
      return <StatusAborted>{text}</StatusAborted>;
    case 'deleting':
      return <StatusWarning>{text}</StatusWarning>;
    case 'failing':
      return <StatusError>{text}</StatusError>;
    default:
      return <StatusPending>{text}</StatusPending>;
  }
}

/** What is wrong with or happening to a node, if anything (its full message). */
export function nodeProblem(node: CrossplaneNode): string | undefined {
  if (node.problem) return node.problem;
  const status = statusOf(node);
  return status.health === 'healthy' ? undefined : status.message;
}

/** How each role reads. */
export const ROLE_LABELS: Record<CrossplaneNodeRole, string> = {
  claim: 'claim',
  composite: 'composite',
  managed: 'managed',
  secret: 'secret (not read)',
  'provider-config': 'provider config',
  provider: 'provider',
  'package-revision': 'package revision',
  unknown: 'unknown kind',
  missing: 'missing',
};

const LABELS: Record<DesiredLiveStatus, string> = {
  ready: 'Ready',
  failing: 'Not ready',
  'not-created': 'Not yet created',
  'not-declared': 'Live, no longer declared',
  unknown: 'Declared (live state unknown)',
};

/**
 * Desired-vs-live verdict as a status label: a declared resource that is
 * live reads as its health (progressing, paused, deleting, failing) with
 * the reason; a live one whose desired state could not be read says so.
 */
export function DesiredLiveStatusLabel(props: { entry: DesiredLiveEntry }) {
  const { status, state, reason } = props.entry;
  if (status === 'unknown' && !props.entry.desired) {
    return (
      <StatusPending>
        Desired state unavailable
        {state ? ` · live ${healthText(state, reason).toLowerCase()}` : ''}
      </StatusPending>
    );
  }
  if (status === 'failing' && state) {
    return <HealthLabel health={state} reason={reason} />;
  }
  const text = LABELS[status];
  switch (status) {
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

/**
 * Style of a long message: line breaks kept, wraps between words (a word
 * longer than the line breaks only as a last resort).
 */
export const messageStyle = {
  whiteSpace: 'pre-wrap',
  wordBreak: 'normal',
  overflowWrap: 'break-word',
} as const;

/** A table cell holding a long message: {@link messageStyle}, never a narrow column. */
export const messageCellStyle = { ...messageStyle, minWidth: 320 } as const;
