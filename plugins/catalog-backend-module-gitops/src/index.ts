/**
 * Catalog backend module of Epicshelter: environments of the GitOps
 * repository as catalog entities.
 *
 * @packageDocumentation
 */

export { catalogModuleGitOps as default } from './module';
export {
  DEFAULT_ENVIRONMENTS_SYSTEM_OWNER,
  GitOpsEntityProvider,
} from './provider/GitOpsEntityProvider';
export type {
  GitOpsEntityProviderOptions,
  GitOpsRefreshResult,
} from './provider/GitOpsEntityProvider';
export { GitOpsRepositoryServiceSource } from './provider/sources';
export type {
  EnvironmentFolder,
  GitOpsRepositorySource,
  RepositorySnapshot,
} from './provider/sources';
export {
  DEFAULT_ENVIRONMENTS_SYSTEM,
  LOCAL_LOCATION_TYPE,
  brokenEnvironmentEntity,
  entitiesForEnvironmentFile,
  environmentEntities,
  environmentsSystemEntity,
  parseEnvironmentFile,
} from './provider/entities';
export type {
  EnvironmentCatalogOptions,
  ParsedEnvironmentFile,
  RepositoryDescription,
} from './provider/entities';
export { GitOpsEnvironmentErrorProcessor } from './processor/GitOpsEnvironmentErrorProcessor';
export { GITOPS_CHANGED_TOPIC } from './provider/events';
export type { GitOpsChangedEvent } from './provider/events';
