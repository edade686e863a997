import { parseAllDocuments } from 'yaml';
import { renderPlatform } from '../../platform';
import { toYaml } from '../../yaml';
import {
  validateRepository,
  type ValidationIssue,
} from '../validateRepository';

/**
 * Mutation tests: each known defect class, put back into the rendered
 * platform, makes the validator fail with a message that names the file,
 * the composed resource and the field. The unmutated platform is clean.
 */
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const platform = renderPlatform();

function docs(files: Record<string, string>, file: string): Obj[] {
  return parseAllDocuments(files[file]).map(d => d.toJS() as Obj);
}

/** The file of the v2 (namespaced) or v1 Composition of a kind and provider whose resources include `resource`. */
function compositionFile(
  kind: string,
  provider: string,
  resource: string,
  style: 'v2' | 'v1' = 'v2',
): string {
  const file = Object.keys(platform).find(f => {
    if (!/\/(legacy-)?composition/.test(f) || f.includes('observe'))
      return false;
    const [c] = docs(platform, f);
    return (
      c?.kind === 'Composition' &&
      c.spec.compositeTypeRef.kind === (style === 'v2' ? kind : `X${kind}`) &&
      c.spec.compositeTypeRef.apiVersion.startsWith(
        style === 'v2' ? 'platform.' : 'legacy.',
      ) &&
      c.metadata.labels['platform.epicshelter.io/provider'] === provider &&
      c.spec.pipeline.some((s: Obj) =>
        s.input?.resources?.some((r: Obj) => r.name === resource),
      )
    );
  });
  if (!file)
    throw new Error(
      `no ${style} ${kind} composition for ${provider} with resource ${resource}`,
    );
  return file;
}

/** Applies a change to one composed resource template of a composition file. */
function mutate(
  file: string,
  resource: string,
  change: (template: Obj) => void,
): Record<string, string> {
  const [composition] = docs(platform, file);
  const template = composition.spec.pipeline
    .flatMap((s: Obj) => s.input?.resources ?? [])
    .find((r: Obj) => r.name === resource);
  change(template);
  return { ...platform, [file]: toYaml(composition) };
}

const patchTo = (template: Obj, toFieldPath: string) => {
  const p = template.patches.find((x: Obj) => x.toFieldPath === toFieldPath);
  if (!p) throw new Error(`no patch to ${toFieldPath}`);
  return p;
};

/** The issue of a file that names every part, or an error listing what was found. */
function issueNaming(
  issues: ValidationIssue[],
  file: string,
  ...parts: string[]
) {
  const hit = issues.find(
    i =>
      i.file === file &&
      parts.every(p => i.message.includes(p) || i.path.includes(p)),
  );
  if (!hit) {
    throw new Error(
      `expected an issue in ${file} naming ${parts.join(' + ')}; got:\n${issues
        .map(i => `${i.file} ${i.path}: ${i.message}`)
        .join('\n')}`,
    );
  }
  return hit;
}

// Each test validates the whole platform: every Composition rendered for
// every parameter set. Seconds on a loaded CI machine, not milliseconds.
jest.setTimeout(60_000);

