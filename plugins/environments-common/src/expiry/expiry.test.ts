import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_TTL_POLICY,
  TtlPolicy,
  checkTtl,
  describeTtl,
  expiryForCreation,
  parseTtl,
  planExtension,
  readTtlPolicy,
} from './ttl';
import { describeExpiry, dueExpiryEvent, expiryEventKey } from './events';

const now = new Date('2026-12-06T10:00:00.000Z');
const policy: TtlPolicy = { max: '7d', warnBefore: ['1d', '1h'] };

describe('parseTtl', () => {
  it.each([
    ['30m', 30 * 60_000],
    ['4h', 4 * 3_600_000],
    ['1d', 86_400_000],
    ['2w', 14 * 86_400_000],
  ])('%s is %d ms', (ttl, ms) => expect(parseTtl(ttl)).toBe(ms));

  it.each(['', '0h', '4', 'h', '4 h', '1.5d', '-1d', '4H', '1y', '10000d'])(
    'refuses %j',
    ttl => expect(parseTtl(ttl)).toBeUndefined(),
  );

  it('describes a ttl in words', () => {
    expect(describeTtl('1d')).toBe('1 day');
    expect(describeTtl('4h')).toBe('4 hours');
  });
});

describe('checkTtl', () => {
  it('accepts a ttl within the maximum', () => {
    expect(checkTtl('7d', policy)).toEqual({
      ok: true,
      ttl: '7d',
      ms: 7 * 86_400_000,
    });
  });

  it('refuses one over the maximum, naming it', () => {
    expect(checkTtl('8d', policy)).toEqual({
      ok: false,
      message:
        "time to live 8d is longer than the platform's maximum of 7d (7 days); choose 7d or less",
    });
  });

  it('refuses a malformed one, saying the form', () => {
    const r = checkTtl('tomorrow', policy);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(
      /"tomorrow" is not a whole number followed by m \(minutes\), h/,
    );
    expect(checkTtl(4, policy)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/must be a string/),
    });
  });

  it('refuses a value outside the allowed list', () => {
    expect(checkTtl('2h', { ...policy, allowed: ['4h', '1d'] })).toEqual({
      ok: false,
      message:
        'time to live 2h is not one the platform allows; choose one of 4h, 1d',
    });
  });
});

describe('expiryForCreation', () => {
  it('adds the ttl to now', () => {
    expect(expiryForCreation('4h', now, policy)).toEqual({
      ok: true,
      expiry: { ttl: '4h', expiresAt: '2026-12-06T14:00:00.000Z' },
    });
  });

  it('uses the default when none is asked for, else none', () => {
    expect(expiryForCreation('', now, { ...policy, default: '1d' })).toEqual({
      ok: true,
      expiry: { ttl: '1d', expiresAt: '2026-12-07T10:00:00.000Z' },
    });
    expect(expiryForCreation(undefined, now, policy)).toEqual({
      ok: true,
      expiry: undefined,
    });
  });

  it('passes refusals on', () => {
    expect(expiryForCreation('30d', now, policy).ok).toBe(false);
  });
});

describe('planExtension', () => {
  const current = { ttl: '1d', expiresAt: '2026-12-06T12:00:00.000Z' };

  it('adds to the current expiry while it is ahead', () => {
    expect(planExtension({ current, by: '1d', now, policy })).toEqual({
      ok: true,
      expiry: { ttl: '1d', expiresAt: '2026-12-07T12:00:00.000Z' },
    });
  });

  it('adds to now once the expiry has passed', () => {
    expect(
      planExtension({
        current,
        by: '4h',
        now: new Date('2026-12-06T13:00:00.000Z'),
        policy,
      }),
    ).toEqual({
      ok: true,
      expiry: { ttl: '4h', expiresAt: '2026-12-06T17:00:00.000Z' },
    });
  });

  it('refuses to go beyond the maximum from now', () => {
    const r = planExtension({ current, by: '7d', now, policy });
    expect(r).toEqual({
      ok: false,
      message:
        "extending by 7d would move the expiry to 2026-12-13T12:00:00.000Z, more than the platform's maximum of 7d from now (latest 2026-12-13T10:00:00.000Z); extend by less",
    });
  });

  it('refuses an environment that does not expire', () => {
    expect(
      planExtension({ current: undefined, by: '1d', now, policy }),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/no time/) });
  });
});

describe('readTtlPolicy', () => {
  it('defaults', () => {
    expect(readTtlPolicy(new ConfigReader({}))).toEqual(DEFAULT_TTL_POLICY);
  });

  it('reads every key', () => {
    expect(
      readTtlPolicy(
        new ConfigReader({
          epicshelter: {
            environments: {
              ttl: {
                max: '14d',
                default: '1d',
                allowed: ['4h', '1d', '7d'],
                warnBefore: ['2h'],
              },
            },
          },
        }),
      ),
    ).toEqual({
      max: '14d',
      default: '1d',
      allowed: ['4h', '1d', '7d'],
      warnBefore: ['2h'],
    });
  });

  it('names a bad key', () => {
    const config = (ttl: object) =>
      new ConfigReader({ epicshelter: { environments: { ttl } } });
    expect(() => readTtlPolicy(config({ max: 'a month' }))).toThrow(
      'epicshelter.environments.ttl.max: "a month" is not a whole number',
    );
    expect(() => readTtlPolicy(config({ max: '1d', default: '2d' }))).toThrow(
      "epicshelter.environments.ttl.default: time to live 2d is longer than the platform's maximum of 1d",
    );
  });
});

describe('dueExpiryEvent', () => {
  const expiresAt = '2026-12-07T10:00:00.000Z';
  const at = (iso: string) =>
    dueExpiryEvent(expiresAt, new Date(iso), ['1d', '1h']);

  it('is nothing before the first window', () => {
    expect(at('2026-12-06T09:59:59.000Z')).toBeUndefined();
  });

  it('is the widest warning once its window opens', () => {
    expect(at('2026-12-06T10:00:00.000Z')).toEqual({
      kind: 'warning',
      before: '1d',
    });
  });

  it('is only the nearest warning when both windows are open', () => {
    expect(at('2026-12-07T09:30:00.000Z')).toEqual({
      kind: 'warning',
      before: '1h',
    });
  });

  it('is the expiry once it has passed', () => {
    expect(at('2026-12-07T10:00:00.000Z')).toEqual({ kind: 'expired' });
  });

  it('keys each event of each expiry apart', () => {
    const keys = new Set([
      expiryEventKey('dev', expiresAt, { kind: 'warning', before: '1d' }),
      expiryEventKey('dev', expiresAt, { kind: 'warning', before: '1h' }),
      expiryEventKey('dev', expiresAt, { kind: 'expired' }),
      expiryEventKey('dev', '2026-12-08T10:00:00.000Z', { kind: 'expired' }),
      expiryEventKey('qa', expiresAt, { kind: 'expired' }),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe('describeExpiry', () => {
  it.each([
    ['2026-12-06T10:20:00.000Z', 'expires in 20 minutes'],
    ['2026-12-06T12:30:00.000Z', 'expires in 2 hours 30 minutes'],
    ['2026-12-07T10:00:00.000Z', 'expires in 24 hours'],
    ['2026-12-13T10:00:00.000Z', 'expires in 7 days'],
    ['2026-12-06T08:00:00.000Z', 'expired 2 hours ago'],
  ])('%s → %s', (expiresAt, text) =>
    expect(describeExpiry(expiresAt, now)).toBe(text),
  );
});
