import { githubOpenApi } from './githubOpenApi';

/** What {@link githubPullRequest} sets on GitHub's own example pull request. */
export interface GithubPullRequestFields {
  /** Default `acme`. */
  owner?: string;
  /** Default `gitops`. */
  repo?: string;
  /** Default `https://api.github.com`. */
  apiBaseUrl?: string;
  /** Default `https://github.com`. */
  webBaseUrl?: string;
  number: number;
  /** The branch the pull request proposes. */
  head: string;
  /** Default `main`. */
  base?: string;
  /** A merged pull request is `closed` with `mergedAt`. */
  state: 'open' | 'closed';
  draft?: boolean;
  createdAt: string;
  mergedAt?: string;
}

/** A `pull-request-simple` of GitHub's REST API; the fields a fake filters by are typed. */
export type GithubPullRequestSimple = Record<string, unknown> & {
  number: number;
  state: 'open' | 'closed';
  head: { label: string; ref: string };
};

/**
 * A pull request as `GET /repos/{owner}/{repo}/pulls` lists it
 * (`pull-request-simple`): GitHub's own example from its OpenAPI
 * description, with the number, branches, state, dates and URLs of `fields`,
 * so it stays valid against the schema. Give it to a fake GitHub host.
 */
export function githubPullRequest(
  fields: GithubPullRequestFields,
): GithubPullRequestSimple {
  const owner = fields.owner ?? 'acme';
  const repo = fields.repo ?? 'gitops';
  const api = `${
    fields.apiBaseUrl ?? 'https://api.github.com'
  }/repos/${owner}/${repo}`;
  const web = `${fields.webBaseUrl ?? 'https://github.com'}/${owner}/${repo}`;
  const [example] = JSON.parse(
    JSON.stringify(
      githubOpenApi().components.examples['pull-request-simple-items'].value,
    ),
  );
  const closedAt =
    fields.state === 'closed' ? fields.mergedAt ?? fields.createdAt : null;
  return {
    ...example,
    id: 1000 + fields.number,
    number: fields.number,
    url: `${api}/pulls/${fields.number}`,
    html_url: `${web}/pull/${fields.number}`,
    diff_url: `${web}/pull/${fields.number}.diff`,
    patch_url: `${web}/pull/${fields.number}.patch`,
    state: fields.state,
    draft: fields.draft ?? false,
    created_at: fields.createdAt,
    updated_at: closedAt ?? fields.createdAt,
    closed_at: closedAt,
    merged_at: fields.mergedAt ?? null,
    // GitHub's example lists a team without the `type` its schema requires
    requested_teams: [],
    head: {
      ...example.head,
      label: `${owner}:${fields.head}`,
      ref: fields.head,
    },
    base: {
      ...example.base,
      label: `${owner}:${fields.base ?? 'main'}`,
      ref: fields.base ?? 'main',
    },
  };
}
