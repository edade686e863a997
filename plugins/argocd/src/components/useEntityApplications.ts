import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isArgoCdAvailable } from '@epicshelter/plugin-argocd-common';
import { argoCdApiRef } from '../api/ArgoCdApi';
import { useLiveArgoCd } from './useLiveArgoCd';

/** Loads the Argo CD applications of the current entity, again on each change the backend signals. */
export function useEntityApplications() {
  const { entity } = useEntity();
  const api = useApi(argoCdApiRef);
  const entityRef = getCompoundEntityRef(entity);
  const key = `${entityRef.kind}:${entityRef.namespace}/${entityRef.name}`;
  const available = isArgoCdAvailable(entity);
  const state = useLiveArgoCd(async () => {
    if (!available) return undefined;
    const response = await api.getApplications(entityRef);
    // An application without a name cannot be addressed: never listed, never acted on.
    return { ...response, items: response.items.filter(a => a.name) };
  }, [api, key, available]);
  return { entity, entityRef, ...state };
}
