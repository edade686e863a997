/**
 * Node.js helpers for the Epicshelter GitOps repository: file tree I/O,
 * blueprint loading, the `gitops` config and the CLI.
 *
 * @packageDocumentation
 */

export { readTreeFromDir, writeFiles, resolveInside } from './fs';
export {
  loadBlueprint,
  findBlueprintDir,
  BLUEPRINT_RELATIVE_DIR,
} from './blueprint';
export { readGitOpsConfig } from './config';
export type { GitOpsConfig, GitOpsPullRequestConfig } from './config';
export { runCli, specFromYaml } from './cli';
export type { CliIO } from './cli';
export { GITOPS_CHANGED_TOPIC } from './events';
export type { GitOpsChangedEventPayload } from './events';
export { gitopsPublishersExtensionPoint } from './extensions';
export type {
  ChangeFile,
  ChangeGuard,
  ChangeProvenance,
  CheckpointFn,
  GitOpsPublisher,
  GitOpsPublishersExtensionPoint,
  GitOpsPublishOptions,
  GitOpsPublishResult,
  GitOpsRepositoryLocation,
  PublishRequest,
  PullRequestOptions,
} from './extensions';
export {
  DefaultGitOpsRepositoryService,
  gitopsRepositoryServiceFactory,
  gitopsRepositoryServiceRef,
} from './repository/GitOpsRepositoryService';
export { mapLimited } from './repository/mapLimited';
export type {
  GitOpsChange,
  GitOpsChangedFile,
  GitOpsChangedFiles,
  GitOpsCommitCounts,
  GitOpsCommitDetails,
  GitOpsCommitInfo,
  GitOpsCommitPerson,
  GitOpsCommitTrailer,
  GitOpsFileStat,
  GitOpsHistoryCommit,
  GitOpsRepository,
  GitOpsRepositoryService,
  GitOpsTreeEntry,
} from './repository/types';
