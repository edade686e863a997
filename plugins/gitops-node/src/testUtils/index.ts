/**
 * Test helpers for the backend modules of the GitOps repository.
 *
 * @packageDocumentation
 */

export { testDatabaseServiceFactory } from './database';
export { createFakeGitlabRepository } from './fakeGitlabRepository';
export type {
  FakeGitlabMergeRequest,
  FakeGitlabRepository,
  FakeGitlabRepositoryOptions,
} from './fakeGitlabRepository';
export { createFakeGithubRepository } from './fakeGithubRepository';
export type {
  FakeGithubRepository,
  FakeGithubRepositoryOptions,
} from './fakeGithubRepository';
