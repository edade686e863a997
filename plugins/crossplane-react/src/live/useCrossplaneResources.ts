import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  CROSSPLANE_RESOURCES_SIGNAL_CHANNEL,
  CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';
import { useCrossplaneApi } from '../components/useCrossplaneApi';
import { LiveAsyncState, useLiveAsync } from './useLiveAsync';

/**
 * The Crossplane resources of an entity, fetched again when the backend
 * signals a change (`CROSSPLANE_RESOURCES_SIGNAL_CHANNEL`).
 * @public
 */
export function useCrossplaneResources(
  ref: CompoundEntityRef,
): LiveAsyncState<CrossplaneResourcesResponse> {
  const api = useCrossplaneApi();
  return useLiveAsync(
    () => api.getResources(ref),
    [api, ref.kind, ref.namespace, ref.name],
    { channels: [CROSSPLANE_RESOURCES_SIGNAL_CHANNEL] },
  );
}
