import { Entity } from '@backstage/catalog-model';

const entity = (
  kind: string,
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec:
    kind === 'Component'
      ? { type: 'service', lifecycle: 'production', owner: 'team-a' }
      : { type: 'environment', owner: 'team-a' },
});

/** Catalog entities as the generator and the examples annotate them. */
export const entities: Entity[] = [
  entity('Resource', 'dev', { 'epicshelter.io/environment': 'dev' }),
  entity('Component', 'orders-api', {
    'epicshelter.io/environment': 'dev',
    'crossplane.epicshelter.io/selector':
      'epicshelter.io/environment=dev,epicshelter.io/resource in (orders-db,orders-cache)',
  }),
  entity('Component', 'storefront', {
    'epicshelter.io/environment': 'dev',
    'crossplane.epicshelter.io/selector':
      'epicshelter.io/environment=dev,epicshelter.io/resource in (storefront-assets,storefront-db,storefront-legacy-db)',
    'crossplane.epicshelter.io/namespace': 'dev',
  }),
  // the real-world scenario of fake-kubernetes (realWorldObjects), no
  // environment: no desired state from Git
  entity('Component', 'shop', {
    'crossplane.epicshelter.io/selector': 'app.kubernetes.io/part-of=shop',
  }),
  entity('Component', 'plain', {}),
  entity('Component', 'bad-selector', {
    'crossplane.epicshelter.io/selector': 'a in (b',
  }),
  entity('Component', 'elsewhere', {
    'epicshelter.io/environment': 'dev',
    'crossplane.epicshelter.io/cluster': 'nope',
  }),
];
