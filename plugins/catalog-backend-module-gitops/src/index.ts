/**
 * Catalog backend module of Epicshelter: environments of the GitOps
 * repository as catalog entities.
 *
 * @packageDocumentation
 */

export { catalogModuleGitOps as default } from './module';
export { GitOpsEntityProvider } from './provider/GitOpsEntityProvider';
export type {
  GitOpsEntityProviderOptions,
  GitOpsRefreshResult,
} from './provider/GitOpsEntityProvider';
export {
  LocalGitRepositorySource,
  UrlReaderRepositorySource,
} from './provider/sources';
export type {
  EnvironmentFolder,
  GitOpsRepositorySource,
  RepositorySnapshot,
} from './provider/sources';
export {
  EPICSHELTER_SYSTEM,
  brokenEnvironmentEntity,
  entitiesForEnvironmentFile,
  environmentEntities,
  parseEnvironmentFile,
} from './provider/entities';
export type {
  ParsedEnvironmentFile,
  RepositoryDescription,
} from './provider/entities';
export { GitOpsEnvironmentErrorProcessor } from './processor/GitOpsEnvironmentErrorProcessor';
export { GITOPS_CHANGED_TOPIC } from './provider/events';
export type { GitOpsChangedEvent } from './provider/events';
