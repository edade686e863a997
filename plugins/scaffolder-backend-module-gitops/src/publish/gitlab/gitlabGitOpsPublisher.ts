import { InputError } from '@backstage/errors';
import {
  getGitLabRequestOptions,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import type {
  GitOpsPublisher,
  GitOpsRepositoryLocation,
} from '@epicshelter/plugin-gitops-node';
import { GitlabClient, GitlabClientTuning } from './gitlabClient';
import { GitlabPublisher } from './GitlabPublisher';

export type { GitlabClientTuning };

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
      location.type === 'remote' && location.integration === 'gitlab',
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
        throw new InputError('The GitLab publisher needs a GitLab project');
      }
      if (mode && mode !== 'pull-request') {
        throw new InputError(
          `mode "${mode}" is only for local repositories; GitLab changes are always merge requests`,
        );
      }
      const integration = options.integrations.gitlab.byHost(location.host);
      if (!integration) {
        throw new InputError(
          `No GitLab integration is configured for host ${location.host}; add it under integrations.gitlab in app-config.yaml`,
        );
      }
      if (!token && !integration.config.token) {
        throw new InputError(
          `integrations.gitlab (host ${location.host}) has no token; GitLab merge requests need one with the api scope`,
        );
      }
      const client = new GitlabClient({
        apiBaseUrl: integration.config.apiBaseUrl,
        headers: getGitLabRequestOptions(integration.config, token).headers,
        tuning: options.tuning,
      });
      const projectPath = `${location.owner}/${location.repo}`;
      const result = await new GitlabPublisher(
        client,
        { host: location.host, projectPath },
        logger,
      ).publish(request, pullRequest, checkpoint);
      return {
        repositoryType: 'gitlab',
        repository: location.url,
        branch: result.branch,
        commitSha: result.commitSha,
        webUrl: result.mergeRequestUrl,
        pullRequestUrl: result.mergeRequestUrl,
        pullRequestNumber: result.mergeRequestIid,
      };
    },
  };
}
