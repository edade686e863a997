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
