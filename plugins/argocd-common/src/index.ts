/**
 * Types, permissions and pure logic shared by the argocd plugins (plugin id `epicshelter-argocd`).
 *
 * @packageDocumentation
 */
export * from './argo-types';
export * from './annotations';
export * from './api-types';
export * from './logic';
export * from './permissions';
export * from './pluginId';
export * from './live';
