import { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import { buildApplication, readReferenceYaml } from '@epicshelter/fake-argocd';

/**
 * An application as the fake Argo CD generates it, in the given application
 * namespace, with the given labels (valid against Argo CD's swagger).
 */
export function fakeApplication(
  name: string,
  options: { namespace?: string; labels?: Record<string, string> } = {},
): ArgoCdApplication {
  const app = buildApplication({
    name,
    labels: options.labels ?? {},
    path: `apps/${name}`,
    destinationNamespace: name,
    project: 'default',
    applicationSet: `${name}-set`,
    layer: 'component',
  });
  app.metadata = {
    ...app.metadata,
    namespace: options.namespace ?? 'argocd',
    uid: `${options.namespace ?? 'argocd'}-${name}`,
  };
  return app;
}

/**
 * The recorded Application of Argo CD's own test data (namespace argo-cd,
 * owned by an ApplicationSet), as the API sends it (no apiVersion/kind).
 */
export function recordedApplication(): ArgoCdApplication {
  const {
    apiVersion: _apiVersion,
    kind: _kind,
    ...app
  } = readReferenceYaml('recorded/argocd-application-full-status.yaml');
  return app;
}
