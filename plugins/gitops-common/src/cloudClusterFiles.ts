import {
  ClusterRole,
  LABEL_CLUSTER_ROLE,
  LABEL_ENVIRONMENT,
  attachDir,
  bootstrapDir,
  cloudClusterDir,
} from './constants';
import { toYaml } from './yaml';

/** Folder (inside the infrastructure overlay) holding the cluster XR or claim. @public */
export const KUBERNETES_CLUSTER_DIR = 'kubernetes-cluster';
/** Where a cloud cluster's shared root (Crossplane, platform, Argo CD, add-ons) lives. @public */
export const CLOUD_CLUSTER_BASE_DIR = 'clusters/cloud/base';

/** The cloud cluster's root Application (`clusters/cloud/base/root.yaml`). @public */
export const CLOUD_ROOT_APPLICATION = 'cloud-root';

/** A JSON 6902 patch, inline in a kustomization (a list is no manifest file). */
function jsonPatch(ops: Array<Record<string, unknown>>): string {
  return toYaml(ops);
}

/** Options of {@link cloudClusterFiles}. @public */
export interface CloudClusterFilesOptions {
  env: string;
  /** The cluster XR or claim the role overlays patch. */
  cluster: { apiVersion: string; kind: string; name: string; v2: boolean };
}

/**
 * A kustomization that takes XRs (or claims) from the infrastructure overlay
 * and only changes the Composition they select: the same resources, seen
 * from another cluster in another role. The bootstrap takes the cluster XR
 * only; an attached cluster takes the whole overlay (every XR, role
 * observe), so it shows the state of all of the environment's
 * infrastructure and changes none of it.
 */
function roleOverlay(
  opts: CloudClusterFilesOptions,
  dir: string,
  role: ClusterRole,
): Record<string, string> {
  const { cluster } = opts;
  const selector = cluster.v2
    ? '/spec/crossplane/compositionSelector'
    : '/spec/compositionSelector';
  const clusterOnly = role === 'bootstrap';
  return {
    [`${dir}/kustomization.yaml`]: toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        clusterOnly
          ? `../infrastructure/${KUBERNETES_CLUSTER_DIR}`
          : '../infrastructure',
      ],
      patches: [
        {
          target: clusterOnly
            ? {
                group: splitGroup(cluster.apiVersion),
                kind: cluster.kind,
                name: cluster.name,
              }
            : { group: splitGroup(cluster.apiVersion) },
          patch: jsonPatch([
            {
              op: 'replace',
              path: `${selector}/matchLabels/${LABEL_CLUSTER_ROLE.replace(
                '/',
                '~1',
              )}`,
              value: role,
            },
          ]),
        },
      ],
    }),
  };
}

function splitGroup(apiVersion: string): string {
  return apiVersion.slice(0, apiVersion.lastIndexOf('/'));
}

/**
 * The files that give a cloud environment a cluster of its own:
 * - `cluster/`: the root of the cloud cluster's Argo CD. The bootstrap
 *   creates its `cloud-root` Application pointing here; this folder is the shared
 *   cloud base (`clusters/cloud/base`: Crossplane, platform API, Argo CD
 *   itself, add-ons, the `cloud-root` Application and the `cloud-infrastructure`
 *   and `cloud-workloads` ApplicationSets) narrowed to this environment by two
 *   inline JSON patches: the root's path and the ApplicationSets' selector.
 * - `bootstrap/`: what a bootstrap cluster applies (the cluster XR with the
 *   `bootstrap` role: create once, never update or delete).
 * - `attach/`: what an attached local cluster applies (every XR of the
 *   environment with the `observe` role).
 * @public
 */
export function cloudClusterFiles(
  opts: CloudClusterFilesOptions,
): Record<string, string> {
  const { env } = opts;
  const root = cloudClusterDir(env);
  return {
    [`${root}/kustomization.yaml`]: toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [`../../../${CLOUD_CLUSTER_BASE_DIR}`],
      patches: [
        {
          target: {
            group: 'argoproj.io',
            kind: 'Application',
            name: CLOUD_ROOT_APPLICATION,
          },
          patch: jsonPatch([
            { op: 'replace', path: '/spec/source/path', value: root },
            {
              op: 'add',
              path: `/metadata/labels/${LABEL_ENVIRONMENT.replace('/', '~1')}`,
              value: env,
            },
          ]),
        },
        {
          target: { group: 'argoproj.io', kind: 'ApplicationSet' },
          patch: jsonPatch([
            {
              op: 'add',
              path: '/spec/generators/0/selector/matchLabels/metadata.name',
              value: env,
            },
          ]),
        },
      ],
    }),
    ...roleOverlay(opts, bootstrapDir(env), 'bootstrap'),
    ...roleOverlay(opts, attachDir(env), 'observe'),
  };
}
