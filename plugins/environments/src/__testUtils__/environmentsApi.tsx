import type { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { MockFetchApi, TestApiProvider } from '@backstage/test-utils';
import { EnvironmentsClient, environmentsApiRef } from '../api';

/** Where the test APIs find the backends (`<BASE>/<pluginId>`); answer with msw. */
export const TEST_BACKEND_BASE = 'http://backstage.test/api';

/** `children` with the real environments client (over msw) and the entity page of `entity`. */
export function WithEnvironmentsApi(props: {
  entity: Entity;
  children: ReactNode;
}) {
  const discoveryApi = {
    getBaseUrl: async (id: string) => `${TEST_BACKEND_BASE}/${id}`,
  };
  const fetchApi = new MockFetchApi();
  return (
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [
          environmentsApiRef,
          new EnvironmentsClient({ discoveryApi, fetchApi }),
        ],
      ]}
    >
      <EntityProvider entity={props.entity}>{props.children}</EntityProvider>
    </TestApiProvider>
  );
}
