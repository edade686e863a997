import { vendoredCrdRegistry } from './crdRegistry';
import { validateStructural } from './structural';

const registry = vendoredCrdRegistry();

const check = (apiVersion: string, kind: string, obj: object) => {
  const crd = registry.get(apiVersion, kind);
  if (!crd) throw new Error(`no CRD for ${apiVersion} ${kind}`);
  return validateStructural(
    { apiVersion, kind, metadata: { name: 'x' }, ...obj },
    crd.schema,
  ).issues;
};

describe('validateStructural against vendored CRDs', () => {
  it('accepts a valid namespaced S3 bucket and applies defaults', () => {
    const crd = registry.get('s3.aws.m.upbound.io/v1beta1', 'Bucket')!;
    const { issues, value } = validateStructural(
      {
        apiVersion: 's3.aws.m.upbound.io/v1beta1',
        kind: 'Bucket',
        metadata: {},
        spec: { forProvider: { region: 'eu-west-1' } },
      },
      crd.schema,
    );
    expect(issues).toEqual([]);
    expect((value as any).spec.managementPolicies).toEqual(['*']);
  });

  it('reports upjet required parameters through their CEL rules', () => {
    const rds = { region: 'eu-west-1', engine: 'postgres' };
    expect(
      check('rds.aws.m.upbound.io/v1beta1', 'Instance', {
        spec: { forProvider: rds },
      }),
    ).toEqual([
      {
        path: 'spec',
        message: 'spec.forProvider.instanceClass is a required parameter',
        cel: true,
      },
    ]);
    // Observe-only: the rule does not apply.
    expect(
      check('rds.aws.m.upbound.io/v1beta1', 'Instance', {
        spec: { managementPolicies: ['Observe'], forProvider: rds },
      }),
    ).toEqual([]);
  });

  it('reports a one-element list where the schema has an object', () => {
    expect(
      check('eks.aws.m.upbound.io/v1beta1', 'Cluster', {
        spec: {
          forProvider: {
            region: 'eu-west-1',
            vpcConfig: [{ endpointPublicAccess: true }],
          },
        },
      }),
    ).toContainEqual({
      path: 'spec.forProvider.vpcConfig',
      message: 'must be of type object, got array',
    });
  });

  it('reports unknown fields, wrong scalar types and enum violations', () => {
    const issues = check(
      'elasticache.aws.m.upbound.io/v1beta1',
      'ReplicationGroup',
      {
        spec: {
          forProvider: {
            region: 'eu-west-1',
            description: 'd',
            atRestEncryptionEnabled: true,
            bogus: 1,
          },
          providerConfigRef: { kind: 'Nope', name: 'default' },
        },
      },
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          path: 'spec.forProvider.atRestEncryptionEnabled',
          message: 'must be of type string, got boolean',
        },
        { path: 'spec.forProvider.bogus', message: 'unknown field "bogus"' },
      ]),
    );
  });

  it('drops null in non-nullable fields and keeps preserve-unknown-fields subtrees', () => {
    expect(
      check('kubernetes.m.crossplane.io/v1alpha1', 'Object', {
        spec: {
          forProvider: { manifest: { anything: { goes: [1] } } },
          readiness: null,
        },
      }),
    ).toEqual([]);
  });

  it('evaluates string functions of the Kubernetes CEL library (lowerAscii)', () => {
    const issues = check(
      'apiextensions.crossplane.io/v2',
      'CompositeResourceDefinition',
      {
        spec: {
          group: 'x.example.org',
          names: { kind: 'Thing', plural: 'Things' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, referenceable: true }],
        },
      },
    );
    expect(issues).toContainEqual({
      path: 'spec.names',
      message: 'Plural name must be lowercase',
      cel: true,
    });
  });

  it('reports a CEL rule the evaluator cannot compile instead of skipping it, and skips transition rules on create', () => {
    const schema = {
      type: 'object' as const,
      properties: { size: { type: 'string' as const } },
      'x-kubernetes-validations': [
        { rule: 'isQuantity(self.size)', message: 'size must be a quantity' },
        { rule: 'self == oldSelf', message: 'immutable' },
        {
          rule: "self.size != ''",
          messageExpression: "'size of ' + self.size + ' is empty'",
        },
      ],
    };
    const { issues } = validateStructural({ size: '' }, schema);
    expect(issues.map(i => i.message)).toEqual([
      expect.stringMatching(
        /^CEL rule "isQuantity\(self.size\)" (does not compile|cannot be evaluated): /,
      ),
      'size of  is empty',
    ]);
  });
});
