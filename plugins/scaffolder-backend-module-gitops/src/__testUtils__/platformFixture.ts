import yaml from 'yaml';
import {
  CACHE_ENGINES,
  LEGACY_PLATFORM_GROUP,
  DATABASE_ENGINES,
  PLATFORM_GROUP,
  PLATFORM_OFFERINGS,
  PLATFORM_VERSION,
  PROVIDERS,
  SIZES,
  allDatabaseVersions,
} from '@epicshelter/plugin-gitops-common';

const region = { type: 'string' };

const KINDS: Record<
  string,
  { plural: string; parameters: Record<string, unknown>; required: string[] }
> = {
  Database: {
    plural: 'databases',
    parameters: {
      engine: { type: 'string', enum: [...DATABASE_ENGINES] },
      version: { type: 'string', enum: allDatabaseVersions() },
      size: { type: 'string', enum: [...SIZES] },
      region,
    },
    required: ['engine', 'version', 'size'],
  },
  Cache: {
    plural: 'caches',
    parameters: {
      engine: { type: 'string', enum: [...CACHE_ENGINES] },
      version: {
        type: 'string',
        enum: [...PLATFORM_OFFERINGS.cache.engines.redis.versions],
      },
      size: { type: 'string', enum: [...SIZES] },
      region,
    },
    required: ['engine', 'version', 'size'],
  },
  Bucket: {
    plural: 'buckets',
    parameters: { versioning: { type: 'boolean' }, region },
    required: [],
  },
};

/**
 * A small GitOps repository for tests: a v2 platform API (XRDs for Database,
 * Cache, Bucket and one Composition per provider) and a `web` app base.
 * The real blueprint lives in templates/gitops-repository.
 */
export function platformFixture(): Record<string, string> {
  const files: Record<string, string> = { 'README.md': '# GitOps\n' };
  for (const [kind, def] of Object.entries(KINDS)) {
    files[`platform/${def.plural}/definition.yaml`] = yaml.stringify({
      apiVersion: 'apiextensions.crossplane.io/v2',
      kind: 'CompositeResourceDefinition',
      metadata: { name: `${def.plural}.${PLATFORM_GROUP}` },
      spec: {
        group: PLATFORM_GROUP,
        scope: 'Namespaced',
        names: { kind, plural: def.plural },
        versions: [
          {
            name: PLATFORM_VERSION,
            served: true,
            referenceable: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      parameters: {
                        type: 'object',
                        properties: def.parameters,
                        required: def.required,
                      },
                    },
                    required: ['parameters'],
                  },
                },
              },
            },
          },
        ],
      },
    });
    files[`platform/${def.plural}/compositions.yaml`] = PROVIDERS.map(
      provider =>
        yaml.stringify({
          apiVersion: 'apiextensions.crossplane.io/v1',
          kind: 'Composition',
          metadata: {
            name: `${def.plural}-${provider}`,
            labels: { 'platform.epicshelter.io/provider': provider },
          },
          spec: {
            compositeTypeRef: {
              apiVersion: `${PLATFORM_GROUP}/${PLATFORM_VERSION}`,
              kind,
            },
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
            ],
          },
        }),
    ).join('---\n');
  }
  // v1 legacy claims: XRD of X<Kind> with claimNames <Kind>.
  for (const [kind, def] of Object.entries(KINDS)) {
    files[`platform/legacy/${def.plural}.yaml`] = [
      yaml.stringify({
        apiVersion: 'apiextensions.crossplane.io/v1',
        kind: 'CompositeResourceDefinition',
        metadata: { name: `x${def.plural}.${LEGACY_PLATFORM_GROUP}` },
        spec: {
          group: LEGACY_PLATFORM_GROUP,
          names: { kind: `X${kind}`, plural: `x${def.plural}` },
          claimNames: { kind, plural: def.plural },
          versions: [
            {
              name: PLATFORM_VERSION,
              served: true,
              referenceable: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: {
                        parameters: {
                          type: 'object',
                          properties: def.parameters,
                          required: def.required,
                        },
                      },
                      required: ['parameters'],
                    },
                  },
                },
              },
            },
          ],
        },
      }),
      ...PROVIDERS.map(provider =>
        yaml.stringify({
          apiVersion: 'apiextensions.crossplane.io/v1',
          kind: 'Composition',
          metadata: {
            name: `x${def.plural}-${provider}`,
            labels: { 'platform.epicshelter.io/provider': provider },
          },
          spec: {
            compositeTypeRef: {
              apiVersion: `${LEGACY_PLATFORM_GROUP}/${PLATFORM_VERSION}`,
              kind: `X${kind}`,
            },
            mode: 'Pipeline',
            pipeline: [
              {
                step: 'patch-and-transform',
                functionRef: { name: 'function-patch-and-transform' },
              },
            ],
          },
        }),
      ),
    ].join('---\n');
  }
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
