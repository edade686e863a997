import { mockServices } from '@backstage/backend-test-utils';
import { CROSSPLANE_RESOURCES_SIGNAL_CHANNEL } from '@epicshelter/plugin-crossplane-common';
import { LivePublisher } from './LivePublisher';

describe('LivePublisher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const setup = () => {
    const signals = { publish: jest.fn(async () => undefined) };
    const events = mockServices.events.mock();
    const logger = mockServices.logger.mock();
    const publisher = new LivePublisher({
      logger,
      events,
      signals,
      announceIntervalMs: 30_000,
    });
    const sent = () =>
      (signals.publish.mock.calls as unknown as [any][]).map(
        ([s]) => s.message,
      );
    return { publisher, signals, events, logger, sent };
  };

  it('announces every cluster’s last revision again, so pages whose signal connection came back catch up', () => {
    const { publisher, sent } = setup();
    publisher.changed('prod'); // a kind came into sync: a signal, no event
    publisher.changed('dev');
    expect(sent().map(m => m.cluster)).toEqual(['prod', 'dev']);
    const [prod, dev] = sent();
    expect(dev.revision).toBeGreaterThan(prod.revision);
    jest.advanceTimersByTime(30_000);
    // the same revisions again: pages that saw them do not fetch again
    expect(sent().slice(2)).toEqual([prod, dev]);
    publisher.stop();
    jest.advanceTimersByTime(60_000);
    expect(sent()).toHaveLength(4);
  });

  it('starts its revisions at the clock, so they keep growing across restarts', () => {
    jest.setSystemTime(new Date('2026-12-06T08:00:00Z'));
    const first = setup();
    first.publisher.changed('prod');
    first.publisher.stop();
    jest.setSystemTime(new Date('2026-12-06T08:05:00Z'));
    const restarted = setup();
    restarted.publisher.changed('prod');
    restarted.publisher.stop();
    expect(restarted.sent()[0].revision).toBeGreaterThan(
      first.sent()[0].revision,
    );
    expect(restarted.signals.publish).toHaveBeenCalledWith(
      expect.objectContaining({ channel: CROSSPLANE_RESOURCES_SIGNAL_CHANNEL }),
    );
  });

  it('logs a failed publication without the payload and keeps going', async () => {
    const { publisher, events, signals, logger } = setup();
    events.publish.mockRejectedValue(new Error('bus down'));
    signals.publish.mockRejectedValueOnce(new Error('no signals'));
    publisher.changed('prod', {
      type: 'MODIFIED',
      object: {
        apiVersion: 'v1',
        kind: 'X',
        metadata: { name: 'x', labels: { secret: 'hunter2' } },
      },
    });
    await Promise.resolve();
    await Promise.resolve();
    publisher.stop();
    expect(events.publish).toHaveBeenCalledTimes(1);
    const warnings = logger.warn.mock.calls.map(([m]) => String(m));
    expect(warnings).toEqual([
      'crossplane: cannot publish a change of cluster prod on the events service: bus down',
      'crossplane: cannot signal a change of cluster prod: no signals',
    ]);
    expect(warnings.join()).not.toContain('hunter2');
    // the next change is signalled again
    jest.advanceTimersByTime(1000);
    publisher.changed('prod');
    expect(signals.publish).toHaveBeenCalledTimes(2);
  });
});
