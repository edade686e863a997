import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type {
  GitOpsPublisher,
  GitOpsRepositoryLocation,
} from '@epicshelter/plugin-gitops-node';
import {
  isOnReviewHost,
  requireReviewedChange,
  ReviewHost,
} from '../reviewHost';
import { GithubClientTuning, createGithubClient } from './octokit';
import { GithubPublisher } from './GithubPublisher';

const GITHUB: ReviewHost = {
  integration: 'github',
  title: 'GitHub',
  repositoryNoun: 'repository',
  changeNoun: 'pull requests',
};

/**
 * The GitHub publisher (github.com and GitHub Enterprise hosts of
 * `integrations.github`): one commit, one branch, one pull request.
 * @public
 */
export function createGithubGitOpsPublisher(options: {
  integrations: ScmIntegrationRegistry;
  credentialsProvider?: GithubCredentialsProvider;
  /** Octokit retry/throttle tuning; tests shorten the waits. */
  tuning?: GithubClientTuning;
}): GitOpsPublisher {
  return {
    type: 'github',
    supports: (location: GitOpsRepositoryLocation) =>
      isOnReviewHost(GITHUB, location),
    async publish({
      location,
      request,
      pullRequest,
      mode,
      token,
      logger,
      checkpoint,
    }) {
      const remote = requireReviewedChange(GITHUB, location, mode);
      const octokit = await createGithubClient({
        integrations: options.integrations,
        repository: remote,
        logger,
        credentialsProvider: options.credentialsProvider,
        tuning: options.tuning,
        token,
      });
      const result = await new GithubPublisher(octokit, remote, logger).publish(
        request,
        pullRequest,
        checkpoint,
      );
      return {
        repositoryType: 'github',
        repository: remote.url,
        branch: result.branch,
        commitSha: result.commitSha,
        webUrl: result.pullRequestUrl,
        pullRequestUrl: result.pullRequestUrl,
        pullRequestNumber: result.pullRequestNumber,
      };
    },
  };
}
