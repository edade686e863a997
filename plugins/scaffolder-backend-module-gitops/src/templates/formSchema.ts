import {
  CLOUD_PROVIDERS,
  CROSSPLANE_APIS,
  DATABASE_ENGINES,
  ENVIRONMENT_NAME_MAX_LENGTH,
  ENVIRONMENT_NAME_MIN_LENGTH,
  PLATFORM_OFFERINGS,
  PROVIDER_REGIONS,
  RESOURCE_NAME_MAX_LENGTH,
  SIZES,
  databaseVersions,
} from '@epicshelter/plugin-gitops-common';

/**
 * Form pieces of the templates, built from the gitops-common offerings so the
 * form offers exactly what the spec schema accepts. `yarn templates:generate`
 * writes them into templates/*, and a test fails when the files drift.
 */

const DNS = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

const resourceName = {
  title: 'Name',
  type: 'string',
  pattern: DNS,
  maxLength: RESOURCE_NAME_MAX_LENGTH,
  'ui:help': 'lowercase letters, digits and "-"',
};

const size = (title: string, def: string) => ({
  title,
  type: 'string',
  enum: [...SIZES],
  default: def,
});

/** Form schema of one database (engine → only its versions). */
export function databaseForm() {
  return {
    type: 'object',
    required: ['name', 'engine'],
    properties: {
      name: resourceName,
      engine: {
        title: 'Engine',
        type: 'string',
        enum: [...DATABASE_ENGINES],
        default: DATABASE_ENGINES[0],
      },
      size: size('Size', PLATFORM_OFFERINGS.database.defaultSize),
    },
    dependencies: {
      engine: {
        oneOf: DATABASE_ENGINES.map(engine => ({
          properties: {
            engine: { const: engine },
            version: {
              title: 'Version',
              type: 'string',
              enum: [...databaseVersions(engine)],
              default: databaseVersions(engine)[0],
            },
          },
        })),
      },
    },
  };
}

/** Form schema of one bucket. */
export function bucketForm() {
  return {
    type: 'object',
    required: ['name'],
    properties: {
      name: resourceName,
      versioning: {
        title: 'Keep old versions',
        type: 'boolean',
        default: false,
      },
    },
  };
}

/** Form schema of one cache. */
export function cacheForm() {
  const versions = [...PLATFORM_OFFERINGS.cache.engines.redis.versions];
  return {
    type: 'object',
    required: ['name'],
    properties: {
      name: resourceName,
      engine: {
        title: 'Engine',
        type: 'string',
        enum: ['redis'],
        default: 'redis',
      },
      version: {
        title: 'Version',
        type: 'string',
        enum: versions,
        default: versions[0],
      },
      size: size('Size', PLATFORM_OFFERINGS.cache.defaultSize),
    },
  };
}

const K8S = PLATFORM_OFFERINGS.kubernetesCluster;

/** Target → provider → region, so impossible combinations cannot be picked. */
export function placementForm() {
  return {
    title: 'Where it runs',
    required: ['target', 'crossplaneApi'],
    properties: {
      target: {
        title: 'Target',
        type: 'string',
        enum: ['local', 'cloud'],
        enumNames: ['Local cluster (kind)', 'Public cloud'],
        default: 'local',
      },
      crossplaneApi: {
        title: 'Crossplane API style',
        type: 'string',
        enum: [...CROSSPLANE_APIS],
        enumNames: [
          'v2: namespaced composite resources (recommended)',
          'v1: legacy claims',
        ],
        default: 'v2',
      },
    },
    dependencies: {
      target: {
        oneOf: [
          {
            properties: {
              target: { const: 'local' },
              provider: {
                title: 'Provider',
                type: 'string',
                enum: ['local'],
                default: 'local',
              },
            },
          },
          {
            required: ['provider', 'kubernetesCluster'],
            properties: {
              target: { const: 'cloud' },
              provider: {
                title: 'Provider',
                type: 'string',
                enum: [...CLOUD_PROVIDERS],
              },
              kubernetesCluster: {
                title: 'Kubernetes cluster',
                type: 'object',
                properties: {
                  version: {
                    title: 'Kubernetes version',
                    type: 'string',
                    enum: [...K8S.versions],
                    default: K8S.versions[0],
                  },
                  nodeSize: size('Node size', K8S.defaultNodeSize),
                  nodeCount: {
                    title: 'Nodes',
                    type: 'integer',
                    minimum: K8S.minNodeCount,
                    maximum: K8S.maxNodeCount,
                    default: K8S.defaultNodeCount,
                  },
                },
              },
            },
          },
        ],
      },
      provider: {
        oneOf: [
          { properties: { provider: { const: 'local' } } },
          ...CLOUD_PROVIDERS.map(p => ({
            required: ['region'],
            properties: {
              provider: { const: p },
              region: {
                title: 'Region',
                type: 'string',
                enum: [...PROVIDER_REGIONS[p]],
              },
            },
          })),
        ],
      },
    },
  };
}

