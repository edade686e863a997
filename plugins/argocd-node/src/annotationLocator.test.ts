import { Entity } from '@backstage/catalog-model';
import { annotationApplicationLocator } from './annotationLocator';

const entity = (
  kind: string,
  annotations: Record<string, string>,
  type = 'service',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'dev', namespace: 'default', annotations },
  spec: { type },
});

describe('annotationApplicationLocator', () => {
  it('reads the Roadie / community annotations', async () => {
    await expect(
      annotationApplicationLocator.locate(
        entity('Component', {
          'argocd/app-selector': 'app.kubernetes.io/name=shop',
          'argocd/instance-name': 'cloud',
          'argocd/app-namespace': 'team-a',
        }),
      ),
    ).resolves.toEqual({
      appSelector: 'app.kubernetes.io/name=shop',
      instanceName: 'cloud',
      appNamespace: 'team-a',
    });
  });

  it('selects an environment resource by its environment label, and nothing for a bare component', async () => {
    await expect(
      annotationApplicationLocator.locate(
        entity('Resource', {}, 'environment'),
      ),
    ).resolves.toEqual({ appSelector: 'epicshelter.io/environment=dev' });
    await expect(
      annotationApplicationLocator.locate(entity('Component', {})),
    ).resolves.toBeUndefined();
    expect(
      annotationApplicationLocator.describeMissing?.('component:default/dev'),
    ).toMatch(/^Entity component:default\/dev has no Argo CD annotation; add/);
  });
});
