import {
  ANNOTATION_SYNC_WAVE,
  ENVIRONMENT_API_VERSION,
  ENVIRONMENT_FILE_NAME,
  ENVIRONMENT_KIND,
  LABEL_CLUSTER_ROLE,
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_PROVIDER,
  LABEL_RESOURCE,
  LABEL_RESOURCE_TYPE,
  LEGACY_PLATFORM_GROUP,
  PART_OF_VALUE,
  PLATFORM_GROUP,
  PLATFORM_VERSION,
  appBaseDir,
  environmentDir,
} from './constants';
import { KUBERNETES_CLUSTER_DIR, cloudClusterFiles } from './cloudClusterFiles';
import { EnvironmentSpec, parseEnvironmentSpec } from './spec';
import { toYaml } from './yaml';

/** Kinds of the platform API. @public */
export const PLATFORM_KINDS = [
  'Database',
  'Bucket',
  'Cache',
  'KubernetesCluster',
] as const;
/** @public */
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/** Spec resource type of each platform kind (value of {@link LABEL_RESOURCE_TYPE}). @public */
export const RESOURCE_TYPES: Record<PlatformKind, string> = {
  Database: 'database',
  Bucket: 'bucket',
  Cache: 'cache',
  KubernetesCluster: 'kubernetes-cluster',
};

/** Resource name used for an environment's Kubernetes cluster. @public */
export const KUBERNETES_CLUSTER_RESOURCE_NAME = 'kubernetes-cluster';

/** A Crossplane XR (v2) or claim (v1) that an environment declares. @public */
export interface CrossplaneObjectRef {
  apiVersion: string;
  kind: PlatformKind;
  /** Always the environment's namespace (v2 XRs and v1 claims are namespaced). */
  namespace: string;
  name: string;
  /** The spec resource name (`spec.resources.databases[].name`, ...). */
  resource: string;
  /** `database`, `bucket`, `cache` or `kubernetes-cluster`. */
  resourceType: string;
  /** Path of the file holding it in the GitOps repository. */
  file: string;
  /** Name of the Secret holding the connection details, in the same namespace. */
  connectionSecretName: string;
}

/** Options of {@link generateEnvironment}. @public */
export interface GenerateEnvironmentOptions {
  /**
   * Image repository prefix of the app bases; an override's `imageTag`
   * retags `<imageRegistry>/<app>`. Default `ghcr.io/epicshelter`.
   */
  imageRegistry?: string;
}

/** Name of the XR/claim of a spec resource. @public */
export function crossplaneObjectName(env: string, resource: string): string {
  return `${env}-${resource}`;
}

/** Name of the connection Secret of a spec resource. @public */
export function connectionSecretName(env: string, resource: string): string {
  return `${env}-${resource}-connection`;
}

/** The Crossplane API version used for an environment's API style. @public */
export function platformApiVersion(api: 'v1' | 'v2'): string {
  return `${
    api === 'v1' ? LEGACY_PLATFORM_GROUP : PLATFORM_GROUP
  }/${PLATFORM_VERSION}`;
}

/**
 * Lists the XRs (v2) or claims (v1) an environment declares, in the order
 * they are generated. Used by the Crossplane and catalog plugins to find them.
 * @public
 */
export function crossplaneObjectsFor(
  spec: EnvironmentSpec,
): CrossplaneObjectRef[] {
  const env = spec.name;
  const apiVersion = platformApiVersion(spec.crossplaneApi);
  const infra = `${environmentDir(env)}/infrastructure`;
  const ref = (kind: PlatformKind, resource: string): CrossplaneObjectRef => ({
    apiVersion,
    kind,
    namespace: env,
    name: crossplaneObjectName(env, resource),
    resource,
    resourceType: RESOURCE_TYPES[kind],
    file:
      kind === 'KubernetesCluster'
        ? `${infra}/${KUBERNETES_CLUSTER_DIR}/${KUBERNETES_CLUSTER_RESOURCE_NAME}.yaml`
        : `${infra}/${RESOURCE_TYPES[kind]}-${resource}.yaml`,
    connectionSecretName: connectionSecretName(env, resource),
  });
  return [
    ...(spec.resources.kubernetesCluster
      ? [ref('KubernetesCluster', KUBERNETES_CLUSTER_RESOURCE_NAME)]
      : []),
    ...spec.resources.databases.map(d => ref('Database', d.name)),
    ...spec.resources.caches.map(c => ref('Cache', c.name)),
    ...spec.resources.buckets.map(b => ref('Bucket', b.name)),
  ];
}

function baseLabels(env: string): Record<string, string> {
  return { [LABEL_PART_OF]: PART_OF_VALUE, [LABEL_ENVIRONMENT]: env };
}

