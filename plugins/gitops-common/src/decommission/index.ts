export { planDecommission, ORPHANED_DIR } from './planDecommission';
export {
  ORPHAN_SYNC_OPTIONS,
  ANNOTATION_ARGOCD_SYNC_OPTIONS,
  ANNOTATION_CROSSPLANE_PAUSED,
  ANNOTATION_ORPHANED_FROM,
} from './protectOrphans';
export type { ProtectedObject } from './protectOrphans';
export type {
  DecommissionPlan,
  DecommissionPhase,
  DecommissionRequest,
  PlannedResource,
} from './planDecommission';
export { DATA_RESOURCE_TYPES } from './environmentResources';
export type { DecommissionResource } from './environmentResources';
export type { DeletionPolicy } from './deletionPolicy';
export {
  DECOMMISSION_OWNER_LINE,
  DECOMMISSION_REQUESTER_LINE,
  decommissionRecordLines,
  decommissionRecordOf,
} from './decommissionRecord';
export type { DecommissionRecord } from './decommissionRecord';
