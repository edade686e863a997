import { InputError } from '@backstage/errors';
import {
  getGitLabRequestOptions,
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
import { GitlabClient, GitlabClientTuning } from './gitlabClient';
import { GitlabPublisher } from './GitlabPublisher';

export type { GitlabClientTuning };

const GITLAB: ReviewHost = {
  integration: 'gitlab',
  title: 'GitLab',
  repositoryNoun: 'project',
  changeNoun: 'merge requests',
};

/**
 * The GitLab publisher (hosts of `integrations.gitlab`, with their `token`
 * and `apiBaseUrl`): one commit on one branch, one merge request.
 * @public
 */
export function createGitlabGitOpsPublisher(options: {
  integrations: ScmIntegrationRegistry;
  /** Retry tuning; tests shorten the waits. */
  tuning?: GitlabClientTuning;
}): GitOpsPublisher {
  return {
    type: 'gitlab',
    supports: (location: GitOpsRepositoryLocation) =>
      isOnReviewHost(GITLAB, location),
    async publish({
      location,
      request,
      pullRequest,
      mode,
      token,
      logger,
      checkpoint,
    }) {
      const remote = requireReviewedChange(GITLAB, location, mode);
      const integration = options.integrations.gitlab.byHost(remote.host);
      if (!integration) {
        throw new InputError(
          `No GitLab integration is configured for host ${remote.host}; add it under integrations.gitlab in app-config.yaml`,
        );
      }
      if (!token && !integration.config.token) {
        throw new InputError(
          `integrations.gitlab (host ${remote.host}) has no token; GitLab merge requests need one with the api scope`,
        );
      }
      const client = new GitlabClient({
        apiBaseUrl: integration.config.apiBaseUrl,
        headers: getGitLabRequestOptions(integration.config, token).headers,
        tuning: options.tuning,
      });
      const projectPath = `${remote.owner}/${remote.repo}`;
      const result = await new GitlabPublisher(
        client,
        { host: remote.host, projectPath },
        logger,
      ).publish(request, pullRequest, checkpoint);
      return {
        repositoryType: 'gitlab',
        repository: remote.url,
        branch: result.branch,
        commitSha: result.commitSha,
        webUrl: result.mergeRequestUrl,
        pullRequestUrl: result.mergeRequestUrl,
        pullRequestNumber: result.mergeRequestIid,
      };
    },
  };
}
