import { checkComputedTopology } from '../topology';
import { topologyOf } from '../topology/topology';
import type { RepositoryRule } from './types';

/**
 * Which cluster's Argo CD applies which object, computed from the tree
 * (validator/topology): one reconciler per cloud resource, no cloud
 * environment's object reconciled by a local cluster, every Secret a
 * workload reads produced in its own cluster, no cascading bootstrap.
 */
export const topologyRule: RepositoryRule = {
  id: 'topology',
  description:
    'Each cloud resource has one reconciling cluster, workloads read Secrets produced in their cluster, and bootstraps never cascade',
  check: context => checkComputedTopology(topologyOf(context.tree)),
};
