import type { AuthService } from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
} from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ARGOCD_ANNOTATION_APP_NAME } from '@epicshelter/plugin-argocd-common';
import {
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ENVIRONMENT_RESOURCE_TYPE,
} from '@epicshelter/plugin-environments-common';
import type { OwnedEntityLookup } from './agentTools';

/** Claims per catalog query: keeps the query string short with 500 groups. */
const CLAIMS_PER_QUERY = 50;

/** The catalog filter of the entities `kind` stands for, owned by `claims`. */
function ownedFilter(
  kind: 'environment' | 'argocd',
  claims: string[],
): EntityFilterQuery {
  // The claims last: the in-memory catalog of the tests decides a filter at
  // its first list value (the real catalog does not care about the order).
  const ownedBy = { 'relations.ownedBy': claims };
  if (kind === 'environment') {
    return {
      kind: 'Resource',
      'spec.type': ENVIRONMENT_RESOURCE_TYPE,
      ...ownedBy,
    };
  }
  return [ARGOCD_ANNOTATION_APP_NAME, ANNOTATION_ARGOCD_APP_SELECTOR].map(
    annotation => ({
      [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
      ...ownedBy,
    }),
  );
}

/**
 * {@link OwnedEntityLookup} against the catalog, read as the permission
 * backend itself (reading as the user would ask this policy again); one
 * small query per 50 claims, stopping at the first entity found.
 */
export function catalogOwnedEntityLookup(deps: {
  catalog: CatalogService;
  auth: AuthService;
}): OwnedEntityLookup {
  return async ({ kind, claims }) => {
    const credentials = await deps.auth.getOwnServiceCredentials();
    for (let i = 0; i < claims.length; i += CLAIMS_PER_QUERY) {
      const { items } = await deps.catalog.getEntities(
        {
          filter: ownedFilter(kind, claims.slice(i, i + CLAIMS_PER_QUERY)),
          fields: ['metadata.name'],
          limit: 1,
        },
        { credentials },
      );
      if (items.length > 0) return true;
    }
    return false;
  };
}
