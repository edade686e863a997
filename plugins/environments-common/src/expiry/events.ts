import { parseTtl } from './ttl';

/**
 * What an environment's expiry calls for at a moment: a warning `before`
 * (one of the policy's `warnBefore` values) ahead of the expiry, or the
 * expiry itself.
 * @public
 */
export type ExpiryEvent =
  | { kind: 'warning'; before: string }
  | { kind: 'expired' };

/**
 * The event due at `now` for an environment expiring at `expiresAt`: the
 * expiry once it has passed, else the warning with the shortest window that
 * has opened, else undefined. Only the latest event is due, so an owner
 * whose warnings were missed (the backend was down) gets one message, not a
 * burst of stale ones.
 * @public
 */
export function dueExpiryEvent(
  expiresAt: string,
  now: Date,
  warnBefore: readonly string[],
): ExpiryEvent | undefined {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return undefined;
  const t = now.getTime();
  if (t >= at) return { kind: 'expired' };
  const open = warnBefore
    .map(before => ({ before, ms: parseTtl(before) }))
    .filter((w): w is { before: string; ms: number } => w.ms !== undefined)
    .filter(w => t >= at - w.ms)
    .sort((a, b) => a.ms - b.ms);
  return open.length > 0
    ? { kind: 'warning', before: open[0].before }
    : undefined;
}

/**
 * Identifies one event of one expiry: equal keys mean the same event, so it
 * is sent once. An extension changes `expiresAt` and so starts afresh.
 * @public
 */
export function expiryEventKey(
  environment: string,
  expiresAt: string,
  event: ExpiryEvent,
): string {
  const what = event.kind === 'expired' ? 'expired' : `warn-${event.before}`;
  return `${environment}@${expiresAt}:${what}`;
}

function amount(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const plural = (n: number, unit: string) =>
    `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    const rest = minutes % 60;
    return rest > 0 && hours < 6
      ? `${plural(hours, 'hour')} ${plural(rest, 'minute')}`
      : plural(Math.round(minutes / 60), 'hour');
  }
  return plural(Math.round(hours / 24), 'day');
}

/**
 * An expiry relative to `now`, as the portal shows it: `expires in 3 hours`,
 * `expired 2 days ago`.
 * @public
 */
export function describeExpiry(expiresAt: string, now: Date): string {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return `expires at ${expiresAt}`;
  const delta = at - now.getTime();
  return delta > 0
    ? `expires in ${amount(delta)}`
    : `expired ${amount(-delta)} ago`;
}
