import {
  EnvironmentStatusInput,
  computeEnvironmentStatus,
} from '@epicshelter/plugin-environments-common';
import {
  IncidentObservation,
  IncidentState,
  nextIncident,
  observeIncidents,
} from './incidents';

type App = EnvironmentStatusInput['applications'][number];

const app = (over: Partial<App> = {}): App => ({
  instance: 'local',
  name: 'dev-workloads',
  layer: 'workloads',
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  ...over,
});

const status = (over: Partial<EnvironmentStatusInput> = {}) =>
  computeEnvironmentStatus({
    environment: 'dev',
    expectedApplications: ['dev-workloads'],
    applications: [app()],
    resources: [],
    ...over,
  });

describe('observeIncidents', () => {
  it('sees nothing in a healthy environment', () => {
    expect(observeIncidents(status())).toEqual({
      'application-degraded': { state: 'clear' },
      'sync-failed': { state: 'clear' },
      'resource-not-ready': { state: 'clear' },
    });
  });

  it('sees a Degraded application and a failed sync, with their reasons', () => {
    const observed = observeIncidents(
      status({
        applications: [
          app({
            healthStatus: 'Degraded',
            healthMessage:
              'Deployment orders-api exceeded its progress deadline',
            operationPhase: 'Failed',
            operationMessage: 'one or more objects failed to apply',
          }),
        ],
      }),
    );
    expect(observed['application-degraded']).toEqual({
      state: 'active',
      reason:
        'dev-workloads on Argo CD instance local is Degraded: Deployment orders-api exceeded its progress deadline.',
    });
    expect(observed['sync-failed']).toEqual({
      state: 'active',
      reason:
        'Sync of dev-workloads on Argo CD instance local failed: one or more objects failed to apply.',
    });
    expect(observed['resource-not-ready'].state).toBe('clear');
  });

  it('sees a Crossplane resource that is failing or not created yet', () => {
    const observed = observeIncidents(
      status({
        resources: [
          {
            kind: 'Database',
            name: 'dev-db',
            status: 'failing',
            message: 'ReconcileError',
          },
          { kind: 'Bucket', name: 'dev-assets', status: 'ready' },
        ],
      }),
    );
    expect(observed['resource-not-ready']).toEqual({
      state: 'active',
      reason: 'Database dev-db is not ready: ReconcileError.',
    });
  });

  it('cannot tell when Argo CD or Crossplane could not be read', () => {
    const observed = observeIncidents(
      status({
        applications: [],
        applicationsError: 'Argo CD applications could not be read: timeout',
        resources: [],
        resourcesError: 'Crossplane resources could not be read: timeout',
      }),
    );
    expect(observed).toEqual({
      'application-degraded': { state: 'unknown' },
      'sync-failed': { state: 'unknown' },
      'resource-not-ready': { state: 'unknown' },
    });
  });

  it('does not count lifecycle findings as incidents', () => {
    const observed = observeIncidents({
      environment: 'dev',
      status: 'Failed',
      reason: 'The template run failed.',
      findings: [
        {
          status: 'Failed',
          source: 'lifecycle',
          reason: 'The template run failed.',
        },
      ],
    });
    expect(observed['sync-failed'].state).toBe('clear');
  });
});

describe('nextIncident', () => {
  const t0 = new Date('2026-12-06T10:00:00.000Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
  const active = (
    reason = 'dev-workloads is Degraded.',
  ): IncidentObservation => ({
    state: 'active',
    reason,
  });
  const clear: IncidentObservation = { state: 'clear' };
  const GRACE = 10 * 60_000;

  /** Runs the observations one minute apart from t0; returns the events sent. */
  function run(observations: IncidentObservation[], graceMs: number) {
    let state: IncidentState | undefined;
    const events = observations.flatMap((o, i) => {
      const { next, event } = nextIncident(state, o, at(i), graceMs);
      state = next;
      return event ? [event] : [];
    });
    return { events, state };
  }

  it('notifies a Degraded application once, at once', () => {
    expect(run([active()], 0).events).toEqual([
      {
        type: 'opened',
        reason: 'dev-workloads is Degraded.',
        since: t0.toISOString(),
      },
    ]);
  });

  it('does not notify again while it stays Degraded', () => {
    const { events, state } = run(
      [active(), active('dev-workloads is Degraded: still.'), active()],
      0,
    );
    expect(events).toHaveLength(1);
    expect(state).toEqual({
      since: t0.toISOString(),
      reason: 'dev-workloads is Degraded.',
      notified: true,
    });
  });

  it('notifies the recovery once, with the reason of the incident', () => {
    const { events, state } = run([active(), clear, clear], 0);
    expect(events).toEqual([
      expect.objectContaining({ type: 'opened' }),
      {
        type: 'recovered',
        reason: 'dev-workloads is Degraded.',
        since: t0.toISOString(),
      },
    ]);
    expect(state).toBeUndefined();
  });

  it('does not notify a Crossplane resource not ready for less than the grace time', () => {
    const { events, state } = run(
      [...Array(10).fill(active('Database dev-db is being created.')), clear],
      GRACE,
    );
    expect(events).toEqual([]);
    expect(state).toBeUndefined();
  });

  it('notifies a Crossplane resource not ready for longer than the grace time once', () => {
    const observations = Array(15).fill(
      active('Database dev-db is not ready.'),
    );
    const { events } = run(observations, GRACE);
    // seen at minute 0, notified at minute 10, not again until minute 14
    expect(events).toEqual([
      {
        type: 'opened',
        reason: 'Database dev-db is not ready.',
        since: t0.toISOString(),
      },
    ]);
  });

  it('keeps the incident as it is while the state cannot be read', () => {
    const unknown: IncidentObservation = { state: 'unknown' };
    expect(run([active(), unknown, unknown], 0).events).toHaveLength(1);
    expect(run([active(), unknown, clear], 0).events).toHaveLength(2);
    // a pending resource incident keeps its start across an unreadable run
    const pending = run(
      [...Array(6).fill(active()), unknown, ...Array(4).fill(active())],
      GRACE,
    );
    expect(pending.events).toEqual([
      expect.objectContaining({ type: 'opened', since: t0.toISOString() }),
    ]);
  });

  it('makes each Degraded spell of a flapping application one incident', () => {
    const { events } = run([active(), clear, active(), active(), clear], 0);
    expect(events.map(e => e.type)).toEqual([
      'opened',
      'recovered',
      'opened',
      'recovered',
    ]);
  });

  it('starts the grace time again when a flapping resource was Ready in between', () => {
    const flapping = [
      ...Array(8).fill(active()),
      clear,
      ...Array(8).fill(active()),
      clear,
    ];
    expect(run(flapping, GRACE).events).toEqual([]);
  });
});
