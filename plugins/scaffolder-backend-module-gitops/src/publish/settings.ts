import path from 'node:path';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';

/** Where the GitOps repository lives. @public */
export type GitOpsRepositoryLocation =
  | { type: 'github'; host: string; owner: string; repo: string; url: string }
  | { type: 'local'; path: string };

/** Publishing defaults read from app-config. @public */
export type PublishSettings = {
  /** `gitops.repository`: a local path, a GitHub URL or a scaffolder repoUrl. */
  repository?: string;
  defaultBranch?: string;
  branchPrefix: string;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
  draft: boolean;
  /** Local repositories: commit on a `branch` or `direct`ly on the default branch. */
  localMode: 'branch' | 'direct';
};

/** The branch prefix used when none is configured. @public */
export const DEFAULT_BRANCH_PREFIX = 'gitops/';

/**
 * Reads publishing settings from the `gitops` config section, which
 * `@epicshelter/plugin-gitops-node` declares.
 * @public
 */
export function readPublishSettings(config: Config): PublishSettings {
  const gitops = config.getOptionalConfig('gitops');
  const repositoryValue = gitops?.getOptional('repository');
  let repository: string | undefined;
  let fromObject: Config | undefined;
  if (typeof repositoryValue === 'string') {
    repository = repositoryValue;
  } else if (repositoryValue && typeof repositoryValue === 'object') {
    fromObject = gitops!.getConfig('repository');
    repository =
      fromObject.getOptionalString('url') ??
      fromObject.getOptionalString('path');
  }
  const pick = (key: string) =>
    fromObject?.getOptional(key) ?? gitops?.getOptional(key);
  const pr =
    fromObject?.getOptionalConfig('pullRequest') ??
    gitops?.getOptionalConfig('pullRequest');
  const localMode = (pick('localMode') as string | undefined) ?? 'direct';
  if (localMode !== 'branch' && localMode !== 'direct') {
    throw new InputError(
      `gitops.localMode must be "branch" or "direct", got "${localMode}"`,
    );
  }
  return {
    repository,
    defaultBranch: pick('defaultBranch') as string | undefined,
    branchPrefix:
      (pick('branchPrefix') as string | undefined) ?? DEFAULT_BRANCH_PREFIX,
    labels: pr?.getOptionalStringArray('labels') ?? [],
    reviewers: pr?.getOptionalStringArray('reviewers') ?? [],
    teamReviewers: pr?.getOptionalStringArray('teamReviewers') ?? [],
    draft: pr?.getOptionalBoolean('draft') ?? false,
    localMode,
  };
}

/**
 * Parses a repository location: an absolute or `./`-relative path or a
 * `file://` URL (local), a scaffolder repoUrl (`github.com?owner=o&repo=r`)
 * or a GitHub URL (`https://github.com/o/r`).
 * @public
 */
export function parseRepositoryLocation(
  value: string,
  integrations: ScmIntegrationRegistry,
): GitOpsRepositoryLocation {
  const trimmed = value.trim();
  if (!trimmed) {
    throw new InputError('The GitOps repository location is empty');
  }
  if (trimmed.startsWith('file://')) {
    return { type: 'local', path: path.resolve(new URL(trimmed).pathname) };
  }
  if (
    trimmed.startsWith('/') ||
    trimmed.startsWith('./') ||
    trimmed.startsWith('../')
  ) {
    return { type: 'local', path: path.resolve(trimmed) };
  }
  let host: string;
  let owner: string | undefined;
  let repo: string;
  if (/^[^/]+\?/.test(trimmed)) {
    ({ host, owner, repo } = parseRepoUrl(trimmed, integrations));
  } else {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new InputError(
        `Cannot understand GitOps repository location "${trimmed}": use an absolute path, a GitHub URL (https://github.com/owner/repo) or github.com?owner=owner&repo=repo`,
      );
    }
    host = url.host;
    const parts = url.pathname
      .replace(/\.git$/, '')
      .split('/')
      .filter(Boolean);
    if (parts.length < 2) {
      throw new InputError(
        `GitOps repository URL ${trimmed} must name an owner and a repository`,
      );
    }
    [owner, repo] = parts;
  }
  if (!integrations.github.byHost(host)) {
    throw new InputError(
      `GitOps repository ${trimmed} is on ${host}, which has no GitHub integration in app-config (integrations.github)`,
    );
  }
  if (!owner || !repo) {
    throw new InputError(
      `GitOps repository location ${trimmed} must name an owner and a repository`,
    );
  }
  return {
    type: 'github',
    host,
    owner,
    repo,
    url: `https://${host}/${owner}/${repo}`,
  };
}
