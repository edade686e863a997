import {
  CLOUD_PROVIDERS,
  CROSSPLANE_APIS,
  DATABASE_ENGINES,
  DatabaseEngine,
  ENVIRONMENT_NAME_MAX_LENGTH,
  ENVIRONMENT_NAME_MIN_LENGTH,
  PLATFORM_OFFERINGS,
  PROVIDERS,
  PROVIDER_REGIONS,
  Provider,
  RESOURCE_NAME_MAX_LENGTH,
  SIZES,
  databaseVersions,
  offeredDatabaseEngines,
} from '@epicshelter/plugin-gitops-common';
import {
  TTL_FORMAT_HINT,
  TTL_PATTERN,
} from '@epicshelter/plugin-environments-common';

/**
 * Form pieces of the templates, built from the gitops-common offerings so the
 * form offers exactly what the spec schema accepts. `yarn templates:generate`
 * writes them into templates/*, and a test fails when the files drift.
 */

const DNS = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/*
 * Error messages. The form validates with ajv and ajv-errors (as the
 * scaffolder's Stepper does), so `errorMessage` replaces ajv's wording
 * ("must match pattern ^[a-z0-9]...", "must match \"then\" schema") with
 * sentences. The scaffolder's error list puts the field's title in front of
 * a field's message ("'Name' may contain only ..."), so those read on from
 * the title; messages of a whole step stand alone.
 */
const DNS_MESSAGE =
  'may contain only lowercase letters, digits and "-", and must start and end with a letter or digit.';
const tooLong = (max: number) => `must be at most ${max} characters long.`;

const resourceName = {
  title: 'Name',
  type: 'string',
  pattern: DNS,
  maxLength: RESOURCE_NAME_MAX_LENGTH,
  'ui:help': 'Lowercase letters, digits and "-".',
  errorMessage: {
    pattern: DNS_MESSAGE,
    maxLength: tooLong(RESOURCE_NAME_MAX_LENGTH),
  },
};

/**
 * A time to live field (`4h`, `1d`, `7d`): the form checks the form of the
 * value; the action checks it against the platform's bounds, which are
 * configuration.
 */
export function ttlField(title: string, description: string) {
  return {
    title,
    type: 'string',
    description,
    pattern: TTL_PATTERN.source,
    'ui:placeholder': '1d',
    errorMessage: {
      pattern: `must be ${TTL_FORMAT_HINT}.`,
    },
  };
}

/** One value of a choice and the fields it brings. */
interface Branch {
  value: string;
  properties?: Record<string, unknown>;
  required?: string[];
}

/** What the form says on a choice whose fields do not fit it. */
const CHOICE_MESSAGE =
  'needs the fields that go with it, filled in as the other messages say.';

/**
 * Fields that depend on the value of `property` (JSON schema
 * `dependencies` with one `oneOf` branch per value: the scaffolder's form
 * renders the fields of the chosen value). When no branch fits, ajv says
 * "must match exactly one schema in oneOf", "must have required property"
 * for each branch, and "must be equal to constant" on `property` for each
 * other value: `message` replaces the first two, CHOICE_MESSAGE the last.
 * Errors inside the chosen branch's fields keep their own messages.
 */
function dependsOn(property: string, branches: Branch[], message: string) {
  return {
    [property]: {
      oneOf: branches.map(b => ({
        properties: {
          [property]: {
            const: b.value,
            errorMessage: { const: CHOICE_MESSAGE },
          },
          ...b.properties,
        },
        ...(b.required ? { required: b.required } : {}),
      })),
      errorMessage: message,
    },
  };
}

/** A message for a choice outside the offered values. */
const oneOf = (values: readonly (string | number)[]) => ({
  enum: `must be one of ${values.join(', ')}.`,
});

const size = (title: string, def: string) => ({
  title,
  type: 'string',
  enum: [...SIZES],
  default: def,
  errorMessage: oneOf(SIZES),
});

/**
 * Form schema of one database (engine → only its versions), offering the
 * given engines (default: every engine of the platform API).
 */
export function databaseForm(
  engines: readonly DatabaseEngine[] = DATABASE_ENGINES,
) {
  return {
    type: 'object',
    required: ['name', 'engine'],
    properties: {
      name: resourceName,
      engine: {
        title: 'Engine',
        type: 'string',
        enum: [...engines],
        default: engines[0],
        errorMessage: oneOf(engines),
      },
      size: size('Size', PLATFORM_OFFERINGS.database.defaultSize),
    },
    dependencies: dependsOn(
      'engine',
      engines.map(engine => ({
        value: engine,
        properties: {
          version: {
            title: 'Version',
            type: 'string',
            enum: [...databaseVersions(engine)],
            default: databaseVersions(engine)[0],
            errorMessage: oneOf(databaseVersions(engine)),
          },
        },
      })),
      'Pick one of the versions the platform offers for the chosen engine.',
    ),
    errorMessage: {
      required: {
        name: 'Give every database a name.',
        engine: 'Pick the engine of every database.',
      },
    },
  };
}

/** The databases of an environment, with the engines a provider offers (all without one). */
function databasesField(provider?: Provider) {
  return {
    title: 'Databases',
    type: 'array',
    items: databaseForm(
      provider ? offeredDatabaseEngines(provider) : DATABASE_ENGINES,
    ),
    default: [],
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
    errorMessage: { required: { name: 'Give every bucket a name.' } },
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
    errorMessage: { required: { name: 'Give every cache a name.' } },
  };
}

const K8S = PLATFORM_OFFERINGS.kubernetesCluster;

/**
 * Target → provider → region, so impossible combinations cannot be picked;
 * the region comes right after the provider, before the cluster's fields.
 */
