/*
 * Time to live of ephemeral environments: durations such as `4h`, `1d` or
 * `7d`, the bounds the platform sets on them, and the expiry they give.
 * Pure functions of their inputs (the clock is a parameter).
 */

const UNIT_MS = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const UNIT_WORDS: Record<keyof typeof UNIT_MS, string> = {
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
};

/** The form of a time to live: a whole number and a unit, e.g. `4h`, `1d`, `2w`. @public */
export const TTL_PATTERN = /^([1-9][0-9]{0,3})([mhdw])$/;

/** What a malformed time to live is told. @public */
export const TTL_FORMAT_HINT =
  'a whole number followed by m (minutes), h (hours), d (days) or w (weeks), e.g. 4h, 1d or 7d';

/** Milliseconds of a time to live such as `4h`, or undefined when it is not one. @public */
export function parseTtl(value: string): number | undefined {
  const m = TTL_PATTERN.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** A time to live in words, e.g. `4h` → `4 hours`. @public */
export function describeTtl(value: string): string {
  const m = TTL_PATTERN.exec(value);
  if (!m) return value;
  const unit = UNIT_WORDS[m[2] as keyof typeof UNIT_MS];
  return `${m[1]} ${m[1] === '1' ? unit.slice(0, -1) : unit}`;
}

/**
 * The platform's bounds on environments' time to live
 * (config `epicshelter.environments.ttl`).
 * @public
 */
export interface TtlPolicy {
  /** Longest time to live (and longest time an extension may reach), e.g. `30d`. */
  max: string;
  /** Time to live of an environment created without one; none: it does not expire. */
  default?: string;
  /** When set, the only values a creation or extension may ask for. */
  allowed?: string[];
  /** How long before expiry owners are warned, e.g. `[1d, 1h]`. */
  warnBefore: string[];
}

/** Config key of {@link TtlPolicy}. @public */
export const TTL_CONFIG_KEY = 'epicshelter.environments.ttl';

/** The policy used where `epicshelter.environments.ttl` sets nothing. @public */
export const DEFAULT_TTL_POLICY: TtlPolicy = {
  max: '30d',
  warnBefore: ['1d', '1h'],
};

/** Result of checking a requested time to live. @public */
export type TtlCheck =
  | { ok: true; ttl: string; ms: number }
  | { ok: false; message: string };

/**
 * Checks a requested time to live against the policy: its form, the allowed
 * values and the maximum. The message says what was wrong and what to ask
 * for instead.
 * @public
 */
export function checkTtl(value: unknown, policy: TtlPolicy): TtlCheck {
  if (typeof value !== 'string') {
    return {
      ok: false,
      message: `time to live must be a string such as 4h or 1d (got ${JSON.stringify(
        value,
      )})`,
    };
  }
  const ms = parseTtl(value);
  if (ms === undefined) {
    return {
      ok: false,
      message: `time to live ${JSON.stringify(
        value,
      )} is not ${TTL_FORMAT_HINT}`,
    };
  }
  if (policy.allowed && !policy.allowed.includes(value)) {
    return {
      ok: false,
      message: `time to live ${value} is not one the platform allows; choose one of ${policy.allowed.join(
        ', ',
      )}`,
    };
  }
  const max = parseTtl(policy.max)!;
  if (ms > max) {
    return {
      ok: false,
      message: `time to live ${value} is longer than the platform's maximum of ${
        policy.max
      } (${describeTtl(policy.max)}); choose ${policy.max} or less`,
    };
  }
  return { ok: true, ttl: value, ms };
}

/**
 * An environment's expiry as its spec records it (a type literal, so it is
 * JSON as scaffolder checkpoints require).
 * @public
 */
export type EnvironmentExpiry = {
  /** The time to live last asked for (at creation or extension), e.g. `1d`. */
  ttl: string;
  /** When the environment expires, an ISO 8601 timestamp in UTC. */
  expiresAt: string;
};

/** Result of {@link expiryForCreation} and {@link planExtension}. @public */
export type ExpiryPlan =
  | { ok: true; expiry: EnvironmentExpiry | undefined }
  | { ok: false; message: string };

/**
 * The expiry of an environment created at `now` with the requested time to
 * live (undefined, empty: the policy's default, or none).
 * @public
 */
export function expiryForCreation(
  requested: unknown,
  now: Date,
  policy: TtlPolicy,
): ExpiryPlan {
  const value =
    requested === undefined || requested === null || requested === ''
      ? policy.default
      : requested;
  if (value === undefined) return { ok: true, expiry: undefined };
  const checked = checkTtl(value, policy);
  if (!checked.ok) return checked;
  return {
    ok: true,
    expiry: {
      ttl: checked.ttl,
      expiresAt: new Date(now.getTime() + checked.ms).toISOString(),
    },
  };
}

/**
 * The expiry after extending by `by` at `now`: the later of now and the
 * current expiry, plus `by`; refused when that lies further than the
 * policy's maximum from now, or when the environment does not expire.
 * @public
 */
export function planExtension(options: {
  current: EnvironmentExpiry | undefined;
  by: unknown;
  now: Date;
  policy: TtlPolicy;
}): ExpiryPlan {
  const { current, by, now, policy } = options;
  if (!current) {
    return {
      ok: false,
      message:
        'the environment has no time to live, so it does not expire and cannot be extended',
    };
  }
  const checked = checkTtl(by, policy);
  if (!checked.ok) return checked;
  const from = Math.max(now.getTime(), Date.parse(current.expiresAt));
  const next = from + checked.ms;
  const max = parseTtl(policy.max)!;
  if (next - now.getTime() > max) {
    return {
      ok: false,
      message: `extending by ${checked.ttl} would move the expiry to ${new Date(
        next,
      ).toISOString()}, more than the platform's maximum of ${
        policy.max
      } from now (latest ${new Date(
        now.getTime() + max,
      ).toISOString()}); extend by less`,
    };
  }
  return {
    ok: true,
    expiry: { ttl: checked.ttl, expiresAt: new Date(next).toISOString() },
  };
}

/**
 * Reads `epicshelter.environments.ttl` (any `Config` of `@backstage/config`)
 * over {@link DEFAULT_TTL_POLICY}. Throws an Error naming the key when a
 * value is not a time to live or the default breaks the bounds.
 * @public
 */
export function readTtlPolicy(config: {
  getOptionalString(key: string): string | undefined;
  getOptionalStringArray(key: string): string[] | undefined;
}): TtlPolicy {
  const key = (k: string) => `${TTL_CONFIG_KEY}.${k}`;
  const policy: TtlPolicy = {
    max: config.getOptionalString(key('max')) ?? DEFAULT_TTL_POLICY.max,
    warnBefore:
      config.getOptionalStringArray(key('warnBefore')) ??
      DEFAULT_TTL_POLICY.warnBefore,
  };
  const allowed = config.getOptionalStringArray(key('allowed'));
  if (allowed) policy.allowed = allowed;
  const def = config.getOptionalString(key('default'));
  if (def) policy.default = def;
  const named: Array<[string, string]> = [
    [key('max'), policy.max],
    ...(policy.allowed ?? []).map((v): [string, string] => [key('allowed'), v]),
    ...policy.warnBefore.map((v): [string, string] => [key('warnBefore'), v]),
    ...(policy.default ? [[key('default'), policy.default]] : []),
  ] as Array<[string, string]>;
  for (const [k, v] of named) {
    if (parseTtl(v) === undefined) {
      throw new Error(`${k}: ${JSON.stringify(v)} is not ${TTL_FORMAT_HINT}`);
    }
  }
  if (policy.default) {
    const checked = checkTtl(policy.default, policy);
    if (!checked.ok) {
      throw new Error(`${key('default')}: ${checked.message}`);
    }
  }
  return policy;
}