/** The environment document (`environments/<env>/environment.yaml`) as an object. @public */
export function environmentDocument(spec: EnvironmentSpec): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: EnvironmentSpec;
} {
  // Key order is fixed here, so the output is byte-identical for equal specs.
  const ordered: EnvironmentSpec = {
    name: spec.name,
    owner: spec.owner,
    ...(spec.description !== undefined
      ? { description: spec.description }
      : {}),
    target: spec.target,
    provider: spec.provider,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
    crossplaneApi: spec.crossplaneApi,
    workloads: [...spec.workloads],
    ...(spec.workloadOverrides !== undefined
      ? {
          workloadOverrides: Object.fromEntries(
            Object.keys(spec.workloadOverrides)
              .sort()
              .map(k => {
                const o = spec.workloadOverrides![k];
                return [
                  k,
                  {
                    ...(o.replicas !== undefined
                      ? { replicas: o.replicas }
                      : {}),
                    ...(o.imageTag !== undefined
                      ? { imageTag: o.imageTag }
                      : {}),
                  },
                ];
              }),
          ),
        }
      : {}),
    resources: {
      databases: spec.resources.databases.map(d => ({
        name: d.name,
        engine: d.engine,
        version: d.version,
        size: d.size,
      })),
      buckets: spec.resources.buckets.map(b => ({
        name: b.name,
        versioning: b.versioning,
      })),
      caches: spec.resources.caches.map(c => ({
        name: c.name,
        engine: c.engine,
        version: c.version,
        size: c.size,
      })),
      ...(spec.resources.kubernetesCluster
        ? {
            kubernetesCluster: {
              version: spec.resources.kubernetesCluster.version,
              nodeSize: spec.resources.kubernetesCluster.nodeSize,
              nodeCount: spec.resources.kubernetesCluster.nodeCount,
            },
          }
        : {}),
    },
    ...(spec.expiry
      ? { expiry: { ttl: spec.expiry.ttl, expiresAt: spec.expiry.expiresAt } }
      : {}),
  };
  return {
    apiVersion: ENVIRONMENT_API_VERSION,
    kind: ENVIRONMENT_KIND,
    metadata: { name: spec.name, labels: baseLabels(spec.name) },
    spec: ordered,
  };
}

function xrDocument(
  spec: EnvironmentSpec,
  ref: CrossplaneObjectRef,
  parameters: Record<string, unknown>,
): Record<string, unknown> {
  // A cloud environment's XRs are reconciled by its own cluster (role
  // self-managed); the bootstrap and attach overlays patch only this role
  // label (the attach overlay on every XR: observe).
  const selector = {
    matchLabels: {
      [LABEL_PROVIDER]: spec.provider,
      ...(spec.target === 'cloud'
        ? { [LABEL_CLUSTER_ROLE]: 'self-managed' }
        : {}),
    },
  };
  const metadata = {
    name: ref.name,
    namespace: ref.namespace,
    labels: {
      ...baseLabels(spec.name),
      [LABEL_RESOURCE]: ref.resource,
      [LABEL_RESOURCE_TYPE]: ref.resourceType,
    },
    annotations: { [ANNOTATION_SYNC_WAVE]: '0' },
  };
  const params = {
    ...parameters,
    ...(spec.region !== undefined ? { region: spec.region } : {}),
  };
  if (spec.crossplaneApi === 'v2') {
    return {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata,
      spec: {
        crossplane: { compositionSelector: selector },
        parameters: params,
      },
    };
  }
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata,
    spec: {
      compositionSelector: selector,
      parameters: params,
      writeConnectionSecretToRef: { name: ref.connectionSecretName },
    },
  };
}

function envVarPrefix(resource: string): string {
  return `${resource.toUpperCase().replace(/-/g, '_')}_`;
}

/**
 * Generates the files of one environment: its spec document, the workloads
 * overlay (patches over `apps/<app>/base`) and the infrastructure overlay (one
 * XR or claim per resource). A cloud environment with a Kubernetes cluster
 * also gets `cluster/` (the root its own cluster's Argo CD syncs),
 * `bootstrap/` and `attach/` (the cluster XR in the bootstrap and observe
 * roles; see {@link cloudClusterFiles}). Pure and deterministic: equal specs give
 * byte-identical output. Every path lies inside `environments/<env>/`.
 *
 * The spec is re-checked, so a hand-built object cannot bypass validation.
 * @throws EnvironmentSpecError for an invalid spec
 * @public
 */