export function placementForm() {
  return {
    title: 'Where it runs',
    required: ['target', 'crossplaneApi'],
    'ui:order': [
      'target',
      'provider',
      'region',
      'kubernetesCluster',
      'crossplaneApi',
      '*',
    ],
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
      ...dependsOn(
        'target',
        [
          {
            value: 'local',
            properties: {
              provider: {
                title: 'Provider',
                type: 'string',
                enum: ['local'],
                default: 'local',
                errorMessage: {
                  enum: 'of a local environment is "local": its resources are in-cluster substitutes.',
                },
              },
            },
          },
          {
            value: 'cloud',
            required: ['provider', 'kubernetesCluster'],
            properties: {
              provider: {
                title: 'Provider',
                type: 'string',
                enum: [...CLOUD_PROVIDERS],
                errorMessage: oneOf(CLOUD_PROVIDERS),
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
                    errorMessage: {
                      minimum: `must be at least ${K8S.minNodeCount}.`,
                      maximum: `must be at most ${K8S.maxNodeCount}.`,
                    },
                  },
                },
              },
            },
          },
        ],
        'A local environment runs on the local cluster; a cloud one needs a provider, a region and its Kubernetes cluster.',
      ),
      ...dependsOn(
        'provider',
        [
          { value: 'local' },
          ...CLOUD_PROVIDERS.map(p => ({
            value: p,
            required: ['region'],
            properties: {
              region: {
                title: 'Region',
                type: 'string',
                enum: [...PROVIDER_REGIONS[p]],
                errorMessage: oneOf(PROVIDER_REGIONS[p]),
              },
            },
          })),
        ],
        'Pick one of the regions of the chosen provider.',
      ),
    },
  };
}

/**
 * The steps after the one that renders the change: validate the whole
 * repository with it, then publish it (the environment name, title and
 * summary come from the outputs of step `from`). No step takes a
 * `repository` input: every template writes to the configured GitOps
 * repository (`gitops.repository`).
 */
function validateAndPublishSteps(from: string) {
  return [
    {
      id: 'validate',
      name: 'Validate the GitOps repository with the change',
      action: 'epicshelter:gitops:validate',
      input: {
        sourcePath: 'gitops',
      },
    },
    {
      id: 'publish',
      name: 'Publish the change',
      action: 'epicshelter:gitops:publish',
      input: {
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
              'ui:help': `Lowercase letters, digits and "-", ${ENVIRONMENT_NAME_MIN_LENGTH} to ${ENVIRONMENT_NAME_MAX_LENGTH} characters; it is also the Kubernetes namespace.`,
              errorMessage: {
                pattern: DNS_MESSAGE,
                minLength: `must be at least ${ENVIRONMENT_NAME_MIN_LENGTH} characters long.`,
                maxLength: tooLong(ENVIRONMENT_NAME_MAX_LENGTH),
              },
            },
            owner: {
              title: 'Owner',
              type: 'string',
              description:
                'One of the groups you belong to: its members may change the environment.',
              'ui:field': 'MyGroupsPicker',
            },
            description: {
              title: 'Description',
              type: 'string',
              maxLength: 500,
              errorMessage: { maxLength: tooLong(500) },
            },
            ttl: ttlField(
              'Time to live',
              'For an ephemeral environment: how long it lives, e.g. 4h, 1d or 7d. Leave empty for the platform default (none: it does not expire). The platform sets a maximum; its owners are notified before it expires and may extend it.',
            ),
          },
          errorMessage: {
            required: {
              name: 'Give the environment a name.',
              owner: 'Pick the group that owns the environment.',
            },
          },
        },
        placementForm(),
        {
          title: 'Resources and workloads',
          properties: {
            // The provider picked on the step before, hidden: the form only
            // resolves a dependency on a property of the same step.
            provider: { type: 'string', 'ui:widget': 'hidden' },
            databases: databasesField(),
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
                'The apps of the GitOps repository (each folder of apps/ with a base) that the environment deploys.',
              type: 'array',
              uniqueItems: true,
              items: {
                type: 'string',
                pattern: DNS,
                maxLength: RESOURCE_NAME_MAX_LENGTH,
              },
              default: [],
              'ui:field': 'EnvironmentWorkloadsPicker',
              errorMessage: { uniqueItems: 'lists an app twice.' },
            },
          },
          // The provider was chosen on the step before: its databases offer
          // only the engines it serves (offeredDatabaseEngines, which the
          // spec enforces too).
          dependencies: dependsOn(
            'provider',
            PROVIDERS.map(p => ({
              value: p,
              properties: { databases: databasesField(p) },
            })),
            'Pick, for every database, an engine the chosen provider offers.',
          ),
        },
      ],
      steps: [
        {
          id: 'create',
          name: 'Check and render the environment',
          action: 'epicshelter:environment:create',
          input: {
            ttl: '${{ parameters.ttl }}',
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
          },
          errorMessage: {
            required: {
              environment: 'Pick the environment to add the resource to.',
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
          dependencies: dependsOn(
            'type',
            [
              {
                value: 'database',
                properties: {
                  database: { title: 'Database', ...databaseForm() },
                },
                required: ['database'],
              },
              {
                value: 'bucket',
                properties: { bucket: { title: 'Bucket', ...bucketForm() } },
                required: ['bucket'],
              },
              {
                value: 'cache',
                properties: { cache: { title: 'Cache', ...cacheForm() } },
                required: ['cache'],
              },
            ],
            'Describe the new resource: a name of lowercase letters, digits and "-", and its engine and version where it has one.',
          ),
        },
      ],
      steps: [
        {
          id: 'add',
          name: 'Check and render the resource',
          action: 'epicshelter:environment:add-resource',
          input: {
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
