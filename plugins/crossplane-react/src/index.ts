/**
 * Web library of the crossplane plugin: the API ref and client of the
 * crossplane backend and the Crossplane views of an entity, for the crossplane
 * plugin itself and for other frontend plugins (e.g. environments).
 *
 * @packageDocumentation
 */

export { crossplaneApiRef, CrossplaneClient } from './api';
export type { CrossplaneApi } from './api';
export { useCrossplaneApi } from './components/useCrossplaneApi';
export { CrossplaneResourcesContent } from './components/CrossplaneResourcesContent';
export type { CrossplaneResourcesContentProps } from './components/CrossplaneResourcesContent';
export { CrossplaneOverviewCard } from './components/CrossplaneOverviewCard';
export { useLiveAsync } from './live/useLiveAsync';
export type { LiveAsyncOptions, LiveAsyncState } from './live/useLiveAsync';
export { useCrossplaneResources } from './live/useCrossplaneResources';
