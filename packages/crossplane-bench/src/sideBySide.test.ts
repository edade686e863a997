import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import teraskyPlugin from '@terasky/backstage-plugin-crossplane-resources-backend';
// A harness runs both backends, ours and TeraSky's, as an adopter's backend would.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import epicshelterCrossplanePlugin from '@epicshelter/plugin-crossplane-backend';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import request from 'supertest';

const CLUSTER = 'sandbox';

/**
 * A migration: TeraSky's Crossplane backend (plugin id `crossplane`) and ours
 * (`epicshelter-crossplane`) in one backend, on the same `kubernetes` clusters.
 */
describe("installed next to TeraSky's Crossplane backend", () => {
  const objects = demoObjects('dev');
  let fake: FakeKubernetesServer;
  beforeAll(async () => {
    fake = await startFakeKubernetes({ objects });
  });
  afterAll(() => fake.close());

  it('both start in one backend and answer under their own paths', async () => {
    const { server } = await startTestBackend({
      features: [
        epicshelterCrossplanePlugin,
        teraskyPlugin,
        kubernetesPlugin,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'dev',
                namespace: 'default',
                annotations: { 'epicshelter.io/environment': 'dev' },
              },
              spec: { type: 'environment', owner: 'group:default/platform' },
            },
          ],
        }),
        mockServices.permissions.factory({ result: 'ALLOW' as any }),
        mockServices.rootLogger.factory({ level: 'none' }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: CLUSTER,
                      url: fake.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'sandbox-token',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const auth = mockCredentials.user.header('user:default/guest');

    const ours = await request(server)
      .get('/api/epicshelter-crossplane/entity/resource/default/dev/resources')
      .set('authorization', auth);
    expect(ours.status).toBe(200);
    const nodes = ours.body.clusters.flatMap(
      (c: { nodes: Array<{ name: string }> }) => c.nodes,
    );
    expect(nodes.length).toBeGreaterThan(0);

    // TeraSky's router is mounted under its own id: its graph route checks
    // its query (a graph itself needs the kubernetes plugin's proxy, whose
    // dynamic import Jest cannot run; the benchmark runs that for real).
    const theirs = await request(server).get('/api/crossplane/v2/graph');
    expect({ status: theirs.status, body: theirs.body }).toEqual({
      status: 400,
      body: { error: 'Missing required query parameters' },
    });
    // Neither answers the other's routes.
    expect(
      (
        await request(server)
          .get('/api/crossplane/entity/resource/default/dev/resources')
          .set('authorization', auth)
      ).status,
    ).toBe(404);
  });
});
