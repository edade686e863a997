import { lastSuccessfulSyncAt, operationSummary } from './summaries';

describe('lastSuccessfulSyncAt', () => {
  const history = [
    { id: 1, deployedAt: '2026-12-01T09:00:00Z' },
    { id: 2, deployedAt: '2026-12-02T09:00:00Z' },
  ];

  it('is the newest history entry, not a later failed attempt', () => {
    expect(
      lastSuccessfulSyncAt({
        status: {
          history,
          operationState: {
            phase: 'Failed',
            finishedAt: '2026-12-03T09:00:00Z',
          },
        },
      }),
    ).toBe('2026-12-02T09:00:00Z');
  });

  it('counts a later succeeded operation, but never a dry run', () => {
    const succeeded = (dryRun: boolean) =>
      lastSuccessfulSyncAt({
        status: {
          history,
          operationState: {
            phase: 'Succeeded',
            finishedAt: '2026-12-03T09:00:00Z',
            operation: { sync: { dryRun } },
          },
        },
      });
    expect(succeeded(false)).toBe('2026-12-03T09:00:00Z');
    expect(succeeded(true)).toBe('2026-12-02T09:00:00Z');
    expect(lastSuccessfulSyncAt({ status: {} })).toBeUndefined();
  });
});

describe('operationSummary', () => {
  it('says who ran which operation and whether it was a dry run', () => {
    expect(
      operationSummary({
        status: {
          operationState: {
            phase: 'Running',
            startedAt: '2026-12-03T09:00:00Z',
            operation: {
              sync: { dryRun: true },
              initiatedBy: { automated: true },
            },
          },
        },
      }),
    ).toEqual({
      phase: 'Running',
      message: undefined,
      startedAt: '2026-12-03T09:00:00Z',
      finishedAt: undefined,
      dryRun: true,
      initiatedBy: 'automated',
    });
    expect(operationSummary({ status: {} })).toBeUndefined();
  });
});
