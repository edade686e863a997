import { useMemo } from 'react';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
  useApiHolder,
} from '@backstage/core-plugin-api';
import { CrossplaneApi, CrossplaneClient, crossplaneApiRef } from '../api';

/**
 * The registered {@link CrossplaneApi}, or a {@link CrossplaneClient} over
 * discovery + fetch when the app did not register it (e.g. another plugin
 * renders the Crossplane content without the crossplane plugin installed).
 * @public
 */
export function useCrossplaneApi(): CrossplaneApi {
  const registered = useApiHolder().get(crossplaneApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => registered ?? new CrossplaneClient({ discoveryApi, fetchApi }),
    [registered, discoveryApi, fetchApi],
  );
}
