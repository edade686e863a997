/**
 * Argo CD frontend plugin (plugin id `argocd`) for the new frontend system.
 * Legacy apps import from `@epicshelter/plugin-argocd/legacy`.
 *
 * @packageDocumentation
 */
export { argocdPlugin as default } from './plugin';
export { argoCdApi, argoCdEntityCard, argoCdEntityContent } from './plugin';
export { ArgoCdClient, argoCdApiRef } from './api/ArgoCdApi';
export type { ArgoCdApi, ArgoCdAppRef } from './api/ArgoCdApi';
export { isArgoCdAvailable } from '@epicshelter/plugin-argocd-common';
