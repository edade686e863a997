/**
 * The Epicshelter permission policy module for the permission backend.
 *
 * @packageDocumentation
 */
export { permissionModuleEpicshelterPolicy as default } from './module';
export { EpicshelterPermissionPolicy, isChangeAction } from './policy';
export type { OwnershipLookup } from './policy';
export type { AgentToolAudience, OwnedEntityLookup } from './agentTools';
