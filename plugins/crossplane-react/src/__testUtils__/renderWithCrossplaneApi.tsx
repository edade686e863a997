import type { Entity } from '@backstage/catalog-model';
import {
  AnyApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  renderInTestApp,
} from '@backstage/test-utils';
import { CrossplaneClient, crossplaneApiRef } from '../api';

/**
 * Renders `element` for `entity` with the real crossplane client talking to
 * `baseUrl` (serve it with msw), plus any further APIs.
 */
export function renderWithCrossplaneApi(
  element: JSX.Element,
  options: {
    baseUrl: string;
    entity: Entity;
    apis?: (readonly [AnyApiRef, unknown])[];
  },
) {
  const discoveryApi = { getBaseUrl: async () => options.baseUrl };
  const fetchApi = new MockFetchApi();
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
        [crossplaneApiRef, new CrossplaneClient({ discoveryApi, fetchApi })],
        ...((options.apis ?? []) as any[]),
      ]}
    >
      <EntityProvider entity={options.entity}>{element}</EntityProvider>
    </TestApiProvider>,
  );
}
