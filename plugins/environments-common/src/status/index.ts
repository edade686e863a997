export * from './types';
export { computeEnvironmentStatus } from './computeEnvironmentStatus';
