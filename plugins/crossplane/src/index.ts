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
// Re-exported for existing users; new code imports them from
// @epicshelter/plugin-crossplane-react.
export {
  crossplaneApiRef,
  CrossplaneClient,
  CrossplaneResourcesContent,
} from '@epicshelter/plugin-crossplane-react';
export type {
  CrossplaneApi,
  CrossplaneResourcesContentProps,
} from '@epicshelter/plugin-crossplane-react';
export { isCrossplaneAvailable } from '@epicshelter/plugin-crossplane-common';
