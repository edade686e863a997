/**
 * Environments backend: deployments with Git revision comparison, the
 * lifecycle from request to ready, and the promotion matrix.
 *
 * @packageDocumentation
 */

export { environmentsPlugin as default } from './plugin';
export { EnvironmentService } from './services/EnvironmentService';
export { PortalClient, latestTemplateRun } from './services/portal';
export type { EntitySnapshot, ScaffolderTaskSummary } from './services/portal';
export { gitOpsRepositoryReader } from './services/repository';
export type {
  CommitCounts,
  GitOpsRepositoryReader,
} from './services/repository';
