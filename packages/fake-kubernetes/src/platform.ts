import type { KubeObject } from './types';

/** API group of the Epicshelter platform XRs (Crossplane v2, namespaced). @public */
export const PLATFORM_GROUP = 'platform.epicshelter.io';
/** API group used here for Crossplane v1 legacy claims. @public */
export const LEGACY_GROUP = 'legacy.platform.epicshelter.io';

const parameters = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        parameters: { type: 'object', properties: props, required },
      },
      required: ['parameters'],
    },
    status: {
      type: 'object',
      properties: { endpoint: { type: 'string' } },
    },
  },
});

const size = { type: 'string', enum: ['small', 'medium', 'large'] };
const region = { type: 'string' };

const SCHEMAS: Record<string, { plural: string; schema: object }> = {
  Database: {
    plural: 'databases',
    schema: parameters(
      {
        engine: { type: 'string', enum: ['postgres', 'mysql'] },
        version: { type: 'string' },
        size,
        region,
      },
      ['engine', 'size'],
    ),
  },
  Bucket: {
    plural: 'buckets',
    schema: parameters(
      { versioning: { type: 'boolean' }, region },
      [],
    ),
  },
  Cache: {
    plural: 'caches',
    schema: parameters(
      { engine: { type: 'string', enum: ['redis'] }, size, region },
      ['engine'],
    ),
  },
  KubernetesCluster: {
    plural: 'kubernetesclusters',
    schema: parameters(
      {
        version: { type: 'string' },
        nodeSize: size,
        nodeCount: { type: 'integer', minimum: 1 },
        region,
      },
      ['nodeCount'],
    ),
  },
  Network: {
    plural: 'networks',
    schema: parameters({ cidr: { type: 'string' }, region }, ['cidr']),
  },
};

/** The namespaced (v2) platform XRDs: Database, Bucket, Cache, KubernetesCluster, Network. @public */
export function platformXrds(): KubeObject[] {
  return Object.entries(SCHEMAS).map(([kind, { plural, schema }]) => ({
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: {
      name: `${plural}.${PLATFORM_GROUP}`,
      labels: { 'app.kubernetes.io/part-of': 'epicshelter' },
    },
    spec: {
      scope: 'Namespaced',
      group: PLATFORM_GROUP,
      names: { kind, plural },
      defaultCompositionUpdatePolicy: 'Automatic',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          referenceable: true,
          schema: { openAPIV3Schema: schema },
        },
      ],
    },
  }));
}

/** The legacy (v1) XRD `xdatabases.legacy.platform.epicshelter.io` with claim kind Database. @public */
export function legacyXrds(): KubeObject[] {
  return [
    {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'CompositeResourceDefinition',
      metadata: { name: `xdatabases.${LEGACY_GROUP}` },
      spec: {
        group: LEGACY_GROUP,
        names: { kind: 'XDatabase', plural: 'xdatabases' },
        claimNames: { kind: 'Database', plural: 'databases' },
        connectionSecretKeys: ['username', 'password', 'endpoint', 'port'],
        versions: [
          {
            name: 'v1alpha1',
            served: true,
            referenceable: true,
            schema: { openAPIV3Schema: SCHEMAS.Database.schema },
          },
        ],
      },
    },
  ];
}

/** A Pipeline Composition for an XR kind and provider. @public */
export function composition(
  group: string,
  kind: string,
  provider: string,
  version = 'v1alpha1',
): KubeObject {
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: {
      name: `${kind.toLowerCase()}-${provider}`,
      labels: { 'platform.epicshelter.io/provider': provider },
    },
    spec: {
      compositeTypeRef: { apiVersion: `${group}/${version}`, kind },
      mode: 'Pipeline',
      pipeline: [
        {
          step: 'patch-and-transform',
          functionRef: { name: 'function-patch-and-transform' },
          input: {
            apiVersion: 'pt.fn.crossplane.io/v1beta1',
            kind: 'Resources',
            resources: [],
          },
        },
        {
          step: 'automatically-detect-readiness',
          functionRef: { name: 'function-auto-ready' },
        },
      ],
    },
  };
}