/**
 * The steps after the one that renders the change: validate the whole
 * repository with it, then publish it (the environment name, title and
 * summary come from the outputs of step `from`).
 */
function validateAndPublishSteps(from: string) {
  return [
    {
      id: 'validate',
      name: 'Validate the GitOps repository with the change',
      action: 'epicshelter:gitops:validate',
      input: {
        repository: '${{ parameters.repository }}',
        sourcePath: 'gitops',
      },
    },
    {
      id: 'publish',
      name: 'Publish the change',
      action: 'epicshelter:gitops:publish',
      input: {
        repository: '${{ parameters.repository }}',
        environment: `\${{ steps.${from}.output.name }}`,
        sourcePath: 'gitops',
        title: `\${{ steps.${from}.output.title }}`,
        description: `\${{ steps.${from}.output.summary }}`,
      },
    },
  ];
}

/** The "Create environment" template. */
export function createEnvironmentTemplate() {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'create-environment',
      title: 'Create environment',
      description:
        'Create an environment in the GitOps repository: a namespace with databases, buckets and caches provisioned by Crossplane and your workloads deployed by Argo CD. Opens a pull request (GitHub) or commits to the local GitOps repository.',
      tags: ['environment', 'gitops', 'crossplane', 'argocd'],
    },
    spec: {
      owner: 'group:default/epicshelter-maintainers',
      type: 'environment',
      parameters: [
        {
          title: 'Environment',
          required: ['name', 'owner'],
          properties: {
            name: {
              title: 'Name',
              type: 'string',
              pattern: DNS,
              minLength: ENVIRONMENT_NAME_MIN_LENGTH,
              maxLength: ENVIRONMENT_NAME_MAX_LENGTH,
              'ui:autofocus': true,
              'ui:help': `lowercase letters, digits and "-", ${ENVIRONMENT_NAME_MIN_LENGTH}-${ENVIRONMENT_NAME_MAX_LENGTH} characters; also the namespace`,
            },
            owner: {
              title: 'Owner',
              type: 'string',
              'ui:field': 'OwnerPicker',
              'ui:options': { catalogFilter: { kind: ['Group', 'User'] } },
            },
            description: {
              title: 'Description',
              type: 'string',
              maxLength: 500,
            },
          },
        },
        placementForm(),
        {
          title: 'Resources and workloads',
          properties: {
            databases: {
              title: 'Databases',
              type: 'array',
              items: databaseForm(),
              default: [],
            },
            buckets: {
              title: 'Buckets',
              type: 'array',
              items: bucketForm(),
              default: [],
            },
            caches: {
              title: 'Caches',
              type: 'array',
              items: cacheForm(),
              default: [],
            },
            workloads: {
              title: 'Workloads',
              description:
                'Apps with a base in apps/<name>/base of the GitOps repository',
              type: 'array',
              uniqueItems: true,
              items: {
                type: 'string',
                pattern: DNS,
                maxLength: RESOURCE_NAME_MAX_LENGTH,
              },
              default: [],
            },
          },
        },
        {
          title: 'GitOps repository',
          properties: {
            repository: {
              title: 'Repository',
              type: 'string',
              description:
                "Leave empty to use the portal's GitOps repository (gitops.repository in app-config); or a GitHub URL https://github.com/<owner>/<repo>",
            },
          },
        },
      ],
      steps: [
        {
          id: 'create',
          name: 'Check and render the environment',
          action: 'epicshelter:environment:create',
          input: {
            repository: '${{ parameters.repository }}',
            spec: {
              name: '${{ parameters.name }}',
              owner: '${{ parameters.owner }}',
              description: '${{ parameters.description }}',
              target: '${{ parameters.target }}',
              provider: '${{ parameters.provider }}',
              region: '${{ parameters.region }}',
              crossplaneApi: '${{ parameters.crossplaneApi }}',
              workloads: '${{ parameters.workloads }}',
              resources: {
                databases: '${{ parameters.databases }}',
                buckets: '${{ parameters.buckets }}',
                caches: '${{ parameters.caches }}',
                kubernetesCluster: '${{ parameters.kubernetesCluster }}',
              },
            },
          },
        },
        ...validateAndPublishSteps('create'),
      ],
      output: {
        links: [
          {
            title: 'Change (pull request or repository)',
            url: '${{ steps.publish.output.remoteUrl }}',
          },
          {
            title: 'Environment in the catalog',
            icon: 'catalog',
            entityRef: '${{ steps.create.output.entityRef }}',
          },
        ],
        text: [
          {
            title: 'Published',
            content:
              'Commit `${{ steps.publish.output.commitSha }}` on branch `${{ steps.publish.output.branch }}`. The environment appears in the catalog once the GitOps repository is read by the catalog (environments/${{ steps.create.output.name }}/environment.yaml).',
          },
        ],
      },
    },
  };
}

