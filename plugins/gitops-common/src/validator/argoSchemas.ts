/**
 * A strict subset of Argo CD's CRD schemas (argoproj.io/v1alpha1 Application,
 * ApplicationSet and AppProject), written from the field lists of Argo CD 3.x.
 *
 * Unlike the API server, which silently prunes unknown fields, these schemas
 * reject unknown fields at the levels they model, so a typo such as
 * `syncPolicy.automatd` is reported. Deeper, rarely written structures
 * (helm/kustomize source options, generators other than git/list, ...)
 * accept any object. The tests check that everything these schemas accept
 * in the blueprint is also accepted by the full upstream CRDs.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const obj: Schema = { type: 'object' };
const strArray: Schema = { type: 'array', items: str };
const strMap: Schema = { type: 'object', additionalProperties: str };

const metadata: Schema = {
  type: 'object',
  properties: {
    name: str,
    namespace: str,
    labels: strMap,
    annotations: strMap,
    finalizers: strArray,
  },
};

const source: Schema = {
  type: 'object',
  required: ['repoURL'],
  additionalProperties: false,
  properties: {
    repoURL: str,
    path: str,
    targetRevision: str,
    chart: str,
    ref: str,
    name: str,
    tagPrefix: str,
    directory: obj,
    helm: obj,
    kustomize: obj,
    plugin: obj,
  },
};

const destination: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: { server: str, name: str, namespace: str },
};

const applicationSyncPolicy: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    automated: {
      type: 'object',
      additionalProperties: false,
      properties: {
        prune: bool,
        selfHeal: bool,
        allowEmpty: bool,
        enabled: bool,
      },
    },
    syncOptions: strArray,
    retry: obj,
    managedNamespaceMetadata: obj,
  },
};

const applicationSpec: Schema = {
  type: 'object',
  required: ['destination', 'project'],
  additionalProperties: false,
  properties: {
    destination,
    project: str,
    source,
    sources: { type: 'array', items: source },
    syncPolicy: applicationSyncPolicy,
    ignoreDifferences: { type: 'array', items: obj },
    info: { type: 'array', items: obj },
    revisionHistoryLimit: { type: 'integer' },
    sourceHydrator: obj,
  },
};

const topLevel = (
  spec: Schema,
  extra: Record<string, Schema> = {},
): Schema => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { ...metadata, required: ['name'] },
    spec,
    status: obj,
    ...extra,
  },
});

const pathItem: Schema = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: { path: str, exclude: bool },
};

const generator: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    git: {
      type: 'object',
      required: ['repoURL', 'revision'],
      additionalProperties: false,
      properties: {
        repoURL: str,
        revision: str,
        directories: { type: 'array', items: pathItem },
        files: { type: 'array', items: pathItem },
        pathParamPrefix: str,
        requeueAfterSeconds: { type: 'integer' },
        template: obj,
        values: strMap,
      },
    },
    list: obj,
    clusters: obj,
    matrix: obj,
    merge: obj,
    scmProvider: obj,
    clusterDecisionResource: obj,
    pullRequest: obj,
    plugin: obj,
    selector: {
      type: 'object',
      additionalProperties: false,
      properties: {
        matchLabels: strMap,
        matchExpressions: {
          type: 'array',
          items: {
            type: 'object',
            required: ['key', 'operator'],
            additionalProperties: false,
            properties: { key: str, operator: str, values: strArray },
          },
        },
      },
    },
  },
};

const applicationSetSpec: Schema = {
  type: 'object',
  required: ['generators', 'template'],
  additionalProperties: false,
  properties: {
    generators: { type: 'array', items: generator },
    goTemplate: bool,
    goTemplateOptions: strArray,
    syncPolicy: {
      type: 'object',
      additionalProperties: false,
      properties: { applicationsSync: str, preserveResourcesOnDeletion: bool },
    },
    strategy: obj,
    template: {
      type: 'object',
      required: ['metadata', 'spec'],
      additionalProperties: false,
      properties: { metadata, spec: applicationSpec },
    },
    templatePatch: str,
    preservedFields: obj,
    ignoreApplicationDifferences: { type: 'array', items: obj },
    applyNestedSelectors: bool,
  },
};

const groupKind: Schema = {
  type: 'object',
  required: ['group', 'kind'],
  additionalProperties: false,
  properties: { group: str, kind: str, name: str },
};

const appProjectSpec: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    description: str,
    sourceRepos: strArray,
    sourceNamespaces: strArray,
    destinations: { type: 'array', items: destination },
    clusterResourceWhitelist: { type: 'array', items: groupKind },
    clusterResourceBlacklist: { type: 'array', items: groupKind },
    namespaceResourceWhitelist: { type: 'array', items: groupKind },
    namespaceResourceBlacklist: { type: 'array', items: groupKind },
    destinationServiceAccounts: { type: 'array', items: obj },
    orphanedResources: obj,
    permitOnlyProjectScopedClusters: bool,
    roles: { type: 'array', items: obj },
    signatureKeys: { type: 'array', items: obj },
    sourceIntegrity: obj,
    syncWindows: { type: 'array', items: obj },
  },
};

/** Argo CD kinds the validator checks, with their schema subset. @internal */
export const ARGO_CD_SCHEMAS: Record<string, Schema> = {
  Application: topLevel(applicationSpec, { operation: obj }),
  ApplicationSet: topLevel(applicationSetSpec),
  AppProject: topLevel(appProjectSpec),
};
