import yaml from 'yaml';
import {
  EnvironmentSpecInput,
  generateEnvironment,
  parseEnvironmentSpec,
  renderPlatform,
} from '@epicshelter/plugin-gitops-common';

/**
 * A small GitOps repository for tests: the real platform API (XRDs and
 * Compositions from gitops-common's `renderPlatform`, as in
 * templates/gitops-repository) and a `web` app base.
 */
export function platformFixture(): Record<string, string> {
  const files: Record<string, string> = {
    'README.md': '# GitOps\n',
    ...renderPlatform(),
  };
  files['apps/web/base/kustomization.yaml'] = yaml.stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: ['deployment.yaml'],
  });
  files['apps/web/base/deployment.yaml'] = yaml.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'ghcr.io/epicshelter/web:1.0.0' }],
        },
      },
    },
  });
  return files;
}

/**
 * The files the generator writes for a local environment deploying `web`,
 * owned by `owner`; `spec` adds to or overrides its environment spec.
 */
export function webEnvironment(
  name: string,
  owner: string,
  spec: Partial<EnvironmentSpecInput> = {},
): Record<string, string> {
  return generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner,
      target: 'local',
      provider: 'local',
      workloads: ['web'],
      ...spec,
    }),
  );
}
