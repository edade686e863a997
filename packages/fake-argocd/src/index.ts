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
  FakeInstanceOptions,
  FakeRequestRecord,
} from './server';
export {
  buildApplication,
  commitSha,
  generateInstanceApplications,
  revisionMetadataFor,
  GITOPS_REPO_URL,
} from './data';
export type { AppSpec } from './data';
export { projectFields } from './fields';
