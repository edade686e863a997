import type { Entity } from '@backstage/catalog-model';

/** The dev environment's catalog entity, as the GitOps provider annotates it. */
export const environmentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'dev',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'dev' },
  },
  spec: { type: 'environment' },
};
