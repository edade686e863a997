/**
 * Argo CD backend plugin (plugin id `argocd`).
 *
 * @packageDocumentation
 */
export { argocdPlugin as default } from './plugin';
export { readArgoCdConfig } from './config';
export type { ArgoCdBackendConfig, ArgoCdInstanceConfig } from './config';
