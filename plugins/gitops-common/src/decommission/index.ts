export {
  planDecommission,
  ORPHANED_DIR,
  ORPHAN_SYNC_OPTIONS,
  ANNOTATION_CROSSPLANE_PAUSED,
  ANNOTATION_ORPHANED_FROM,
} from './planDecommission';
export type {
  DecommissionPlan,
  DecommissionRequest,
  PlannedResource,
} from './planDecommission';
export { DATA_RESOURCE_TYPES } from './environmentResources';
export type { DecommissionResource } from './environmentResources';
export type { DeletionPolicy } from './deletionPolicy';
