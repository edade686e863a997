import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import { ARGOCD_PLUGIN_ID } from '@epicshelter/plugin-argocd-common';
import Router from 'express-promise-router';
import request from 'supertest';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

/**
 * Stands in for Roadie's (or the community) Argo CD backend: plugin id
 * `argocd`, reading the same `argocd.*` keys, with one of its routes.
 */
function roadieLikePlugin(pluginId: string) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          config: coreServices.rootConfig,
        },
        async init({ httpRouter, config }) {
          const instances = config
            .getConfigArray('argocd.instances')
            .map(i => i.getString('name'));
          const router = Router();
          router.get('/find/name/:name', (req, res) => {
            res.json({ servedBy: pluginId, name: req.params.name, instances });
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        },
      });
    },
  });
}

describe('installed next to a plugin with id argocd', () => {
  let fake: FakeArgoCd;
  beforeAll(async () => {
    fake = await startFakeArgoCd({ instances: ['local'] });
  });
  afterAll(() => fake.stop());

  const entities = [
    component('storefront', {
      'argocd/app-name': 'storefront-dev',
      'argocd/instance-name': 'local',
    }),
  ];

  it('both start, read the same argocd config and answer under their own paths', async () => {
    expect(ARGOCD_PLUGIN_ID).not.toBe('argocd');
    const api = await startArgoCdBackend({
      fake,
      entities,
      features: [roadieLikePlugin('argocd')],
    });

    const ours = await api.get(
      '/entities/component/default/storefront/applications',
    );
    expect(ours.status).toBe(200);
    expect(
      ours.body.items.map((a: { name: string; instance: string }) => [
        a.instance,
        a.name,
      ]),
    ).toEqual([['local', 'storefront-dev']]);

    const theirs = await request(api.server).get(
      '/api/argocd/find/name/storefront-dev',
    );
    expect(theirs.status).toBe(200);
    expect(theirs.body).toEqual({
      servedBy: 'argocd',
      name: 'storefront-dev',
      instances: ['local'],
    });

    // Neither answers the other's routes.
    expect(
      (
        await request(api.server).get(
          '/api/argocd/entities/component/default/storefront/applications',
        )
      ).status,
    ).toBe(404);
    expect((await api.get('/find/name/storefront-dev')).status).toBe(404);
  });

  it('would not start if the ids were the same (what the distinct id avoids)', async () => {
    await expect(
      startArgoCdBackend({
        fake,
        entities,
        features: [roadieLikePlugin(ARGOCD_PLUGIN_ID)],
      }),
    ).rejects.toThrow(/already registered|duplicate|registered twice/i);
  });
});
