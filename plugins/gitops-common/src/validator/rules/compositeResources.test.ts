import { toYaml } from '../../yaml';
import { validateRepository } from '../validateRepository';

/** A tiny platform: an XRD with a free-text tier and a Composition that maps known tiers only. */
const xrd = {
  apiVersion: 'apiextensions.crossplane.io/v2',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'stores.example.org' },
  spec: {
    group: 'example.org',
    scope: 'Namespaced',
    names: { kind: 'Store', plural: 'stores' },
    versions: [
      {
        name: 'v1',
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
                    properties: { tier: { type: 'string' } },
                    'x-kubernetes-validations': [
                      {
                        rule: "self.tier != 'bronze'",
                        message: 'bronze is retired',
                      },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const composition = {
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  metadata: { name: 'store-aws', labels: { provider: 'aws' } },
  spec: {
    compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'Store' },
    mode: 'Pipeline',
    pipeline: [
      {
        step: 'compose',
        functionRef: { name: 'function-patch-and-transform' },
        input: {
          apiVersion: 'pt.fn.crossplane.io/v1beta1',
          kind: 'Resources',
          resources: [
            {
              name: 'cache',
              base: {
                apiVersion: 'elasticache.aws.m.upbound.io/v1beta1',
                kind: 'ReplicationGroup',
                spec: {
                  forProvider: {
                    region: 'eu-west-1',
                    description: 'd',
                    nodeType: 'cache.t4g.micro',
                  },
                  providerConfigRef: {
                    kind: 'ClusterProviderConfig',
                    name: 'default',
                  },
                },
              },
              patches: [
                {
                  type: 'FromCompositeFieldPath',
                  fromFieldPath: 'spec.parameters.tier',
                  toFieldPath: 'spec.forProvider.nodeType',
                  transforms: [
                    {
                      type: 'map',
                      map: {
                        gold: 'cache.r6g.large',
                        sample: 'cache.t4g.micro',
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      },
    ],
  },
};

const providers = {
  apiVersion: 'pkg.crossplane.io/v1',
  kind: 'Provider',
  metadata: { name: 'provider-aws-elasticache' },
  spec: { package: 'xpkg.upbound.io/upbound/provider-aws-elasticache:v2.0.0' },
};

const store = (tier: string) => ({
  apiVersion: 'example.org/v1',
  kind: 'Store',
  metadata: { name: `store-${tier}`, namespace: 'dev' },
  spec: {
    crossplane: { compositionSelector: { matchLabels: { provider: 'aws' } } },
    parameters: { tier },
  },
});

const tree = (tier: string) => ({
  'platform/xrd.yaml': toYaml(xrd),
  'platform/composition.yaml': toYaml(composition),
  'platform/providers.yaml': toYaml(providers),
  'platform/kustomization.yaml': toYaml({
    resources: ['xrd.yaml', 'composition.yaml', 'providers.yaml'],
  }),
  'environments/dev/store.yaml': toYaml(store(tier)),
  'environments/dev/kustomization.yaml': toYaml({ resources: ['store.yaml'] }),
});

describe('composite-resources rule', () => {
  it('renders each XR of the tree with its own values: a value the Composition cannot map is reported on the XR', () => {
    expect(validateRepository(tree('gold')).issues).toEqual([]);
    expect(validateRepository(tree('silver')).issues).toEqual([
      {
        file: 'environments/dev/store.yaml',
        documentIndex: 0,
        path: '$.spec.parameters',
        message:
          'Composition "store-aws" resource "cache" field spec.forProvider.nodeType: function-patch-and-transform fails the whole composite resource: cannot apply the "FromCompositeFieldPath" patch at index 0: key silver is not found in map',
      },
    ]);
  });

  it('renders an XR as a kustomize overlay patches it and reports it on the overlay', () => {
    const files = {
      ...tree('gold'),
      'environments/dev/overlay/kustomization.yaml': toYaml({
        resources: ['..'],
        patches: [{ path: 'tier.yaml' }],
      }),
      'environments/dev/overlay/tier.yaml': toYaml({
        apiVersion: 'example.org/v1',
        kind: 'Store',
        metadata: { name: 'store-gold', namespace: 'dev' },
        spec: { parameters: { tier: 'silver' } },
      }),
    };
    expect(validateRepository(files).issues).toEqual([
      {
        file: 'environments/dev/overlay/kustomization.yaml',
        documentIndex: 0,
        path: '$.patches',
        message:
          'Store "store-gold" as this overlay builds it (from environments/dev/store.yaml): Composition "store-aws" resource "cache" field spec.forProvider.nodeType: function-patch-and-transform fails the whole composite resource: cannot apply the "FromCompositeFieldPath" patch at index 0: key silver is not found in map',
      },
    ]);
  });

  it('reports the CEL rules of the XRD on an XR (the built-in XR check does not evaluate CEL)', () => {
    expect(validateRepository(tree('bronze')).issues).toEqual([
      {
        file: 'environments/dev/store.yaml',
        documentIndex: 0,
        path: '$.spec.parameters',
        message:
          'Store field spec.parameters: bronze is retired (rule of the XRD)',
      },
    ]);
  });
});