/** The "Add a cloud resource to an environment" template. */
export function addResourceTemplate() {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'add-resource',
      title: 'Add a cloud resource to an environment',
      description:
        'Add a database, bucket or cache to an existing environment. Writes only the new claim, the kustomization and the environment document.',
      tags: ['environment', 'gitops', 'crossplane'],
    },
    spec: {
      owner: 'group:default/epicshelter-maintainers',
      type: 'environment',
      parameters: [
        {
          title: 'Environment',
          required: ['environment'],
          properties: {
            environment: {
              title: 'Environment',
              type: 'string',
              'ui:field': 'EntityPicker',
              'ui:options': {
                catalogFilter: [
                  { kind: 'Resource', 'spec.type': 'environment' },
                ],
                defaultKind: 'Resource',
              },
            },
            repository: {
              title: 'GitOps repository',
              type: 'string',
              description: "Leave empty for the portal's GitOps repository",
            },
          },
        },
        {
          title: 'Resource',
          required: ['type'],
          properties: {
            type: {
              title: 'Type',
              type: 'string',
              enum: ['database', 'bucket', 'cache'],
              enumNames: ['Database', 'Bucket', 'Cache'],
              default: 'database',
            },
          },
          dependencies: {
            type: {
              oneOf: [
                {
                  properties: {
                    type: { const: 'database' },
                    database: { title: 'Database', ...databaseForm() },
                  },
                  required: ['database'],
                },
                {
                  properties: {
                    type: { const: 'bucket' },
                    bucket: { title: 'Bucket', ...bucketForm() },
                  },
                  required: ['bucket'],
                },
                {
                  properties: {
                    type: { const: 'cache' },
                    cache: { title: 'Cache', ...cacheForm() },
                  },
                  required: ['cache'],
                },
              ],
            },
          },
        },
      ],
      steps: [
        {
          id: 'add',
          name: 'Check and render the resource',
          action: 'epicshelter:environment:add-resource',
          input: {
            repository: '${{ parameters.repository }}',
            environment: '${{ parameters.environment }}',
            type: '${{ parameters.type }}',
            resource: '${{ parameters[parameters.type] }}',
          },
        },
        ...validateAndPublishSteps('add'),
      ],
      output: {
        links: [
          {
            title: 'Change (pull request or repository)',
            url: '${{ steps.publish.output.remoteUrl }}',
          },
          {
            title: 'Environment',
            icon: 'catalog',
            entityRef: '${{ steps.add.output.entityRef }}',
          },
        ],
      },
    },
  };
}
