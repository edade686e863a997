/**
 * A fake Kubernetes API server serving Crossplane objects, for tests,
 * benchmarks and local development.
 *
 * @packageDocumentation
 */

export { startFakeKubernetes, servedResourceTypes } from './server';
export type { FakeKubernetesOptions, FakeKubernetesServer } from './server';
export type {
  KubeObject,
  FakeResourceType,
  FakeRequestLogEntry,
} from './types';
export * from './builders';
export * from './platform';
export { demoObjects, demoManagedCrds, demoProviders } from './demo';
export * from './packages';
export * from './realWorld';
export { referenceObject, referenceObjects } from './reference';
export { blueprintPlatformObjects, findPlatformApisDir } from './blueprint';
export { KUBERNETES_TAB_TYPES } from './kubernetesTabTypes';
export {
  environmentClusterObjects,
  followGitOpsRepository,
  readRepositoryEnvironments,
} from './gitopsEnvironments';
export type {
  EnvironmentState,
  FollowGitOpsOptions,
} from './gitopsEnvironments';
