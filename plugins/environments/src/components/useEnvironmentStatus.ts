import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { useLiveAsync } from '@epicshelter/plugin-crossplane-react';
import { getEnvironmentName } from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';
import { ENVIRONMENT_LIVE_OPTIONS } from './live';

/**
 * The environment's one verdict, where it runs and its lifecycle, as the
 * environments backend computes them (`/environments/:name/status`),
 * fetched again when Argo CD or Crossplane signal a change.
 */
export function useEnvironmentStatus(entity: Entity) {
  const api = useApi(environmentsApiRef);
  const name = getEnvironmentName(entity);
  return useLiveAsync(
    () => api.getStatus(name),
    [api, name],
    ENVIRONMENT_LIVE_OPTIONS,
  );
}
