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

/**
 * The text of a status label; with `oneLine` it stays on one line and ends
 * in an ellipsis where the column is narrower (the label's title holds the
 * full text). A status label is a flex row, so the text is a flex item that
 * may shrink.
 */
function labelProps(text: string, oneLine?: boolean) {
  return oneLine
    ? {
        title: text,
        // the table's text size, not body1
        variant: 'body2' as const,
        children: (
          <span
            style={{
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              minWidth: 0,
            }}
          >
            {text}
          </span>
        ),
      }
    : { children: text };
}

/** Ready/Synced status as a core-components status label. */
export function ConditionStatus(props: {
  label: string;
  value: string;
  oneLine?: boolean;
}) {
  const label = labelProps(`${props.label}: ${props.value}`, props.oneLine);
  if (props.value === 'True') return <StatusOK {...label} />;
  if (props.value === 'False') return <StatusError {...label} />;
  return <StatusPending {...label} />;
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
  /** On one line, with an ellipsis where the column is narrower. */
  oneLine?: boolean;
}) {
  const label = labelProps(
    healthText(props.health, props.reason),
    props.oneLine,
  );
  switch (props.health) {
    case 'healthy':
      return <StatusOK {...label} />;
    case 'progressing':
      return <StatusRunning {...label} />;
    case 'paused':
      return <StatusAborted {...label} />;
    case 'deleting':
      return <StatusWarning {...label} />;
    case 'failing':
      return <StatusError {...label} />;
    default:
      return <StatusPending {...label} />;
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
 * the reason; a live one whose desired state could not be read says so
 * (`oneLine`, in a table whose Details say why: only its live state, e.g.
 * `Live: progressing · creating`, the full verdict as the title).
 */
export function DesiredLiveStatusLabel(props: {
  entry: DesiredLiveEntry;
  oneLine?: boolean;
}) {
  const { status, state, reason } = props.entry;
  const { oneLine } = props;
  if (status === 'unknown' && !props.entry.desired) {
    const live = state ? healthText(state, reason).toLowerCase() : undefined;
    const full = `Desired state unavailable${live ? ` · live ${live}` : ''}`;
    const label = labelProps(oneLine && live ? `Live: ${live}` : full, oneLine);
    return <StatusPending {...label} {...(oneLine ? { title: full } : {})} />;
  }
  if (status === 'failing' && state) {
    return <HealthLabel health={state} reason={reason} oneLine={oneLine} />;
  }
  const label = labelProps(LABELS[status], oneLine);
  switch (status) {
    case 'ready':
      return <StatusOK {...label} />;
    case 'failing':
      return <StatusError {...label} />;
    case 'not-declared':
      return <StatusWarning {...label} />;
    default:
      return <StatusPending {...label} />;
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
