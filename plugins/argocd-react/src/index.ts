/**
 * Web library of the argocd plugin: Argo CD status components for the argocd
 * plugin and other frontend plugins (e.g. environments).
 *
 * @packageDocumentation
 */

export { ArgoCdHealthStatus, ArgoCdSyncStatus } from './status';
export type { ArgoCdStatusProps } from './status';
