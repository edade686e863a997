import { commitTrailers, expiryHistory } from './history';

const rev = (sha: string, expiresAt: string | undefined, message: string) => ({
  sha,
  at: `2026-12-0${sha.length}T10:00:00.000Z`,
  url: `https://github.com/acme/gitops/commit/${sha}`,
  fullMessage: message,
  ...(expiresAt ? { expiry: { ttl: '1d', expiresAt } } : {}),
});

describe('commitTrailers', () => {
  it('reads the last paragraph’s Key: value lines', () => {
    expect(
      commitTrailers(
        'Environment dev: extend by 1d\n\nBody text: not a trailer here\n\nRequested-by: Jane Doe <jane@example.com>\nScaffolder-Task: t-1\nEpicshelter-Change: epicshelter/dev\n',
      ),
    ).toEqual({
      'requested-by': 'Jane Doe <jane@example.com>',
      'scaffolder-task': 't-1',
      'epicshelter-change': 'epicshelter/dev',
    });
  });

  it('is nothing for a subject alone', () => {
    expect(commitTrailers('Requested-by: someone')).toEqual({});
  });
});

describe('expiryHistory', () => {
  const created = rev(
    'c',
    '2026-12-07T10:00:00.000Z',
    'Create environment dev',
  );
  const extended = rev(
    'eeee',
    '2026-12-08T10:00:00.000Z',
    'Environment dev: extend by 1d\n\nRequested-by: Jane Doe <jane@example.com>\nEpicshelter-Change: epicshelter/dev',
  );
  const promoted = rev(
    'pp',
    '2026-12-08T10:00:00.000Z',
    'Environment dev: promote web from qa\n\nRequested-by: Joe',
  );

  it('lists each commit that moves the expiry later, newest first, with who asked', () => {
    const again = rev(
      'aaaaa',
      '2026-12-10T10:00:00.000Z',
      'Environment dev: extend by 2d\n\nScaffolder-Task: t-2',
    );
    expect(expiryHistory([again, promoted, extended, created], true)).toEqual({
      current: { ttl: '1d', expiresAt: '2026-12-10T10:00:00.000Z' },
      partial: false,
      extensions: [
        {
          at: again.at,
          from: '2026-12-08T10:00:00.000Z',
          to: '2026-12-10T10:00:00.000Z',
          by: '1d',
          commit: {
            sha: 'aaaaa',
            url: again.url,
            subject: 'Environment dev: extend by 2d',
          },
        },
        {
          at: extended.at,
          requestedBy: 'Jane Doe',
          from: '2026-12-07T10:00:00.000Z',
          to: '2026-12-08T10:00:00.000Z',
          by: '1d',
          commit: {
            sha: 'eeee',
            url: extended.url,
            subject: 'Environment dev: extend by 1d',
          },
        },
      ],
    });
  });

  it('has no current expiry and no extension for an environment that does not expire', () => {
    expect(expiryHistory([rev('c', undefined, 'Create')], true)).toEqual({
      extensions: [],
      partial: false,
    });
  });

  it('says when older history was not read', () => {
    expect(expiryHistory([extended, created], false)).toMatchObject({
      partial: true,
      extensions: [{ from: created.expiry!.expiresAt }],
    });
  });
});
