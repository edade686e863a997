import {
  ANNOTATION_SYNC_WAVE,
  CLUSTER_ROLES,
  ClusterRole,
  LABEL_PART_OF,
  LEGACY_PLATFORM_GROUP,
  PART_OF_VALUE,
  PLATFORM_GROUP,
  PLATFORM_VERSION,
} from '../constants';
import { PLATFORM_KINDS, PlatformKind, RESOURCE_TYPES } from '../generator';
import {
  CACHE_ENGINES,
  CloudProvider,
  DATABASE_ENGINES,
  PLATFORM_OFFERINGS,
  PROVIDERS,
  Provider,
  SIZES,
  allDatabaseVersions,
  cacheVersions,
  databaseVersions,
} from '../offerings';
import { toYaml } from '../yaml';
import { Style, composition } from './compositions';
import {
  CLOUD_CREDENTIALS_KEY,
  CLOUD_CREDENTIALS_NAMESPACE,
  cloudCredentialsSecretName,
} from './credentials';

type Obj = Record<string, unknown>;

const PLURALS: Record<PlatformKind, string> = {
  Database: 'databases',
  Bucket: 'buckets',
  Cache: 'caches',
  KubernetesCluster: 'kubernetesclusters',
};

const str = (description: string, extra: Obj = {}): Obj => ({
  type: 'string',
  description,
  ...extra,
});

function parametersSchema(kind: PlatformKind): Obj {
  const region = str(
    'Cloud region; set by the generator for cloud environments.',
  );
  const size = str(
    'T-shirt size, mapped to a provider instance class by the Composition.',
    {
      enum: [...SIZES],
      default: 'small',
    },
  );
  switch (kind) {
    case 'Database':
      return {
        type: 'object',
        required: ['engine', 'version'],
        properties: {
          engine: str('Database engine.', { enum: [...DATABASE_ENGINES] }),
          version: str('Engine major version.', {
            enum: allDatabaseVersions(),
          }),
          size,
          region,
        },
        // Engine and version must fit together (structural-schema legal).
        anyOf: DATABASE_ENGINES.map(e => ({
          properties: {
            engine: { enum: [e] },
            version: { enum: [...databaseVersions(e)] },
          },
        })),
        'x-kubernetes-validations': DATABASE_ENGINES.map(e => ({
          rule: `self.engine != '${e}' || self.version in [${databaseVersions(e)
            .map(v => `'${v}'`)
            .join(', ')}]`,
          message: `${e} versions offered: ${databaseVersions(e).join(', ')}`,
        })),
      };
    case 'Cache':
      return {
        type: 'object',
        properties: {
          engine: str('Cache engine.', {
            enum: [...CACHE_ENGINES],
            default: 'redis',
          }),
          version: str('Engine version.', {
            enum: [...cacheVersions('redis')],
            default: cacheVersions('redis')[0],
          }),
          size,
          region,
        },
      };
    case 'Bucket':
      return {
        type: 'object',
        properties: {
          versioning: {
            type: 'boolean',
            description: 'Keep object versions.',
            default: false,
          },
          region,
        },
      };
    default: {
      const k = PLATFORM_OFFERINGS.kubernetesCluster;
      return {
        type: 'object',
        required: ['environment', 'version', 'region'],
        properties: {
          environment: str(
            'Environment the cluster serves; names its root Argo CD applications.',
            {
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              maxLength: 40,
            },
          ),
          version: str('Kubernetes minor version.', { enum: [...k.versions] }),
          nodeSize: str('Node size.', {
            enum: [...k.nodeSizes],
            default: k.defaultNodeSize,
          }),
          nodeCount: {
            type: 'integer',
            description: 'Number of nodes.',
            minimum: k.minNodeCount,
            maximum: k.maxNodeCount,
            default: k.defaultNodeCount,
          },
          region,
        },
      };
    }
  }
}

/**
 * What a bootstrap's composed resources observe (AWS; see
 * compositions/aws.ts): whether this bootstrap created the cluster's IAM
 * roles (so it also creates the network) and the subnets of the existing
 * cluster (so a second bootstrap adopts them instead).
 */
