import {
  decommissionRecordLines,
  decommissionRecordOf,
} from './decommissionRecord';

describe('decommission record', () => {
  it('reads back what a commit message carries, among other lines and trailers', () => {
    const lines = decommissionRecordLines({
      requester: 'user:default/Ada',
      owners: ['group:default/team-qa'],
    });
    expect(lines).toEqual([
      'Decommission-Requested-By: user:default/Ada',
      'Decommission-Owner: group:default/team-qa',
    ]);
    const message = [
      'Environment qa: decommission',
      '',
      ...lines,
      '',
      'Requested-by: Ada <ada@example.com>',
      'Epicshelter-Change: epicshelter/qa',
    ].join('\n');
    expect(decommissionRecordOf(message)).toEqual({
      requester: 'user:default/ada',
      owners: ['group:default/team-qa'],
    });
  });

  it('is undefined for a message without one (a hand-made deletion)', () => {
    expect(
      decommissionRecordOf('Remove qa\n\nRequested-by: Ada'),
    ).toBeUndefined();
  });
});
