import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import useAsync from 'react-use/esm/useAsync';
import { getEnvironmentName } from '@epicshelter/plugin-environments-common';
import { environmentsApiRef } from '../api';

/**
 * The environment's one verdict, where it runs and its lifecycle, as the
 * environments backend computes them (`/environments/:name/status`).
 */
export function useEnvironmentStatus(entity: Entity) {
  const api = useApi(environmentsApiRef);
  const name = getEnvironmentName(entity);
  return useAsync(() => api.getStatus(name), [api, name]);
}