const BOOTSTRAP_STATUS: Obj = {
  bootstrap: {
    type: 'object',
    description:
      'Written by the bootstrap Composition from what it observes in the cloud.',
    properties: {
      rolesCreatedAt: str(
        'When this bootstrap created the IAM roles of the cluster (crossplane.io/external-create-succeeded); only then does it create the network.',
      ),
      clusterSubnetIds: {
        type: 'array',
        description:
          'Subnets of the existing cluster as the cloud reports them; a second bootstrap uses these instead of creating a network.',
        items: { type: 'string' },
      },
    },
  },
};

function openAPIV3Schema(kind: PlatformKind): Obj {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['parameters'],
        properties: { parameters: parametersSchema(kind) },
      },
      status: {
        type: 'object',
        properties: {
          connectionSecret: str(
            'Name of the Secret with the connection details.',
          ),
          ...(kind === 'KubernetesCluster' ? BOOTSTRAP_STATUS : {}),
        },
      },
    },
  };
}

const labels = { [LABEL_PART_OF]: PART_OF_VALUE };
const wave = (w: number, extra: Obj = {}) => ({
  [ANNOTATION_SYNC_WAVE]: String(w),
  ...extra,
});

/** The v2 XRD (namespaced XRs) of a platform kind. */
function xrdV2(kind: PlatformKind): Obj {
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: {
      name: `${PLURALS[kind]}.${PLATFORM_GROUP}`,
      labels,
      annotations: wave(-5),
    },
    spec: {
      group: PLATFORM_GROUP,
      scope: 'Namespaced',
      names: { kind, plural: PLURALS[kind], categories: ['epicshelter'] },
      versions: [
        {
          name: PLATFORM_VERSION,
          served: true,
          referenceable: true,
          schema: { openAPIV3Schema: openAPIV3Schema(kind) },
        },
      ],
    },
  };
}

const CONNECTION_SECRET_KEYS: Record<PlatformKind, string[]> = {
  Database: ['endpoint', 'port', 'username', 'password'],
  Cache: ['endpoint', 'port', 'username', 'password'],
  Bucket: ['accessKeyId', 'secretAccessKey', 'connectionString'],
  KubernetesCluster: ['kubeconfig'],
};

/** The v1 XRD (legacy cluster XR `X<Kind>` with namespaced claim `<Kind>`). */
function xrdV1(kind: PlatformKind): Obj {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'CompositeResourceDefinition',
    metadata: {
      name: `x${PLURALS[kind]}.${LEGACY_PLATFORM_GROUP}`,
      labels,
      annotations: wave(-5),
    },
    spec: {
      group: LEGACY_PLATFORM_GROUP,
      names: {
        kind: `X${kind}`,
        plural: `x${PLURALS[kind]}`,
        categories: ['epicshelter'],
      },
      claimNames: { kind, plural: PLURALS[kind] },
      connectionSecretKeys: CONNECTION_SECRET_KEYS[kind],
      versions: [
        {
          name: PLATFORM_VERSION,
          served: true,
          referenceable: true,
          schema: { openAPIV3Schema: openAPIV3Schema(kind) },
        },
      ],
    },
  };
}

