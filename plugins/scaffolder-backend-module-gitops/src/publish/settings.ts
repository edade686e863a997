import path from 'node:path';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { readGitOpsConfig } from '@epicshelter/plugin-gitops-node';

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
  /**
   * `gitops.allowedRepositories`: the repositories a task may name besides
   * `gitops.repository` (local paths, GitHub URLs or scaffolder repoUrls).
   */
  allowedRepositories: string[];
};

/** The branch prefix used when none is configured (as gitops-node). @public */
export const DEFAULT_BRANCH_PREFIX = 'epicshelter/';

/**
 * Reads publishing settings from the `gitops` config section, which
 * `@epicshelter/plugin-gitops-node` declares and normalises
 * (`readGitOpsConfig`). Two optional keys are read here on top:
 * `gitops.pullRequest.teamReviewers` and `gitops.localMode`.
 * @public
 */
export function readPublishSettings(config: Config): PublishSettings {
  const gitops = config.getOptionalConfig('gitops');
  const localMode = gitops?.getOptionalString('localMode') ?? 'direct';
  if (localMode !== 'branch' && localMode !== 'direct') {
    throw new InputError(
      `gitops.localMode must be "branch" or "direct", got "${localMode}"`,
    );
  }
  const teamReviewers =
    gitops?.getOptionalStringArray('pullRequest.teamReviewers') ?? [];
  const allowedRepositories =
    gitops?.getOptionalStringArray('allowedRepositories') ?? [];
  if (!gitops?.has('repository')) {
    return {
      repository: undefined,
      defaultBranch: gitops?.getOptionalString('defaultBranch'),
      branchPrefix:
        gitops?.getOptionalString('branchPrefix') ?? DEFAULT_BRANCH_PREFIX,
      labels: gitops?.getOptionalStringArray('pullRequest.labels') ?? [],
      reviewers: gitops?.getOptionalStringArray('pullRequest.reviewers') ?? [],
      teamReviewers,
      draft: gitops?.getOptionalBoolean('pullRequest.draft') ?? false,
      localMode,
      allowedRepositories,
    };
  }
  const normalised = readGitOpsConfig(config);
  return {
    repository: normalised.kind === 'github' ? normalised.url : normalised.path,
    defaultBranch: normalised.defaultBranch,
    branchPrefix: normalised.branchPrefix,
    labels: normalised.pullRequest.labels,
    reviewers: normalised.pullRequest.reviewers,
    teamReviewers,
    draft: normalised.pullRequest.draft,
    localMode,
    allowedRepositories,
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
