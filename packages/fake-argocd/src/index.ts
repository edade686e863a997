/**
 * A fake Argo CD API server (sessions with expiring JWTs, applications with
 * `fields=` and label selectors, resource trees, revision metadata, sync,
 * refresh, terminate, ApplicationSets, latency and outages) for tests,
 * benchmarks and local development.
 *
 * @packageDocumentation
 */
export { startFakeArgoCd } from './server';
export type {
  FakeArgoCd,
  FakeArgoCdOptions,
  FakeInstanceMode,
  FakeInjectedError,
  FakeInstanceOptions,
  FakeRequestRecord,
} from './server';
export {
  buildApplication,
  commitSha,
  generateInstanceApplications,
  generateInstanceSpecs,
  historyLengthFor,
  revisionMetadataFor,
  GITOPS_REPO_URL,
} from './data';
export type { AppDeployment, AppSpec } from './data';
export { GitOpsRepository, deploymentsFor, environmentLag } from './gitops';
export type { GitOpsCommit } from './gitops';
export { projectFields } from './fields';
export { watchFilter, sendsInitialState } from './watch';
export type { WatchEventType, WatchStreamLine } from './watch';
export {
  REAL_WORLD_APP_NAMESPACE,
  REAL_WORLD_INSTANCE,
  REAL_WORLD_REVISIONS,
  realWorldArgoCdInstance,
} from './scenarios/realWorld';
export {
  argoCdSwagger,
  assertArgoCdShape,
  readReferenceJson,
  readReferenceYaml,
  REFERENCE_DIR,
} from './swagger';
export type { ArgoCdSwagger } from './swagger';
