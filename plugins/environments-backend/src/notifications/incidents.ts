import type {
  EnvironmentStatus,
  EnvironmentStatusFinding,
} from '@epicshelter/plugin-environments-common';

/**
 * What an environment's owner is notified about, one incident at a time per
 * kind: an Argo CD application Degraded, an Argo CD sync that failed, a
 * Crossplane resource not Ready (or not Synced) for longer than the grace time.
 * @public
 */
export const INCIDENT_KINDS = [
  'application-degraded',
  'sync-failed',
  'resource-not-ready',
] as const;

/** One of {@link INCIDENT_KINDS}. @public */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * What one run saw for one kind: the problem is there (with its reason),
 * it is not, or it cannot be told (Argo CD or Crossplane could not be read),
 * in which case the incident stays as it was.
 * @public
 */
export type IncidentObservation =
  | { state: 'active'; reason: string }
  | { state: 'clear' }
  | { state: 'unknown' };

/** An incident as remembered between runs. @public */
export interface IncidentState {
  /** When the problem was first seen (ISO 8601). */
  since: string;
  /** The reason when it was first seen, or when the owner was notified. */
  reason: string;
  /** Whether the owner was notified of it. */
  notified: boolean;
}

/** A notification to send. @public */
export type IncidentEvent =
  | { type: 'opened'; reason: string; since: string }
  | { type: 'recovered'; reason: string; since: string };

/** Which findings of the verdict make each kind of incident, and which leave it unknown. */
const MATCHERS: Record<
  IncidentKind,
  {
    active: (f: EnvironmentStatusFinding) => boolean;
    source: EnvironmentStatusFinding['source'];
  }
> = {
  'application-degraded': {
    source: 'application',
    active: f => f.status === 'Degraded',
  },
  'sync-failed': {
    source: 'application',
    active: f => f.status === 'Failed',
  },
  // A resource that is not Ready: failing, still being created, or not created.
  'resource-not-ready': {
    source: 'resource',
    active: f => f.status === 'Degraded' || f.status === 'Progressing',
  },
};

/**
 * What an environment's verdict (from computeEnvironmentStatus) says about
 * each kind of incident. Findings of the lifecycle are not incidents.
 * @public
 */
export function observeIncidents(
  status: EnvironmentStatus,
): Record<IncidentKind, IncidentObservation> {
  const observe = (kind: IncidentKind): IncidentObservation => {
    const { source, active } = MATCHERS[kind];
    const own = status.findings.filter(f => f.source === source);
    const matching = own.filter(active);
    if (matching.length > 0) {
      return { state: 'active', reason: matching.map(f => f.reason).join(' ') };
    }
    return own.some(f => f.status === 'Unknown')
      ? { state: 'unknown' }
      : { state: 'clear' };
  };
  return Object.fromEntries(
    INCIDENT_KINDS.map(kind => [kind, observe(kind)]),
  ) as Record<IncidentKind, IncidentObservation>;
}

/**
 * One step of an incident: from what was remembered, what is seen now and
 * the time, the state to remember and the notification to send, if any.
 * The owner is notified once the problem has lasted `graceMs` (0: at once),
 * and once when it is gone after having been notified; a problem gone
 * before its grace time ends is forgotten without a notification.
 * @public
 */
export function nextIncident(
  previous: IncidentState | undefined,
  observation: IncidentObservation,
  now: Date,
  graceMs: number,
): { next?: IncidentState; event?: IncidentEvent } {
  if (observation.state === 'unknown') return { next: previous };
  if (observation.state === 'clear') {
    if (previous?.notified) {
      return {
        event: {
          type: 'recovered',
          reason: previous.reason,
          since: previous.since,
        },
      };
    }
    return {};
  }
  if (previous?.notified) return { next: previous };
  const since = previous?.since ?? now.toISOString();
  if (now.getTime() - Date.parse(since) >= graceMs) {
    return {
      next: { since, reason: observation.reason, notified: true },
      event: { type: 'opened', reason: observation.reason, since },
    };
  }
  return {
    next: {
      since,
      reason: previous?.reason ?? observation.reason,
      notified: false,
    },
  };
}
