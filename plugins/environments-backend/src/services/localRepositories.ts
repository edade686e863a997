import path from 'node:path';
import type { Config } from '@backstage/config';
import type { GitOpsLocalRepository } from '@epicshelter/plugin-environments-common';

/** A repository URL or repoUrl (hosted), not a path on this machine. */
const HOSTED = /^[a-z][a-z0-9+.-]*:\/\/|^[^/]+\?/i;

/**
 * The local repositories templates may write to, from `gitops.repository`
 * and `gitops.allowedRepositories` (hosted ones are left out: templates
 * name those with a repository picker), each once. A repository is named by
 * its configuration key and the folder's name: its path on this machine is
 * resolved (from the backend's working directory, as the scaffolder actions
 * resolve it) only to list each repository once, and is not returned.
 */
export function localRepositories(config: Config): GitOpsLocalRepository[] {
  const configured = config.getOptionalString('gitops.repository');
  const allowed =
    config.getOptionalStringArray('gitops.allowedRepositories') ?? [];
  const out = new Map<string, GitOpsLocalRepository>();
  const add = (value: string | undefined, ref: string) => {
    const trimmed = value?.trim();
    if (!trimmed) return;
    const file = trimmed.startsWith('file://');
    if (!file && HOSTED.test(trimmed)) return;
    const absolute = path.resolve(file ? new URL(trimmed).pathname : trimmed);
    if (out.has(absolute)) return;
    out.set(absolute, {
      ref,
      title: path.basename(absolute),
      configured: ref === 'gitops.repository',
    });
  };
  add(configured, 'gitops.repository');
  allowed.forEach((value, i) => add(value, `gitops.allowedRepositories[${i}]`));
  return [...out.values()];
}