/** Crossplane packages of the platform, pinned. */
export const PLATFORM_PACKAGES = {
  functions: {
    'function-patch-and-transform':
      'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.9.0',
    'function-environment-configs':
      'xpkg.crossplane.io/crossplane-contrib/function-environment-configs:v0.4.0',
    'function-auto-ready':
      'xpkg.crossplane.io/crossplane-contrib/function-auto-ready:v0.5.0',
  },
  providers: {
    'provider-kubernetes':
      'xpkg.crossplane.io/crossplane-contrib/provider-kubernetes:v1.0.0',
    'provider-helm':
      'xpkg.crossplane.io/crossplane-contrib/provider-helm:v1.0.0',
    'provider-aws-rds': 'xpkg.upbound.io/upbound/provider-aws-rds:v2.0.0',
    'provider-aws-s3': 'xpkg.upbound.io/upbound/provider-aws-s3:v2.0.0',
    'provider-aws-elasticache':
      'xpkg.upbound.io/upbound/provider-aws-elasticache:v2.0.0',
    'provider-aws-eks': 'xpkg.upbound.io/upbound/provider-aws-eks:v2.0.0',
    // The EKS composition's VPC, subnets, routes and IAM roles.
    'provider-aws-ec2': 'xpkg.upbound.io/upbound/provider-aws-ec2:v2.0.0',
    'provider-aws-iam': 'xpkg.upbound.io/upbound/provider-aws-iam:v2.0.0',
    'provider-gcp-sql': 'xpkg.upbound.io/upbound/provider-gcp-sql:v2.0.0',
    'provider-gcp-storage':
      'xpkg.upbound.io/upbound/provider-gcp-storage:v2.0.0',
    'provider-gcp-redis': 'xpkg.upbound.io/upbound/provider-gcp-redis:v2.0.0',
    'provider-gcp-container':
      'xpkg.upbound.io/upbound/provider-gcp-container:v2.0.0',
    'provider-azure-dbforpostgresql':
      'xpkg.upbound.io/upbound/provider-azure-dbforpostgresql:v2.0.0',
    'provider-azure-dbformysql':
      'xpkg.upbound.io/upbound/provider-azure-dbformysql:v2.0.0',
    'provider-azure-storage':
      'xpkg.upbound.io/upbound/provider-azure-storage:v2.0.0',
    'provider-azure-cache':
      'xpkg.upbound.io/upbound/provider-azure-cache:v2.0.0',
    'provider-azure-containerservice':
      'xpkg.upbound.io/upbound/provider-azure-containerservice:v2.0.0',
  },
} as const;

/** Options of {@link renderPlatform}. @public */
export interface RenderPlatformOptions {
  /** URL of the GitOps repository that cloud clusters' root applications follow. */
  repoURL?: string;
  /** Branch or tag they follow. Default `main`. */
  revision?: string;
}

/** Placeholder repository URL the blueprint ships with; the bootstrap template replaces it. @public */
export const BLUEPRINT_REPO_URL =
  'https://github.com/epicshelter/gitops-repository';

function providerConfigs(): Obj[] {
  const secretRef = (provider: CloudProvider) => ({
    source: 'Secret',
    secretRef: {
      namespace: CLOUD_CREDENTIALS_NAMESPACE,
      name: cloudCredentialsSecretName(provider),
      key: CLOUD_CREDENTIALS_KEY,
    },
  });
  const annotations = wave(-4, {
    'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
  });
  const out: Obj[] = [];
  for (const [family, spec] of [
    ['aws', { credentials: secretRef('aws') }],
    // projectID is not a secret; set it to your project.
    [
      'gcp',
      {
        projectID: 'epicshelter-platform',
        credentials: secretRef('gcp'),
      },
    ],
    ['azure', { credentials: secretRef('azure') }],
  ] as const) {
    out.push({
      apiVersion: `${family}.m.upbound.io/v1beta1`,
      kind: 'ClusterProviderConfig',
      metadata: { name: 'default', labels, annotations },
      spec,
    });
    out.push({
      apiVersion: `${family}.upbound.io/v1beta1`,
      kind: 'ProviderConfig',
      metadata: { name: 'default', labels, annotations },
      spec,
    });
  }
  for (const [p, version] of [
    ['kubernetes', 'v1alpha1'],
    ['helm', 'v1beta1'],
  ] as const) {
    out.push({
      apiVersion: `${p}.m.crossplane.io/${version}`,
      kind: 'ClusterProviderConfig',
      metadata: { name: 'in-cluster', labels, annotations },
      spec: { credentials: { source: 'InjectedIdentity' } },
    });
    out.push({
      apiVersion: `${p}.crossplane.io/${version}`,
      kind: 'ProviderConfig',
      metadata: { name: 'in-cluster', labels, annotations },
      spec: { credentials: { source: 'InjectedIdentity' } },
    });
  }
  return out;
}

/**
 * The Compositions of a kind and provider, one per role, selected by the
 * `platform.epicshelter.io/cluster-role` label next to the provider label:
 * a cloud cluster's `bootstrap`, `self-managed` and `observe`; a cloud
 * database, cache or bucket's `self-managed` (in its environment's cluster)
 * and `observe` (in an attached cluster). Local resources have one.
 */
function compositionRoles(
  kind: PlatformKind,
  provider: Provider,
): Array<ClusterRole | undefined> {
  if (kind === 'KubernetesCluster') return [...CLUSTER_ROLES];
  return provider === 'local' ? [undefined] : ['self-managed', 'observe'];
}

