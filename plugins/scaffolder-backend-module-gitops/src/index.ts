/**
 * Scaffolder actions and publishing for the Epicshelter GitOps repository.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGitops as default } from './module';
export {
  createGitOpsPublishAction,
  gitOpsPublishers,
  pullRequestBody,
  type GitOpsPublishActionOptions,
} from './actions/publish';
export { createGithubGitOpsPublisher } from './publish/github/githubGitOpsPublisher';
export { createLocalGitOpsPublisher } from './publish/local/localGitOpsPublisher';
export {
  createGitlabGitOpsPublisher,
  type GitlabClientTuning,
} from './publish/gitlab/gitlabGitOpsPublisher';

export {
  GithubPublisher,
  type GithubPublishResult,
} from './publish/github/GithubPublisher';
export {
  createGithubClient,
  GitOpsOctokit,
  type GitOpsOctokitClient,
  type GithubClientTuning,
  type GithubRepository,
} from './publish/github/octokit';
export {
  LocalGitPublisher,
  type LocalGitPublisherOptions,
  type LocalPublishMode,
  type LocalPublishResult,
} from './publish/local/LocalGitPublisher';
export {
  parseRepositoryLocation,
  readPublishSettings,
  type GitOpsRepositoryLocation,
  type PublishSettings,
} from './publish/settings';
export type {
  ChangeFile,
  PublishRequest,
  PullRequestOptions,
} from './publish/types';
export {
  PermissionEnvironmentAuthorizer,
  type EnvironmentAuthorizer,
  type EnvironmentChangeAction,
} from './authorization/EnvironmentAuthorizer';
export {
  createEnvironmentCreateAction,
  type EnvironmentActionOptions,
} from './actions/createEnvironment';
export { createEnvironmentAddResourceAction } from './actions/addResource';
export { createEnvironmentExtendAction } from './actions/extend';
export type { Clock } from './actions/expiry';
export type { BlueprintLoader, RepositoryAccess } from './repository';
export { GITOPS_CHANGED_TOPIC } from './events';
export type { GitOpsChangedEventPayload } from './events';