describe('validator mutation tests', () => {
  it('passes the rendered platform unchanged', () => {
    expect(validateRepository(platform).issues).toEqual([]);
  });

  it('checks a resource that waits for the XR status (the AWS bootstrap network) as on a later reconcile', () => {
    const file = compositionFile('KubernetesCluster', 'aws', 'vpc');
    const files = mutate(file, 'vpc', t => {
      expect(t.patches).toContainEqual(
        expect.objectContaining({
          fromFieldPath: 'status.bootstrap.rolesCreatedAt',
          policy: { fromFieldPath: 'Required' },
        }),
      );
      t.base.spec.forProvider.cidrBlock = 16;
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "vpc"',
        'field spec.forProvider.cidrBlock',
        'must be of type string',
      ),
    ).toBeDefined();
  });

  it('reports a one-element list where the namespaced schema has an object (EKS vpcConfig)', () => {
    const file = compositionFile('KubernetesCluster', 'aws', 'cluster');
    const files = mutate(file, 'cluster', t => {
      t.base.spec.forProvider.vpcConfig = [t.base.spec.forProvider.vpcConfig];
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "cluster"',
        'field spec.forProvider.vpcConfig',
        'must be of type object, got array',
      ),
    ).toBeDefined();
  });

  it('reports a list index into an object in a toFieldPath (GKE nodeConfig[0])', () => {
    const file = compositionFile('KubernetesCluster', 'gcp', 'node-pool');
    const files = mutate(file, 'node-pool', t => {
      patchTo(t, 'spec.forProvider.nodeConfig.machineType').toFieldPath =
        'spec.forProvider.nodeConfig[0].machineType';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "node-pool"',
        'toFieldPath spec.forProvider.nodeConfig[0].machineType',
        'not a list',
      ),
    ).toBeDefined();
  });

  it('reports a boolean sent through a map transform: function-patch-and-transform fails the XR', () => {
    const file = compositionFile('Bucket', 'aws', 'versioning');
    const files = mutate(file, 'versioning', t => {
      const p = patchTo(t, 'spec.forProvider.versioningConfiguration.status');
      p.transforms = p.transforms.filter((x: Obj) => x.type === 'map');
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "versioning"',
        'field spec.forProvider.versioningConfiguration.status',
        'type bool is not supported for map transform',
      ),
    ).toBeDefined();
  });

  it('reports a wrong scalar type (ElastiCache atRestEncryptionEnabled as a boolean)', () => {
    const file = compositionFile('Cache', 'aws', 'replication-group');
    const files = mutate(file, 'replication-group', t => {
      t.base.spec.forProvider.atRestEncryptionEnabled = true;
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "replication-group"',
        'field spec.forProvider.atRestEncryptionEnabled',
        'must be of type string',
      ),
    ).toBeDefined();
  });

  it('reports an unknown field for the engine the patch switches to (Azure MySQL autoGeneratePassword)', () => {
    const file = compositionFile('Database', 'azure', 'server');
    // The MySQL kind picked by an engine patch, as before PostgreSQL-only.
    const files = mutate(file, 'server', t => {
      t.patches.push({
        type: 'FromCompositeFieldPath',
        fromFieldPath: 'spec.parameters.engine',
        toFieldPath: 'apiVersion',
        transforms: [
          {
            type: 'map',
            map: { postgres: 'dbformysql.azure.m.upbound.io/v1beta1' },
          },
        ],
      });
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "server"',
        'dbformysql',
        'unknown field "autoGeneratePassword"',
      ),
    ).toBeDefined();
  });

  it('reports a password Secret nothing produces (Azure flexible server without autoGeneratePassword)', () => {
    const file = compositionFile('Database', 'azure', 'server');
    const files = mutate(file, 'server', t => {
      delete t.base.spec.forProvider.autoGeneratePassword;
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "server"',
        'field spec.forProvider.administratorPasswordSecretRef',
        'which nothing produces',
      ),
    ).toBeDefined();
  });

  it('reports forProvider.namespace on a namespaced helm Release', () => {
    const file = compositionFile('Cache', 'local', 'release');
    const files = mutate(file, 'release', t => {
      t.base.spec.forProvider.namespace = 'redis';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "release"',
        'field spec.forProvider.namespace',
        'unknown field "namespace"',
      ),
    ).toBeDefined();
  });

  it('reports a Format transform without %s (Go fmt EXTRA)', () => {
    const file = compositionFile('Database', 'aws', 'instance');
    const files = mutate(file, 'instance', t => {
      const p = patchTo(t, 'spec.forProvider.passwordSecretRef.name');
      p.transforms[0].string.fmt = 'database-password';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance"',
        'field spec.forProvider.passwordSecretRef.name',
        '%!(EXTRA string=',
      ),
    ).toBeDefined();
  });

  it('reports a CEL required-parameter rule (RDS instanceClass never set)', () => {
    const file = compositionFile('Database', 'aws', 'instance');
    const files = mutate(file, 'instance', t => {
      t.patches = t.patches.filter(
        (x: Obj) => x.toFieldPath !== 'spec.forProvider.instanceClass',
      );
      delete t.base.spec.forProvider.instanceClass;
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance"',
        'spec.forProvider.instanceClass is a required parameter',
      ),
    ).toBeDefined();
  });

  it('reports a reference selector that nothing composed or in the repository satisfies', () => {
    const file = compositionFile('KubernetesCluster', 'aws', 'node-group');
    const files = mutate(file, 'node-group', t => {
      t.base.spec.forProvider.subnetIdSelector = {
        matchLabels: { 'platform.epicshelter.io/network': 'default' },
      };
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "node-group"',
        'field spec.forProvider.subnetIdSelector',
        'nothing in the composition or the repository',
      ),
    ).toBeDefined();
  });

  it('reports a composed kind no installed provider serves', () => {
    const file = compositionFile('KubernetesCluster', 'aws', 'vpc');
    const providers = docs(platform, 'platform/providers.yaml').filter(
      p => p.metadata.name !== 'provider-aws-ec2',
    );
    const files = {
      ...platform,
      'platform/providers.yaml': providers.map(p => toYaml(p)).join('---\n'),
    };
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "vpc"',
        'field apiVersion',
        'no installed Crossplane Provider serves ec2.aws.m.upbound.io',
      ),
    ).toBeDefined();
  });

  it('reports a connection detail reading a key the chart Secret does not have (local MySQL password)', () => {
    const file = compositionFile('Database', 'local', 'release');
    const files = mutate(file, 'release', t => {
      t.patches = t.patches.filter(
        (x: Obj) => x.toFieldPath !== 'spec.connectionDetails[0].fieldPath',
      );
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "release"',
        'field spec.connectionDetails[0].fieldPath',
        'chart mysql 14.0.3',
      ),
    ).toBeDefined();
  });

  it('reports a connection detail key the managed resource does not write', () => {
    const file = compositionFile('Database', 'aws', 'instance', 'v1');
    const files = mutate(file, 'instance', t => {
      t.connectionDetails[0].fromConnectionSecretKey = 'attribute.username';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance"',
        'connectionDetails[0].fromConnectionSecretKey',
        '"attribute.username"',
      ),
    ).toBeDefined();
  });

  it('reports a connection detail reading a non-sensitive attribute upjet never writes (ElastiCache endpoint)', () => {
    const file = compositionFile('Cache', 'aws', 'replication-group', 'v1');
    const files = mutate(file, 'replication-group', t => {
      t.connectionDetails[0].fromConnectionSecretKey =
        'attribute.primary_endpoint_address';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "replication-group"',
        'connectionDetails[0].fromConnectionSecretKey',
        '"attribute.primary_endpoint_address"',
      ),
    ).toBeDefined();
  });

  it('reports Composition connectionDetails for a namespaced (v2) XR: Crossplane v2 ignores them', () => {
    const file = compositionFile('Database', 'aws', 'instance');
    const files = mutate(file, 'instance', t => {
      t.connectionDetails = [
        {
          name: 'password',
          type: 'FromConnectionSecretKey',
          fromConnectionSecretKey: 'attribute.password',
        },
      ];
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance"',
        'field connectionDetails',
        'Crossplane v2 ignores',
      ),
    ).toBeDefined();
  });

  it('reports a v2 connection Secret copying a key the managed resource does not write (ElastiCache endpoint)', () => {
    const file = compositionFile(
      'Cache',
      'aws',
      'replication-group-connection-secret',
    );
    const files = mutate(file, 'replication-group-connection-secret', t => {
      t.base.spec.references[0].patchesFrom.fieldPath =
        'data[attribute.primary_endpoint_address]';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "replication-group-connection-secret"',
        'field spec.references[0].patchesFrom.fieldPath',
        'is not a key of the connection secret of resource "replication-group"',
      ),
    ).toBeDefined();
  });

  it('reports a v2 connection Secret copying from a Secret nothing in the composition writes', () => {
    const file = compositionFile(
      'Database',
      'gcp',
      'instance-connection-secret',
    );
    const files = mutate(file, 'instance-connection-secret', t => {
      t.patches.find(
        (p: Obj) => p.toFieldPath === 'spec.references[0].patchesFrom.name',
      ).transforms[0].string.fmt = '%s-connection';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance-connection-secret"',
        'field spec.references[0].patchesFrom',
        'which no resource of the composition writes',
      ),
    ).toBeDefined();
  });

  it('reports a ProviderConfig reading a key the cluster connection secret does not have', () => {
    const file = compositionFile(
      'KubernetesCluster',
      'azure',
      'kubernetes-provider-config',
    );
    const files = mutate(file, 'kubernetes-provider-config', t => {
      t.base.spec.credentials.secretRef.key = 'kube_config';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "kubernetes-provider-config"',
        'field spec.credentials.secretRef.key',
        'no key "kube_config"',
      ),
    ).toBeDefined();
  });

  it('reports a Cloud SQL instance with neither a public nor a private IP', () => {
    const file = compositionFile('Database', 'gcp', 'instance');
    const files = mutate(file, 'instance', t => {
      t.base.spec.forProvider.settings.ipConfiguration = { ipv4Enabled: false };
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance"',
        'field spec.forProvider.settings.ipConfiguration',
        'neither a public nor a private IP',
      ),
    ).toBeDefined();
  });

  it('reports EKS subnets in zones named <region>a/<region>b (not in every account)', () => {
    const file = compositionFile('KubernetesCluster', 'aws', 'subnet-b');
    const files = mutate(file, 'subnet-b', t => {
      delete t.base.spec.forProvider.availabilityZoneId;
      t.base.spec.forProvider.availabilityZone = '';
      const p = patchTo(t, 'spec.forProvider.availabilityZoneId');
      p.toFieldPath = 'spec.forProvider.availabilityZone';
      p.transforms = [
        { type: 'string', string: { type: 'Format', fmt: '%sb' } },
      ];
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "subnet-b"',
        'field spec.forProvider.availabilityZone',
        'zone name "us-west-1b"',
      ),
    ).toBeDefined();
  });

  it('reports an EKS zone ID that is not one of the region', () => {
    const file = compositionFile('KubernetesCluster', 'aws', 'subnet-a');
    const files = mutate(file, 'subnet-a', t => {
      patchTo(t, 'spec.forProvider.availabilityZoneId').transforms[0].map[
        'us-east-1'
      ] = 'use1-az3';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "subnet-a"',
        'field spec.forProvider.availabilityZoneId',
        '"use1-az3" is not an EKS zone ID of region "us-east-1"',
      ),
    ).toBeDefined();
  });

  it('reports a ProviderConfig that reads a GKE kubeconfig without an identity (no client certificates)', () => {
    const file = compositionFile(
      'KubernetesCluster',
      'gcp',
      'helm-provider-config',
    );
    const files = mutate(file, 'helm-provider-config', t => {
      delete t.base.spec.identity;
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "helm-provider-config"',
        'field spec.identity',
        'no client certificate',
      ),
    ).toBeDefined();
  });

  it('reports a fromFieldPath the XRD does not define', () => {
    const file = compositionFile('Database', 'aws', 'instance');
    const files = mutate(file, 'instance', t => {
      patchTo(t, 'spec.forProvider.instanceClass').fromFieldPath =
        'spec.parameters.sise';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "instance"',
        'fromFieldPath spec.parameters.sise',
        'does not exist in the schema',
      ),
    ).toBeDefined();
  });

  it('reports a ToCompositeFieldPath patch into a status field the XRD does not define', () => {
    const file = compositionFile('Bucket', 'gcp', 'bucket');
    const files = mutate(file, 'bucket', t => {
      t.patches.push({
        type: 'ToCompositeFieldPath',
        fromFieldPath: 'status.atProvider.url',
        toFieldPath: 'status.url',
      });
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "bucket"',
        'status.url is not in the schema of the composite resource',
      ),
    ).toBeDefined();
  });

  it('reports a composed kind without a CRD', () => {
    const file = compositionFile('Bucket', 'gcp', 'bucket');
    const files = mutate(file, 'bucket', t => {
      t.base.apiVersion = 'storage.gcp.m.upbound.io/v1beta2';
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "bucket"',
        'no CRD serves storage.gcp.m.upbound.io/v1beta2 Bucket',
      ),
    ).toBeDefined();
  });

  it('reports a function input that its own CRD rejects (patch-and-transform policy enum)', () => {
    const file = compositionFile('Bucket', 'gcp', 'bucket');
    const files = mutate(file, 'bucket', t => {
      t.patches[0].policy = { fromFieldPath: 'Mandatory' };
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'pt.fn.crossplane.io/v1beta1 Resources',
        'policy.fromFieldPath',
        'unsupported value "Mandatory"',
      ),
    ).toBeDefined();
  });

  it('reports a Required fromFieldPath policy with the field unset: the XR fails', () => {
    const file = compositionFile('Bucket', 'gcp', 'bucket');
    const files = mutate(file, 'bucket', t => {
      t.patches.push({
        type: 'FromCompositeFieldPath',
        fromFieldPath: 'metadata.labels[team]',
        toFieldPath: 'metadata.labels[team]',
        policy: { fromFieldPath: 'Required' },
      });
    });
    expect(
      issueNaming(
        validateRepository(files).issues,
        file,
        'resource "bucket"',
        'field metadata.labels[team]',
        'required field metadata.labels[team] is not set',
      ),
    ).toBeDefined();
  });
});