/**
 * Renders the platform API of the blueprint (`platform/`): XRDs for every
 * platform kind in both API styles, one pipeline-mode Composition per kind
 * and provider selected by the `platform.epicshelter.io/provider` label,
 * the Crossplane functions and providers (pinned), ProviderConfigs that name
 * credential Secrets only, and the EnvironmentConfig that tells cloud
 * clusters which repository to follow. Pure and deterministic.
 * @public
 */
export function renderPlatform(
  options: RenderPlatformOptions = {},
): Record<string, string> {
  const files: Record<string, string> = {};
  const resources: string[] = [];
  const put = (path: string, obj: Obj | Obj[]) => {
    files[`platform/${path}`] = Array.isArray(obj)
      ? obj.map(o => toYaml(o)).join('---\n')
      : toYaml(obj);
    resources.push(path);
  };

  put(
    'functions.yaml',
    Object.entries(PLATFORM_PACKAGES.functions).map(([name, pkg]) => ({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Function',
      metadata: { name, labels, annotations: wave(-10) },
      spec: { package: pkg },
    })),
  );
  put('providers.yaml', [
    ...Object.entries(PLATFORM_PACKAGES.providers).map(([name, pkg]) => ({
      apiVersion: 'pkg.crossplane.io/v1',
      kind: 'Provider',
      metadata: { name, labels, annotations: wave(-10) },
      spec: {
        package: pkg,
        ...(name === 'provider-kubernetes' || name === 'provider-helm'
          ? { runtimeConfigRef: { name: 'in-cluster-admin' } }
          : {}),
      },
    })),
    {
      apiVersion: 'pkg.crossplane.io/v1beta1',
      kind: 'DeploymentRuntimeConfig',
      metadata: { name: 'in-cluster-admin', labels, annotations: wave(-11) },
      spec: {
        serviceAccountTemplate: { metadata: { name: 'provider-in-cluster' } },
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: {
        name: 'epicshelter-provider-in-cluster',
        labels,
        annotations: wave(-11),
      },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'cluster-admin',
      },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: 'provider-in-cluster',
          namespace: 'crossplane-system',
        },
      ],
    },
  ]);
  put('provider-configs.yaml', providerConfigs());
  put('environment-config.yaml', {
    apiVersion: 'apiextensions.crossplane.io/v1beta1',
    kind: 'EnvironmentConfig',
    metadata: { name: 'epicshelter-gitops', labels, annotations: wave(-5) },
    data: {
      gitops: {
        repoURL: options.repoURL ?? BLUEPRINT_REPO_URL,
        revision: options.revision ?? 'main',
      },
    },
  });

  for (const kind of PLATFORM_KINDS) {
    const type = RESOURCE_TYPES[kind];
    const providers: Provider[] =
      kind === 'KubernetesCluster'
        ? PROVIDERS.filter(p => p !== 'local')
        : [...PROVIDERS];
    put(`apis/${type}/definition.yaml`, xrdV2(kind));
    put(`apis/${type}/legacy-definition.yaml`, xrdV1(kind));
    for (const style of ['v2', 'v1'] as Style[]) {
      for (const provider of providers) {
        for (const role of compositionRoles(kind, provider)) {
          const prefix = style === 'v2' ? '' : 'legacy-';
          // The full (self-managed) Composition of a database, cache or
          // bucket keeps its short file and object name.
          const suffix =
            role && (kind === 'KubernetesCluster' || role !== 'self-managed')
              ? `${provider}-${role}`
              : provider;
          const c = composition(
            kind,
            provider,
            style,
            `${
              style === 'v2' ? PLATFORM_GROUP : LEGACY_PLATFORM_GROUP
            }/${PLATFORM_VERSION}`,
            style === 'v2' ? kind : `X${kind}`,
            `${prefix}${type}-${suffix}`,
            role,
          );
          (c.metadata as Obj).annotations = wave(-3);
          put(`apis/${type}/${prefix}composition-${suffix}.yaml`, c);
        }
      }
    }
  }
  files['platform/kustomization.yaml'] = toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources,
  });
  return files;
}
