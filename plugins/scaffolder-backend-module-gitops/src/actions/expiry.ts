import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  EnvironmentExpiry,
  describeTtl,
  expiryForCreation,
  readTtlPolicy,
} from '@epicshelter/plugin-environments-common';

/** The clock the expiry actions read: `() => new Date()` unless a test sets it. @public */
export type Clock = () => Date;

/** The real clock. */
export const systemClock: Clock = () => new Date();

/**
 * The spec input of a new environment with its expiry from the requested
 * time to live (`ttl` input, else `epicshelter.environments.ttl.default`).
 * Throws an InputError, before anything is read or written, for a time to
 * live that is malformed or outside the platform's bounds, and for a spec
 * that sets `expiry` itself (the platform computes it).
 */
export function withCreationExpiry(
  specInput: unknown,
  ttl: string | undefined,
  config: Config,
  now: Date,
): unknown {
  if (!specInput || typeof specInput !== 'object' || Array.isArray(specInput))
    return specInput;
  if ('expiry' in specInput) {
    throw new InputError(
      'Invalid environment: spec.expiry is computed by the platform; ask for a time to live with the ttl input (e.g. 1d) instead. Nothing was written.',
    );
  }
  const plan = expiryForCreation(ttl, now, readTtlPolicy(config));
  if (!plan.ok) {
    throw new InputError(
      `Invalid environment: ${plan.message}. Nothing was written.`,
    );
  }
  return plan.expiry ? { ...specInput, expiry: plan.expiry } : specInput;
}

/** One Markdown line saying when an environment expires. */
export function expiryLine(expiry: EnvironmentExpiry): string {
  return `- Expires ${expiry.expiresAt} (time to live ${describeTtl(
    expiry.ttl,
  )}); its owners are notified before and may extend it`;
}