export function generateEnvironment(
  input: EnvironmentSpec,
  options: GenerateEnvironmentOptions = {},
): Record<string, string> {
  const spec = parseEnvironmentSpec(input);
  const env = spec.name;
  const dir = environmentDir(env);
  const registry = (options.imageRegistry ?? 'ghcr.io/epicshelter').replace(
    /\/+$/,
    '',
  );
  const files: Record<string, string> = {};
  const refs = crossplaneObjectsFor(spec);

  files[`${dir}/${ENVIRONMENT_FILE_NAME}`] = toYaml(environmentDocument(spec));

  // Infrastructure overlay: namespace + one XR/claim per resource.
  const infraResources: string[] = ['namespace.yaml'];
  files[`${dir}/infrastructure/namespace.yaml`] = toYaml({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: env,
      labels: baseLabels(env),
      annotations: { [ANNOTATION_SYNC_WAVE]: '-1' },
    },
  });
  const databases = new Map(spec.resources.databases.map(d => [d.name, d]));
  const caches = new Map(spec.resources.caches.map(c => [c.name, c]));
  const buckets = new Map(spec.resources.buckets.map(b => [b.name, b]));
  for (const ref of refs) {
    let parameters: Record<string, unknown>;
    switch (ref.kind) {
      case 'Database': {
        const d = databases.get(ref.resource)!;
        parameters = { engine: d.engine, version: d.version, size: d.size };
        break;
      }
      case 'Cache': {
        const c = caches.get(ref.resource)!;
        parameters = { engine: c.engine, version: c.version, size: c.size };
        break;
      }
      case 'Bucket': {
        const b = buckets.get(ref.resource)!;
        parameters = { versioning: b.versioning };
        break;
      }
      default: {
        const k = spec.resources.kubernetesCluster!;
        parameters = {
          environment: env,
          version: k.version,
          nodeSize: k.nodeSize,
          nodeCount: k.nodeCount,
        };
      }
    }
    files[ref.file] = toYaml(xrDocument(spec, ref, parameters));
    if (ref.kind === 'KubernetesCluster') {
      // Its own kustomization, which the bootstrap and attach overlays reuse.
      infraResources.push(KUBERNETES_CLUSTER_DIR);
      files[
        `${dir}/infrastructure/${KUBERNETES_CLUSTER_DIR}/kustomization.yaml`
      ] = toYaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [`${KUBERNETES_CLUSTER_RESOURCE_NAME}.yaml`],
      });
      Object.assign(
        files,
        cloudClusterFiles({
          env,
          cluster: {
            apiVersion: ref.apiVersion,
            kind: ref.kind,
            name: ref.name,
            v2: spec.crossplaneApi === 'v2',
          },
        }),
      );
    } else {
      infraResources.push(ref.file.slice(`${dir}/infrastructure/`.length));
    }
  }
  files[`${dir}/infrastructure/kustomization.yaml`] = toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: infraResources,
  });

  // Workloads overlay: the app bases, patched.
  const secretRefs = refs
    .filter(r => r.kind !== 'KubernetesCluster')
    .map(r => ({
      prefix: envVarPrefix(r.resource),
      // Not optional: a workload waits for its credentials (and says so in
      // its status) rather than starting without them. The Secret is
      // written in this environment's namespace by the Crossplane of the
      // cluster that runs it (the local one, or the cloud cluster's own).
      secretRef: { name: r.connectionSecretName },
    }));
  const defaultReplicas = spec.target === 'cloud' ? 2 : 1;
  const patches: Array<{ path: string; target: Record<string, string> }> = [];
  const images: Array<{ name: string; newTag: string }> = [];
  for (const app of spec.workloads) {
    const override = spec.workloadOverrides?.[app] ?? {};
    const patchPath = `patches/${app}.yaml`;
    files[`${dir}/workloads/${patchPath}`] = toYaml({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, labels: baseLabels(env) },
      spec: {
        replicas: override.replicas ?? defaultReplicas,
        template: {
          spec: {
            containers: [
              {
                name: 'app',
                ...(secretRefs.length > 0 ? { envFrom: secretRefs } : {}),
              },
            ],
          },
        },
      },
    });
    patches.push({
      path: patchPath,
      target: { group: 'apps', version: 'v1', kind: 'Deployment', name: app },
    });
    if (override.imageTag !== undefined) {
      images.push({ name: `${registry}/${app}`, newTag: override.imageTag });
    }
  }
  files[`${dir}/workloads/kustomization.yaml`] = toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: env,
    labels: [
      {
        pairs: baseLabels(env),
        includeSelectors: false,
        includeTemplates: true,
      },
    ],
    resources: spec.workloads.map(app => `../../../${appBaseDir(app)}`),
    ...(patches.length > 0 ? { patches } : {}),
    ...(images.length > 0 ? { images } : {}),
  });
  return files;
}
