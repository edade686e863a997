import type { FakeResourceType } from './types';

/**
 * The resource types Backstage's kubernetes backend lists for the
 * Kubernetes tab (its default object types, plus persistent volumes): a
 * fake serving them (`extraTypes`) answers an empty list instead of a 404
 * for the kinds it holds no object of.
 * @public
 */
export const KUBERNETES_TAB_TYPES: FakeResourceType[] = (
  [
    ['', 'v1', 'Pod', 'pods', true],
    ['', 'v1', 'Service', 'services', true],
    ['', 'v1', 'ConfigMap', 'configmaps', true],
    ['', 'v1', 'LimitRange', 'limitranges', true],
    ['', 'v1', 'ResourceQuota', 'resourcequotas', true],
    ['', 'v1', 'PersistentVolume', 'persistentvolumes', false],
    ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true],
    ['apps', 'v1', 'Deployment', 'deployments', true],
    ['apps', 'v1', 'ReplicaSet', 'replicasets', true],
    ['apps', 'v1', 'StatefulSet', 'statefulsets', true],
    ['apps', 'v1', 'DaemonSet', 'daemonsets', true],
    [
      'autoscaling',
      'v2',
      'HorizontalPodAutoscaler',
      'horizontalpodautoscalers',
      true,
    ],
    ['batch', 'v1', 'Job', 'jobs', true],
    ['batch', 'v1', 'CronJob', 'cronjobs', true],
    ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', true],
  ] as const
).map(([group, version, kind, plural, namespaced]) => ({
  group,
  versions: [version],
  kind,
  plural,
  namespaced,
}));
