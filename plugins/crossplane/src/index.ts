/**
 * Crossplane in the portal: the claim/XR → managed resource tree of an
 * entity, an overview card and desired (Git) vs live.
 *
 * Legacy-app exports live in `@epicshelter/plugin-crossplane/legacy`.
 *
 * @packageDocumentation
 */

export { crossplanePlugin as default } from './plugin';
export {
  crossplaneApi,
  crossplaneEntityContent,
  crossplaneOverviewCard,
} from './plugin';
export { crossplaneApiRef, CrossplaneClient } from './api';
export { CrossplaneResourcesContent } from './components/CrossplaneContent';
export type { CrossplaneResourcesContentProps } from './components/CrossplaneContent';
export type { CrossplaneApi } from './api';
export { isCrossplaneAvailable } from '@epicshelter/plugin-crossplane-common';
