import { createBackendModule } from '@backstage/backend-plugin-api';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
import {
  ARGOCD_PLUGIN_ID,
  ApplicationSummary,
} from '@epicshelter/plugin-argocd-common';
import {
  ArgoCdApplicationLocator,
  argocdLocatorExtensionPoint,
} from '@epicshelter/plugin-argocd-node';
import { component, startArgoCdBackend } from './__testUtils__/testBackend';

/** Finds applications by the entity's `backstage.io/kubernetes-id`, as some platforms label them. */
const kubernetesIdLocator: ArgoCdApplicationLocator = {
  async locate(entity) {
    const id = entity.metadata.annotations?.['backstage.io/kubernetes-id'];
    return id ? { appSelector: `backstage.io/kubernetes-id=${id}` } : undefined;
  },
  describeMissing(entityRef) {
    return `Entity ${entityRef} has no backstage.io/kubernetes-id annotation`;
  },
};

function locatorModule(moduleId: string, locator: ArgoCdApplicationLocator) {
  return createBackendModule({
    pluginId: ARGOCD_PLUGIN_ID,
    moduleId,
    register(env) {
      env.registerInit({
        deps: { locators: argocdLocatorExtensionPoint },
        async init({ locators }) {
          locators.setApplicationLocator(locator);
        },
      });
    },
  });
}

const entities = [
  component('orders', { 'backstage.io/kubernetes-id': 'orders-api' }),
  component('storefront', {
    'argocd/app-name': 'storefront-dev',
    'argocd/instance-name': 'local',
  }),
];

const names = (items: ApplicationSummary[]) =>
  items.map(a => `${a.instance}/${a.name}`).sort();

describe('application locator extension point', () => {
  let fake: FakeArgoCd;
  beforeAll(async () => {
    fake = await startFakeArgoCd({ instances: ['local', 'cloud'] });
  });
  afterAll(() => fake.stop());

  it('without a module, finds applications by the argocd/* annotations', async () => {
    const api = await startArgoCdBackend({ fake, entities });
    const found = await api.get(
      '/entities/component/default/storefront/applications',
    );
    expect(found.status).toBe(200);
    expect(names(found.body.items)).toEqual(['local/storefront-dev']);
    const missing = await api.get(
      '/entities/component/default/orders/applications',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      'Entity component:default/orders has no Argo CD annotation; add argocd/app-selector (e.g. app.kubernetes.io/name=<name>) or argocd/app-name',
    );
  });

  it('with a module, lists and serves what its locator finds, and only that', async () => {
    const api = await startArgoCdBackend({
      fake,
      entities,
      features: [locatorModule('kubernetes-id', kubernetesIdLocator)],
    });
    const list = await api.get(
      '/entities/component/default/orders/applications',
    );
    expect(list.status).toBe(200);
    expect(names(list.body.items)).toEqual([
      'cloud/orders-api-staging',
      'local/orders-api-dev',
    ]);
    // Application routes resolve with the same locator.
    const detail = await api.get(
      '/entities/component/default/orders/instances/local/applications/orders-api-dev',
    );
    expect(detail.status).toBe(200);
    expect(detail.body.summary.name).toBe('orders-api-dev');
    const notOurs = await api.get(
      '/entities/component/default/orders/instances/local/applications/storefront-dev',
    );
    expect(notOurs.status).toBe(404);
    // The annotations are no longer read: the module's locator decides.
    const missing = await api.get(
      '/entities/component/default/storefront/applications',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      'Entity component:default/storefront has no backstage.io/kubernetes-id annotation',
    );
  });

  it('refuses to start with two modules setting a locator', async () => {
    await expect(
      startArgoCdBackend({
        fake,
        entities,
        features: [
          locatorModule('first', kubernetesIdLocator),
          locatorModule('second', kubernetesIdLocator),
        ],
      }),
    ).rejects.toThrow(/already set; install only one module/);
  });
});
