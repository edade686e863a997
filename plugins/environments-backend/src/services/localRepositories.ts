import path from 'node:path';
import type { Config } from '@backstage/config';
import type { GitOpsLocalRepository } from '@epicshelter/plugin-environments-common';

/** A repository URL or repoUrl (hosted), not a path on this machine. */
const HOSTED = /^[a-z][a-z0-9+.-]*:\/\/|^[^/]+\?/i;

/**
 * The local repositories templates may write to, from `gitops.repository`
 * and `gitops.allowedRepositories` (hosted ones are left out: templates
 * name those with a repository picker), each once, as absolute paths
 * resolved from the backend's working directory as the scaffolder actions
 * resolve them.
 */
export function localRepositories(config: Config): GitOpsLocalRepository[] {
  const configured = config.getOptionalString('gitops.repository');
  const allowed =
    config.getOptionalStringArray('gitops.allowedRepositories') ?? [];
  const out = new Map<string, GitOpsLocalRepository>();
  const add = (value: string | undefined, isConfigured: boolean) => {
    const trimmed = value?.trim();
    if (!trimmed) return;
    const file = trimmed.startsWith('file://');
    if (!file && HOSTED.test(trimmed)) return;
    const absolute = path.resolve(file ? new URL(trimmed).pathname : trimmed);
    if (out.has(absolute)) return;
    out.set(absolute, {
      path: absolute,
      title: path.basename(absolute),
      configured: isConfigured,
    });
  };
  add(configured, true);
  allowed.forEach(value => add(value, false));
  return [...out.values()];
}
