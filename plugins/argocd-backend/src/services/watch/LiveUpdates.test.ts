import { mockServices } from '@backstage/backend-test-utils';
import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import { LiveUpdates } from './LiveUpdates';

const change = (name: string, health = 'Degraded') => ({
  type: 'MODIFIED' as const,
  application: {
    metadata: { name, namespace: 'argocd', labels: { env: 'dev' } },
    spec: { project: 'default' },
    status: {
      sync: { status: 'Synced' },
      health: { status: health },
      operationState: { phase: 'Failed', message: 'hook failed' },
    },
  } as ArgoCdApplication,
});

describe('LiveUpdates', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  function live() {
    const events = { publish: jest.fn(async () => {}), subscribe: jest.fn() };
    const signals = { publish: jest.fn(async () => {}) };
    const updates = new LiveUpdates({
      events,
      signals,
      logger: mockServices.logger.mock(),
      debounceMs: 1000,
      heartbeatMs: 10_000,
    });
    return { events, signals, updates };
  }

  it('publishes every change as an event with what listeners need', () => {
    const { events, updates } = live();
    updates.changed('local', [change('a'), change('b')]);
    expect(events.publish).toHaveBeenCalledTimes(2);
    expect(events.publish).toHaveBeenCalledWith({
      topic: 'epicshelter.argocd.application',
      eventPayload: {
        type: 'MODIFIED',
        instance: 'local',
        namespace: 'argocd',
        name: 'a',
        labels: { env: 'dev' },
        syncStatus: 'Synced',
        healthStatus: 'Degraded',
        operationPhase: 'Failed',
        operationMessage: 'hook failed',
      },
    });
  });

  it('signals at most once per debounce time per instance, with the instance and a growing revision only', () => {
    const { signals, updates } = live();
    updates.changed('local', [change('a')]);
    jest.advanceTimersByTime(0);
    for (let i = 0; i < 10; i++) updates.changed('local', [change('a')]);
    updates.changed('cloud', [change('c')]);
    jest.advanceTimersByTime(999);
    const sent = () =>
      signals.publish.mock.calls.map((c: any[]) => c[0].message);
    expect(sent()).toEqual([
      { instance: 'local', revision: 1_000_001 },
      { instance: 'cloud', revision: 1_000_001 },
    ]);
    jest.advanceTimersByTime(1);
    expect(sent().at(-1)).toEqual({ instance: 'local', revision: 1_000_011 });
    expect(signals.publish.mock.calls[0]).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'epicshelter-argocd:applications',
        message: { instance: 'local', revision: 1_000_001 },
      },
    ]);
  });

  it('repeats the current revision on the heartbeat, and stops', () => {
    const { signals, updates } = live();
    updates.start(['local']);
    jest.advanceTimersByTime(10_000);
    expect(signals.publish).toHaveBeenCalledTimes(1);
    expect((signals.publish.mock.calls[0] as any[])[0].message).toEqual({
      instance: 'local',
      revision: 1_000_000,
    });
    updates.stop();
    jest.advanceTimersByTime(30_000);
    expect(signals.publish).toHaveBeenCalledTimes(1);
  });
});
