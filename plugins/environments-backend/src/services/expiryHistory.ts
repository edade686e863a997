import yaml from 'yaml';
import {
  EnvironmentExpiry,
  EnvironmentExpiryHistory,
  ExpiryRevision,
  expiryHistory,
} from '@epicshelter/plugin-environments-common';
import { mapLimited } from '@epicshelter/plugin-gitops-node';
import type { GitOpsRepositoryReader } from './repository';

/** Commits of an environment document's history read at most (one request to a hosted repository). */
export const EXPIRY_HISTORY_LIMIT = 30;

/** `spec.expiry` of an environment document's text; undefined when absent or malformed. */
function expiryOf(text: string | undefined): EnvironmentExpiry | undefined {
  if (text === undefined) return undefined;
  let doc: { spec?: { expiry?: Partial<EnvironmentExpiry> } } | undefined;
  try {
    doc = yaml.parse(text);
  } catch {
    return undefined;
  }
  const expiry = doc?.spec?.expiry;
  return typeof expiry?.ttl === 'string' && typeof expiry.expiresAt === 'string'
    ? { ttl: expiry.ttl, expiresAt: expiry.expiresAt }
    : undefined;
}

/**
 * The current expiry of an environment and its extensions, from the newest
 * {@link EXPIRY_HISTORY_LIMIT} commits of the GitOps branch that touched its
 * document (`path`): the document is read at each of them (by commit, so
 * the repository service's cache answers it next time), and the commits'
 * `Requested-by:` trailers say who asked.
 */
export async function readExpiryHistory(
  repository: GitOpsRepositoryReader,
  path: string,
): Promise<EnvironmentExpiryHistory> {
  const commits = await repository.history(path, EXPIRY_HISTORY_LIMIT);
  // a few at a time: the history is short, and cached once read
  const revisions = await mapLimited(
    commits,
    4,
    async (c): Promise<ExpiryRevision> => {
      const expiry = expiryOf(await repository.readFile(c.sha, path));
      return {
        sha: c.sha,
        fullMessage: c.fullMessage,
        ...(c.at ? { at: c.at } : {}),
        ...(c.url ? { url: c.url } : {}),
        ...(expiry ? { expiry } : {}),
      };
    },
  );
  return expiryHistory(revisions, commits.length < EXPIRY_HISTORY_LIMIT);
}
