/**
 * Test-only helpers shared by the GitOps plugins' tests. This package is
 * private and only ever a devDependency, so `@octokit/openapi` (a large
 * description of GitHub's REST API) never becomes a runtime dependency of a
 * published plugin.
 *
 * @packageDocumentation
 */

export { githubOpenApi, validateGithubResponse } from './githubOpenApi';
export { githubPullRequest } from './githubPullRequest';
export type {
  GithubPullRequestFields,
  GithubPullRequestSimple,
} from './githubPullRequest';
