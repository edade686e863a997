// The environments the publish benchmarks promote and decommission.
import yaml from 'yaml';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';

/** Workloads of the benchmark environments: the spec's maximum. */
export const WORKLOADS = Array.from({ length: 20 }, (_, i) => `app-${i + 1}`);
/** Runs per timing; the median is printed. */
export const RUNS = 5;

/** The app base (`apps/<app>/base`) a workload's overlay builds on. */
export function appBase(app: string): Record<string, string> {
  const labels = { 'app.kubernetes.io/name': app };
  return {
    [`apps/${app}/base/kustomization.yaml`]: yaml.stringify({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment.yaml'],
    }),
    [`apps/${app}/base/deployment.yaml`]: yaml.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              { name: 'app', image: `ghcr.io/epicshelter/${app}:1.0.0` },
            ],
          },
        },
      },
    }),
  };
}

/**
 * An environment deploying the first `size.workloads` workloads (default
 * all 20) at `tag`, with `size.resources` (default ten) databases, buckets
 * and caches each; a cloud one (AWS, with its own cluster) when `cloud`.
 */
export function benchEnvironment(
  name: string,
  tag: string,
  cloud = false,
  size: { workloads?: number; resources?: number } = {},
): Record<string, string> {
  const workloads = WORKLOADS.slice(0, size.workloads ?? WORKLOADS.length);
  const some = (prefix: string) =>
    Array.from(
      { length: size.resources ?? 10 },
      (_, i) => `${prefix}-${i + 1}`,
    );
  return generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner: 'group:default/bench',
      ...(cloud
        ? { target: 'cloud', provider: 'aws', region: 'eu-west-1' }
        : { target: 'local', provider: 'local' }),
      workloads,
      workloadOverrides: Object.fromEntries(
        workloads.map(w => [w, { imageTag: tag, replicas: 2 }]),
      ),
      resources: {
        databases: some('db').map(n => ({ name: n, engine: 'postgres' })),
        buckets: some('bucket').map(n => ({ name: n })),
        caches: some('cache').map(n => ({ name: n })),
        ...(cloud ? { kubernetesCluster: {} } : {}),
      },
    }),
  );
}

/** The median of some timings. */
export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[xs.length >> 1];
