import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
// A harness runs both backends, ours and Roadie's, as an adopter's backend would.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import argocdPlugin from '@epicshelter/plugin-argocd-backend';
import roadiePlugin from '@roadiehq/backstage-plugin-argo-cd-backend';
import request from 'supertest';

const SELECTOR = 'app.kubernetes.io/name=orders-api';

/**
 * A migration: Roadie's Argo CD backend (plugin id `argocd`) and ours
 * (`epicshelter-argocd`) in one backend, both reading the adopter's existing
 * Roadie configuration (`argocd.appLocatorMethods`).
 */
describe("installed next to Roadie's Argo CD backend", () => {
  let fake: FakeArgoCd;
  beforeAll(async () => {
    fake = await startFakeArgoCd({ instances: ['local', 'cloud'] });
  });
  afterAll(() => fake.stop());

  it('both start in one backend and answer under their own paths', async () => {
    const { server } = await startTestBackend({
      features: [
        argocdPlugin,
        roadiePlugin,
        mockServices.rootConfig.factory({
          data: {
            argocd: {
              username: 'admin',
              password: 'password',
              appLocatorMethods: [
                {
                  type: 'config',
                  instances: fake.instanceNames.map(name => ({
                    name,
                    url: fake.url(name),
                  })),
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'orders-api',
                namespace: 'default',
                annotations: { 'argocd/app-selector': SELECTOR },
              },
              spec: {
                type: 'service',
                owner: 'user:default/guest',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.permissions.factory({ result: 'ALLOW' as any }),
        mockServices.rootLogger.factory({ level: 'none' }),
      ],
    });
    const auth = mockCredentials.user.header('user:default/guest');

    const ours = await request(server)
      .get(
        '/api/epicshelter-argocd/entities/component/default/orders-api/applications',
      )
      .set('authorization', auth);
    expect(ours.status).toBe(200);
    expect(
      ours.body.items
        .map(
          (a: { instance: string; name: string }) => `${a.instance}/${a.name}`,
        )
        .sort(),
    ).toEqual(['cloud/orders-api-staging', 'local/orders-api-dev']);

    const roadies = await request(server)
      .get(`/api/argocd/find/selector/${encodeURIComponent(SELECTOR)}`)
      .set('authorization', auth);
    expect(roadies.status).toBe(200);
    expect(roadies.body.map((i: { name: string }) => i.name).sort()).toEqual([
      'cloud',
      'local',
    ]);
  });
});
