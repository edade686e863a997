import { parseSyncEvents, syncOutcome } from './syncEvents';

describe('parseSyncEvents', () => {
  it('reads the log, finish and error events of a /sync stream', () => {
    const body = [
      'event: log',
      'data: "Step 1 of 3: Preparing docs"',
      '',
      'event: finish',
      'data: {"updated":true}',
      '',
      '',
    ].join('\n');
    expect(parseSyncEvents(body)).toEqual([
      { type: 'log', data: 'Step 1 of 3: Preparing docs' },
      { type: 'finish', data: { updated: true } },
    ]);
  });
});

describe('syncOutcome', () => {
  it('is ok when the stream finished', () => {
    expect(syncOutcome([{ type: 'finish', data: { updated: true } }])).toEqual({
      ok: true,
    });
  });

  it('reports the error event message', () => {
    const events = parseSyncEvents(
      'event: log\ndata: "x"\n\nevent: error\ndata: "Failed to generate docs"\n\n',
    );
    expect(syncOutcome(events)).toEqual({
      ok: false,
      message: 'Failed to generate docs',
    });
  });

  it('is a failure when the stream ended without a verdict', () => {
    expect(syncOutcome([{ type: 'log', data: 'x' }])).toEqual({
      ok: false,
      message: 'the docs build ended without a finish or error event',
    });
  });
});
