import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogOwnedEntityLookup } from './ownedEntities';

const resource = (
  name: string,
  type: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

describe('catalogOwnedEntityLookup', () => {
  const catalog = catalogServiceMock({
    entities: [
      resource('staging', 'environment', 'group:default/platform-team', {
        'argocd/app-selector': 'epicshelter.io/environment=staging',
      }),
      resource('orders-db', 'database', 'group:default/checkout-team'),
      resource('legacy', 'service', 'group:default/legacy-team', {
        'argocd/app-name': 'legacy',
      }),
    ],
  });
  const ownsAny = catalogOwnedEntityLookup({
    catalog,
    auth: mockServices.auth(),
  });

  it('finds an environment owned by one of the claims', async () => {
    expect(
      await ownsAny({
        kind: 'environment',
        claims: ['user:default/linus', 'group:default/platform-team'],
      }),
    ).toBe(true);
    // checkout-team owns a database, not an environment
    expect(
      await ownsAny({
        kind: 'environment',
        claims: ['group:default/checkout-team'],
      }),
    ).toBe(false);
  });

  it('finds entities with Argo CD applications by either annotation', async () => {
    for (const owner of ['platform-team', 'legacy-team']) {
      expect(
        await ownsAny({ kind: 'argocd', claims: [`group:default/${owner}`] }),
      ).toBe(true);
    }
    expect(
      await ownsAny({
        kind: 'argocd',
        claims: ['group:default/checkout-team'],
      }),
    ).toBe(false);
  });

  it('asks in batches, so an owner far down a long list of claims is found', async () => {
    const claims = Array.from({ length: 120 }, (_, i) => `group:default/g${i}`);
    expect(
      await ownsAny({
        kind: 'environment',
        claims: [...claims, 'group:default/platform-team'],
      }),
    ).toBe(true);
    expect(await ownsAny({ kind: 'environment', claims })).toBe(false);
  });
});
