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
  | {
      kind: 'gitlab';
      /** The group path, e.g. `platform/infra` (subgroups included). */
      owner: string;
      /** The project path inside the group. */
      repo: string;
      /** `https://<host>/<group>/<project>`: gitlab.com or a host of `integrations.gitlab`. */
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

const GITLAB =
  /^https:\/\/([A-Za-z0-9.-]+(?::\d+)?)\/((?:[A-Za-z0-9_.-]+\/)+)([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/;

/** The public host and the hosts of `integrations.<type>`. */
function integrationHosts(
  config: Config,
  type: 'github' | 'gitlab',
): Set<string> {
  const configured =
    config
      .getOptionalConfigArray(`integrations.${type}`)
      ?.map(c => c.getString('host').toLocaleLowerCase('en-US')) ?? [];
  return new Set([`${type}.com`, ...configured]);
}

/**
 * Reads and normalises the `gitops` config block. A `repository` of the form
 * `https://<host>/<owner>/<repo>` on github.com or on a GitHub Enterprise
 * host of `integrations.github` gives `{ kind: 'github' }` (its `url` keeps
 * the host); `https://<host>/<group>/<project>` on gitlab.com or a host of
 * `integrations.gitlab` gives `{ kind: 'gitlab' }`; anything
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
  if (
    m &&
    integrationHosts(config, 'github').has(m[1].toLocaleLowerCase('en-US'))
  ) {
    const [, host, owner, repo] = m;
    return {
      kind: 'github',
      owner,
      repo,
      url: `https://${host}/${owner}/${repo}`,
      ...common,
    };
  }
  const gitlab = GITLAB.exec(repository);
  if (
    gitlab &&
    integrationHosts(config, 'gitlab').has(gitlab[1].toLocaleLowerCase('en-US'))
  ) {
    const [, host, group, project] = gitlab;
    const owner = group.replace(/\/$/, '');
    return {
      kind: 'gitlab',
      owner,
      repo: project,
      url: `https://${host}/${owner}/${project}`,
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
      )} must be https://github.com/<owner>/<repo>, https://gitlab.com/<group>/<project>, a repository on a host of integrations.github or integrations.gitlab, or a local path`,
    );
  }
  return {
    kind: 'local',
    path: path.resolve(options.cwd ?? process.cwd(), repository),
    ...common,
  };
}
