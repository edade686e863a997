import type { OpenChange } from '../openChange';
import type { EnvironmentExpiry } from './ttl';

/**
 * One commit of an environment document's history, with the expiry the
 * document held after it (undefined: none, or the document was absent).
 * @public
 */
export interface ExpiryRevision {
  /** The commit. */
  sha: string;
  /** Commit time, ISO 8601. */
  at?: string;
  /** Web page of the commit, when the repository has one. */
  url?: string;
  /** The whole commit message, trailers included. */
  fullMessage: string;
  /** `spec.expiry` of the document after the commit. */
  expiry?: EnvironmentExpiry;
}

/** One extension of an environment's expiry, as the repository history shows it. @public */
export interface ExpiryExtension {
  /** When it was committed (ISO 8601). */
  at?: string;
  /** Who asked for it: the change's `Requested-by:` trailer, when recorded. */
  requestedBy?: string;
  /** The expiry before. */
  from: string;
  /** The expiry after. */
  to: string;
  /** The time to live it added, e.g. `1d`. */
  by: string;
  /** The commit that made it, and its web page. */
  commit: { sha: string; url?: string; subject: string };
}

/** An expiry-triggered (or other) decommission change that is open. @public */
export interface OpenDecommission {
  change: OpenChange;
  /** True when the environment's expiry has passed: the expiry scheduler opens this change then. */
  expiryTriggered: boolean;
}

/** The expiry of an environment and how it got there. @public */
export interface EnvironmentExpiryHistory {
  /** The current expiry; undefined: the environment does not expire. */
  current?: EnvironmentExpiry;
  /** Extensions, newest first. */
  extensions: ExpiryExtension[];
  /** True when older history was not read (the history has more commits than were asked for). */
  partial: boolean;
  /** A change that removes the environment and is not merged yet. */
  decommission?: OpenDecommission;
  /** Why the history could not be (completely) read. */
  error?: string;
}

/**
 * The trailers of a commit message (`Key: value` lines of its last
 * paragraph), keys lowercased; the first value of a key wins.
 * @public
 */
export function commitTrailers(message: string): Record<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  if (paragraphs.length < 2) return {};
  const out: Record<string, string> = {};
  for (const line of paragraphs[paragraphs.length - 1].split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.+)$/.exec(line.trim());
    if (m && !(m[1].toLowerCase() in out)) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

/** `Requested-by: Jane Doe <jane@example.com>` → `Jane Doe`. */
function requester(message: string): string | undefined {
  const value = commitTrailers(message)['requested-by'];
  return value?.replace(/\s*<[^>]*>\s*$/, '') || undefined;
}

/**
 * The current expiry and every extension among `revisions` (the commits
 * that touched the environment document, newest first): a commit that
 * moves `expiresAt` later than the commit before it is an extension. When
 * `complete` is false the oldest revision only serves as the baseline of
 * the one after it, and the result says it is partial.
 * @public
 */
export function expiryHistory(
  revisions: ExpiryRevision[],
  complete: boolean,
): Pick<EnvironmentExpiryHistory, 'current' | 'extensions' | 'partial'> {
  const extensions: ExpiryExtension[] = [];
  for (let i = 0; i + 1 < revisions.length; i++) {
    const [after, before] = [revisions[i], revisions[i + 1]];
    if (!after.expiry || !before.expiry) continue;
    const [to, from] = [after.expiry.expiresAt, before.expiry.expiresAt];
    if (!(Date.parse(to) > Date.parse(from))) continue;
    const who = requester(after.fullMessage);
    extensions.push({
      ...(after.at ? { at: after.at } : {}),
      ...(who ? { requestedBy: who } : {}),
      from,
      to,
      by: after.expiry.ttl,
      commit: {
        sha: after.sha,
        ...(after.url ? { url: after.url } : {}),
        subject: after.fullMessage.split('\n')[0],
      },
    });
  }
  return {
    ...(revisions[0]?.expiry ? { current: revisions[0].expiry } : {}),
    extensions,
    partial: !complete,
  };
}
