import { parseCommitMessage } from './commitMessage';

describe('parseCommitMessage', () => {
  it.each([
    {
      name: 'a subject alone',
      message: 'Add environment qa\n',
      subject: 'Add environment qa',
      body: '',
      trailers: [],
    },
    {
      name: 'a body whose last paragraph is trailers, one folded',
      message:
        'Add environment qa\n\nRequested for the demo.\n\nRequested-by: Ada <ada@example.com>\nScaffolder-Task: 7f3c\n  continued\nEpicshelter-Change: epicshelter/qa\n',
      subject: 'Add environment qa',
      body: 'Requested for the demo.\n\nRequested-by: Ada <ada@example.com>\nScaffolder-Task: 7f3c\n  continued\nEpicshelter-Change: epicshelter/qa',
      trailers: [
        { key: 'Requested-by', value: 'Ada <ada@example.com>' },
        { key: 'Scaffolder-Task', value: '7f3c continued' },
        { key: 'Epicshelter-Change', value: 'epicshelter/qa' },
      ],
    },
    {
      name: 'a last paragraph with a line that is no trailer',
      message:
        'Fix\n\nNote: the first line looks like one\nbut this is prose\n',
      subject: 'Fix',
      body: 'Note: the first line looks like one\nbut this is prose',
      trailers: [],
    },
    {
      name: 'a subject that looks like a trailer',
      message: 'Fixes: #12\n',
      subject: 'Fixes: #12',
      body: '',
      trailers: [],
    },
    {
      name: 'Windows line ends',
      message: 'Add qa\r\n\r\nSigned-off-by: Ada <ada@example.com>\r\n',
      subject: 'Add qa',
      body: 'Signed-off-by: Ada <ada@example.com>',
      trailers: [{ key: 'Signed-off-by', value: 'Ada <ada@example.com>' }],
    },
  ])('reads $name', ({ message, subject, body, trailers }) => {
    expect(parseCommitMessage(message)).toEqual({ subject, body, trailers });
  });
});
