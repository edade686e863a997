export {
  LOCAL_CLUSTER_ROOTS,
  computeTopology,
  readEnvironments,
} from './topology';
export type {
  ApplyingApplication,
  ClusterRoot,
  ClusterTopology,
  CompositeEffect,
  Placement,
  RepositoryTopology,
  TopologyEnvironment,
  TopologyOptions,
} from './topology';
export { checkTopology, checkComputedTopology } from './checkTopology';
export { formatTopology } from './formatTopology';
