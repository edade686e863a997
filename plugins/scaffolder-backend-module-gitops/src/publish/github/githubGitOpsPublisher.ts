import { InputError } from '@backstage/errors';
import type {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type {
  GitOpsPublisher,
  GitOpsRepositoryLocation,
} from '@epicshelter/plugin-gitops-node';
import { GithubClientTuning, createGithubClient } from './octokit';
import { GithubPublisher } from './GithubPublisher';

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
      location.type === 'remote' && location.integration === 'github',
    async publish({
      location,
      request,
      pullRequest,
      mode,
      token,
      logger,
      checkpoint,
    }) {
      if (location.type !== 'remote') {
        throw new InputError('The GitHub publisher needs a GitHub repository');
      }
      if (mode && mode !== 'pull-request') {
        throw new InputError(
          `mode "${mode}" is only for local repositories; GitHub changes are always pull requests`,
        );
      }
      const octokit = await createGithubClient({
        integrations: options.integrations,
        repository: location,
        logger,
        credentialsProvider: options.credentialsProvider,
        tuning: options.tuning,
        token,
      });
      const result = await new GithubPublisher(
        octokit,
        location,
        logger,
      ).publish(request, pullRequest, checkpoint);
      return {
        repositoryType: 'github',
        repository: location.url,
        branch: result.branch,
        commitSha: result.commitSha,
        webUrl: result.pullRequestUrl,
        pullRequestUrl: result.pullRequestUrl,
        pullRequestNumber: result.pullRequestNumber,
      };
    },
  };
}
