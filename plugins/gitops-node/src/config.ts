import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Pull request settings of the GitOps repository. @public */
export interface GitOpsPullRequestConfig {
  labels: string[];
  reviewers: string[];
  draft: boolean;
}

/** Normalised `gitops` config. @public */
export type GitOpsConfig = (
  | {
      kind: 'github';
      owner: string;
      repo: string;
      /** `https://<host>/<owner>/<repo>`: github.com or a GitHub Enterprise host. */
      url: string;
    }
  | { kind: 'local'; path: string }
) & {
  defaultBranch: string;
  branchPrefix: string;
  pullRequest: GitOpsPullRequestConfig;
};

const GITHUB =
  /^https:\/\/([A-Za-z0-9.-]+(?::\d+)?)\/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100}?)(?:\.git)?\/?$/;

/** github.com and the GitHub Enterprise hosts of `integrations.github`. */
function githubHosts(config: Config): Set<string> {
  const configured =
    config
      .getOptionalConfigArray('integrations.github')
      ?.map(c => c.getString('host').toLocaleLowerCase('en-US')) ?? [];
  return new Set(['github.com', ...configured]);
}

/**
 * Reads and normalises the `gitops` config block. A `repository` of the form
 * `https://<host>/<owner>/<repo>` on github.com or on a GitHub Enterprise
 * host of `integrations.github` gives `{ kind: 'github' }` (its `url` keeps
 * the host); anything
 * else without a URL scheme is a local path, resolved against `cwd`
 * (default `process.cwd()`).
 * @throws InputError naming the config key for a malformed value
 * @public
 */
export function readGitOpsConfig(
  config: Config,
  options: { cwd?: string } = {},
): GitOpsConfig {
  const c = config.getConfig('gitops');
  const repository = c.getString('repository').trim();
  const defaultBranch = c.getOptionalString('defaultBranch') ?? 'main';
  const branchPrefix = c.getOptionalString('branchPrefix') ?? 'epicshelter/';
  const pr = c.getOptionalConfig('pullRequest');
  const pullRequest: GitOpsPullRequestConfig = {
    labels: pr?.getOptionalStringArray('labels') ?? [],
    reviewers: pr?.getOptionalStringArray('reviewers') ?? [],
    draft: pr?.getOptionalBoolean('draft') ?? false,
  };
  if (
    !/^[A-Za-z0-9._/-]+$/.test(defaultBranch) ||
    defaultBranch.includes('..')
  ) {
    throw new InputError(
      `gitops.defaultBranch ${JSON.stringify(
        defaultBranch,
      )} is not a valid branch name`,
    );
  }
  if (!/^[A-Za-z0-9._/-]*$/.test(branchPrefix) || branchPrefix.includes('..')) {
    throw new InputError(
      `gitops.branchPrefix ${JSON.stringify(
        branchPrefix,
      )} may only contain letters, digits, '.', '_', '-' and '/'`,
    );
  }
  const common = { defaultBranch, branchPrefix, pullRequest };
  if (repository === '') {
    throw new InputError('gitops.repository must not be empty');
  }
  const m = GITHUB.exec(repository);
  if (m && githubHosts(config).has(m[1].toLocaleLowerCase('en-US'))) {
    const [, host, owner, repo] = m;
    return {
      kind: 'github',
      owner,
      repo,
      url: `https://${host}/${owner}/${repo}`,
      ...common,
    };
  }
  if (
    /^[a-z][a-z0-9+.-]*:/i.test(repository) &&
    !/^[A-Za-z]:[\\/]/.test(repository)
  ) {
    throw new InputError(
      `gitops.repository ${JSON.stringify(
        repository,
      )} must be https://github.com/<owner>/<repo>, a repository on a GitHub Enterprise host of integrations.github, or a local path`,
    );
  }
  return {
    kind: 'local',
    path: path.resolve(options.cwd ?? process.cwd(), repository),
    ...common,
  };
}
