import path from 'node:path';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { ConfigReader } from '@backstage/config';
import {
  GitOpsRepositoryLocation,
  readGitOpsConfig,
} from '@epicshelter/plugin-gitops-node';

export type { GitOpsRepositoryLocation };

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
  // A URL on a host other than github.com (GitHub Enterprise, GitLab, or a
  // host an adopter's publisher serves) is kept as written and resolved
  // against the integrations by parseRepositoryLocation; readGitOpsConfig
  // checks the other keys.
  const raw = gitops.getString('repository').trim();
  const otherHost =
    /^https?:\/\//i.test(raw) && !/^https:\/\/github\.com\//i.test(raw);
  const normalised = readGitOpsConfig(
    otherHost
      ? new ConfigReader({
          gitops: { ...gitops.get<object>(), repository: '.' },
        })
      : config,
  );
  let repository: string;
  if (otherHost) repository = raw;
  else if (normalised.kind === 'local') repository = normalised.path;
  else repository = normalised.url;
  return {
    repository,
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
 * or a repository URL on a host of one of the `integrations`:
 * `https://<github-host>/<owner>/<repo>` (github.com or GitHub Enterprise),
 * `https://<gitlab-host>/<group>/<subgroup>/<project>`, ...
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
  let parts: string[];
  if (/^[^/]+\?/.test(trimmed)) {
    const parsed = parseRepoUrl(trimmed, integrations);
    host = parsed.host;
    parts = [
      ...(parsed.organization && !parsed.owner ? [parsed.organization] : []),
      ...(parsed.owner ?? '').split('/').filter(Boolean),
      parsed.repo,
    ];
  } else {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new InputError(
        `Cannot understand GitOps repository location "${trimmed}": use an absolute path, a repository URL (https://github.com/owner/repo, https://gitlab.example.com/group/project) or github.com?owner=owner&repo=repo`,
      );
    }
    host = url.host;
    // GitLab web URLs continue after `/-/` (e.g. /-/tree/main)
    parts = url.pathname
      .split('/-/')[0]
      .replace(/\.git\/?$/, '')
      .split('/')
      .filter(Boolean);
  }
  const integration = integrations.byHost(host);
  if (!integration) {
    throw new InputError(
      `GitOps repository ${trimmed} is on ${host}, which has no integration in app-config (integrations.github or integrations.gitlab with host ${host})`,
    );
  }
  const type = integration.type;
  // a GitHub repository is owner/repo; a GitLab project may sit in subgroups
  const named = type === 'github' ? parts.slice(0, 2) : parts;
  if (named.length < 2) {
    throw new InputError(
      `GitOps repository location ${trimmed} must name ${
        type === 'github'
          ? 'an owner and a repository'
          : 'a group and a project'
      }`,
    );
  }
  const owner = named.slice(0, -1).join('/');
  const repo = named[named.length - 1];
  return {
    type: 'remote',
    integration: type,
    host,
    owner,
    repo,
    url: `https://${host}/${owner}/${repo}`,
  };
}
