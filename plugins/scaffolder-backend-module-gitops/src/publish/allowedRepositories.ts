import fs from 'node:fs';
import path from 'node:path';
import { NotAllowedError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import {
  GitOpsRepositoryLocation,
  PublishSettings,
  parseRepositoryLocation,
} from './settings';

/**
 * One key per repository: the real path of a local one (symbolic links
 * resolved as far as the path exists), `host/owner/repo` in lower case for
 * a hosted one.
 */
export function repositoryKey(location: GitOpsRepositoryLocation): string {
  if (location.type === 'remote') {
    return `${location.integration}:${location.host}/${location.owner}/${location.repo}`.toLocaleLowerCase(
      'en-US',
    );
  }
  let existing = path.resolve(location.path);
  const rest: string[] = [];
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return `local:${path.join(fs.realpathSync(existing), ...rest)}`;
}

/**
 * A configured repository: a URL or repoUrl as the task input would name it,
 * anything else a local path (relative to the backend's working directory,
 * as `gitops.repository`).
 */
function configuredLocation(
  value: string,
  integrations: ScmIntegrationRegistry,
): GitOpsRepositoryLocation {
  const trimmed = value.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /^[^/]+\?/.test(trimmed)) {
    return parseRepositoryLocation(trimmed, integrations);
  }
  return { type: 'local', path: path.resolve(trimmed) };
}

/**
 * Throws NotAllowedError unless `location` is `gitops.repository` or listed
 * in `gitops.allowedRepositories`: a task may not read or write any other
 * repository of the server or of the GitHub integration. The message does
 * not repeat the location (it may be a server path).
 */
export function assertAllowedRepository(
  location: GitOpsRepositoryLocation,
  settings: PublishSettings,
  integrations: ScmIntegrationRegistry,
): void {
  const allowed = [settings.repository, ...settings.allowedRepositories]
    .filter((v): v is string => !!v?.trim())
    .map(v => repositoryKey(configuredLocation(v, integrations)));
  if (!allowed.includes(repositoryKey(location))) {
    throw new NotAllowedError(
      'The task names a GitOps repository this portal may not use. Leave "repository" empty to use the portal\'s GitOps repository (gitops.repository), or ask a platform admin to add it to gitops.allowedRepositories.',
    );
  }
}
