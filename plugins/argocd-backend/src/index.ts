/**
 * Argo CD backend plugin (plugin id `epicshelter-argocd`, config keys
 * `argocd.*`). Modules extend it through `@epicshelter/plugin-argocd-node`.
 *
 * @packageDocumentation
 */
export { argocdPlugin as default } from './plugin';
export { readArgoCdConfig } from './config';
export type {
  ArgoCdBackendConfig,
  ArgoCdInstanceConfig,
  ArgoCdPrefetchConfig,
  ArgoCdWatchConfig,
} from './config';
