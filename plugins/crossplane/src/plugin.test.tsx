import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import * as react from '@epicshelter/plugin-crossplane-react';
import crossplanePlugin, * as main from './index';
import * as legacy from './legacy';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://backstage.test/api/epicshelter-crossplane';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'dev',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'dev' },
  },
  spec: { type: 'environment' },
};

describe('crossplane plugin', () => {
  it('provides the API, the entity tab and the overview card (new frontend system)', () => {
    expect(crossplanePlugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(crossplanePlugin.pluginId).toBe('epicshelter-crossplane');
    for (const id of [
      'api:epicshelter-crossplane',
      'entity-content:epicshelter-crossplane',
      'entity-card:epicshelter-crossplane/overview',
    ]) {
      expect((crossplanePlugin as any).getExtension(id)).toBeDefined();
    }
  });

  it('re-exports the web library from the default and legacy entry points', () => {
    for (const entry of [main, legacy]) {
      expect(entry.CrossplaneResourcesContent).toBe(
        react.CrossplaneResourcesContent,
      );
      expect(entry.crossplaneApiRef).toBe(react.crossplaneApiRef);
      expect(entry.CrossplaneClient).toBe(react.CrossplaneClient);
    }
  });

  it('renders the legacy entity tab through the registered API', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () => {
        calls++;
        const body: CrossplaneResourcesResponse = {
          entityRef: 'resource:default/dev',
          selector: 'epicshelter.io/environment=dev',
          sandbox: false,
          liveAvailable: true,
          clusters: [
            {
              cluster: 'local',
              nodes: [],
              edges: [],
              roots: [],
              requestCount: 1,
            },
          ],
          desired: { resources: [] },
          comparison: [],
          yamlAllowed: false,
        };
        return HttpResponse.json(body);
      }),
    );
    const discoveryApi = { getBaseUrl: async () => BASE };
    const fetchApi = new MockFetchApi();
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, discoveryApi],
          [fetchApiRef, fetchApi],
          [
            legacy.crossplaneApiRef,
            new legacy.CrossplaneClient({ discoveryApi, fetchApi }),
          ],
        ]}
      >
        <EntityProvider entity={entity}>
          <legacy.EntityCrossplaneContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('No Crossplane resources match in this cluster.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('epicshelter.io/environment=dev'),
    ).toBeInTheDocument();
    expect(calls).toBe(1);
  });
});
