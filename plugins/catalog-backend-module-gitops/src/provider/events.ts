import path from 'node:path';

export { GITOPS_CHANGED_TOPIC } from '@epicshelter/plugin-gitops-node';

/** The parts of the event payload the provider reads. @public */
export interface GitOpsChangedEvent {
  repository: string;
  branch?: string;
  commitSha?: string;
  environment?: string;
}

/** Reads the payload, or undefined when it does not have the expected shape. */
export function parseGitOpsChangedEvent(
  payload: unknown,
): GitOpsChangedEvent | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  if (typeof p.repository !== 'string' || !p.repository) return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    repository: p.repository,
    branch: str(p.branch),
    commitSha: str(p.commitSha),
    environment: str(p.environment),
  };
}

/**
 * Comparable form of a repository location: an absolute path for local
 * repositories, `host/owner/repo` (lower case, no `.git`) for URLs.
 */
export function normalizeRepository(location: string): string {
  const value = location.trim();
  if (/^https?:\/\//i.test(value)) {
    const url = new URL(value);
    return `${url.host}${url.pathname}`
      .replace(/\.git$/, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  }
  const local = value.startsWith('file://') ? new URL(value).pathname : value;
  return path.resolve(local);
}
