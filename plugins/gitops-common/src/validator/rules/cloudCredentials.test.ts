import { parseAllDocuments } from 'yaml';
import { renderPlatform } from '../../platform';
import { toYaml } from '../../yaml';
import { validateRepository } from '../validateRepository';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const platform = renderPlatform();
const BOOTSTRAP = {
  awsV2: 'platform/apis/kubernetes-cluster/composition-aws-bootstrap.yaml',
  gcpV1:
    'platform/apis/kubernetes-cluster/legacy-composition-gcp-bootstrap.yaml',
};
const PROVIDER_CONFIGS = 'platform/provider-configs.yaml';

const docsOf = (files: Record<string, string>, file: string): Obj[] =>
  parseAllDocuments(files[file]).map(d => d.toJS() as Obj);

/** The platform with one composed resource of a Composition changed (or removed when change returns false). */
function withTemplate(
  file: string,
  resource: string,
  change: (template: Obj) => void | false,
): Record<string, string> {
  const [composition] = docsOf(platform, file);
  for (const step of composition.spec.pipeline) {
    const list: Obj[] = step.input?.resources ?? [];
    const i = list.findIndex(r => r.name === resource);
    if (i < 0) continue;
    if (change(list[i]) === false) list.splice(i, 1);
    return { ...platform, [file]: toYaml(composition) };
  }
  throw new Error(`${file} has no resource ${resource}`);
}

const credentialIssues = (files: Record<string, string>) =>
  validateRepository(files).issues.filter(i => /credentials/.test(i.message));

jest.setTimeout(60_000);

describe('cloud-credentials rule', () => {
  it('passes the rendered platform: every bootstrap copies the credentials its provider reads', () => {
    expect(credentialIssues(platform)).toEqual([]);
    for (const provider of ['aws', 'gcp', 'azure']) {
      for (const prefix of ['', 'legacy-']) {
        const [c] = docsOf(
          platform,
          `platform/apis/kubernetes-cluster/${prefix}composition-${provider}-bootstrap.yaml`,
        );
        const copy = c.spec.pipeline
          .flatMap((s: Obj) => s.input?.resources ?? [])
          .find((r: Obj) => r.name === 'cloud-credentials');
        expect(copy.base.spec.forProvider.manifest.metadata).toMatchObject({
          name: `${provider}-credentials`,
          namespace: 'crossplane-system',
        });
        // Created once, never updated or deleted by the bootstrap.
        expect(copy.base.spec.managementPolicies).toEqual([
          'Observe',
          'Create',
        ]);
      }
    }
  });

  it('fails a bootstrap that does not copy the credentials, naming the file, the Composition and the Secret', () => {
    const files = withTemplate(
      BOOTSTRAP.awsV2,
      'cloud-credentials',
      () => false,
    );
    const issues = credentialIssues(files);
    expect(issues).toEqual([
      expect.objectContaining({
        file: BOOTSTRAP.awsV2,
        path: '$.spec.pipeline[1].input.resources',
        message: expect.stringMatching(
          /"kubernetes-cluster-aws-bootstrap" bootstraps aws cloud clusters but does not copy Secret crossplane-system\/aws-credentials \(key "credentials"\), which ClusterProviderConfig default \(platform\/provider-configs\.yaml\) reads/,
        ),
      }),
    ]);
  });

  it('fails a copy of another key than the one the ProviderConfigs read (legacy Composition)', () => {
    const files = withTemplate(BOOTSTRAP.gcpV1, 'cloud-credentials', t => {
      t.base.spec.references[0].patchesFrom.fieldPath = 'data[token]';
    });
    expect(credentialIssues(files)).toEqual([
      expect.objectContaining({
        file: BOOTSTRAP.gcpV1,
        message: expect.stringContaining(
          'does not copy Secret crossplane-system/gcp-credentials (key "credentials")',
        ),
      }),
    ]);
  });

  it('fails a copy that stays in this cluster (providerConfigRef not the new cluster)', () => {
    const files = withTemplate(BOOTSTRAP.awsV2, 'cloud-credentials', t => {
      t.patches = t.patches.filter(
        (p: Obj) => p.toFieldPath !== 'spec.providerConfigRef.name',
      );
      t.base.spec.providerConfigRef = {
        kind: 'ProviderConfig',
        name: 'in-cluster',
      };
    });
    expect(credentialIssues(files)).toEqual([
      expect.objectContaining({
        file: BOOTSTRAP.awsV2,
        path: expect.stringMatching(
          /^\$\.spec\.pipeline\[1\]\.input\.resources\[\d+\]\.base\.spec\.providerConfigRef$/,
        ),
        message: expect.stringContaining(
          'resource "cloud-credentials" copies Secret crossplane-system/aws-credentials',
        ),
      }),
    ]);
  });

  it('needs no copy when the ProviderConfigs use a workload identity', () => {
    const configs = docsOf(platform, PROVIDER_CONFIGS).map(pc =>
      /^aws\./.test(pc.apiVersion)
        ? { ...pc, spec: { credentials: { source: 'IRSA' } } }
        : pc,
    );
    let files = {
      ...platform,
      [PROVIDER_CONFIGS]: configs.map(c => toYaml(c)).join('---\n'),
    };
    for (const file of [
      BOOTSTRAP.awsV2,
      'platform/apis/kubernetes-cluster/legacy-composition-aws-bootstrap.yaml',
    ]) {
      const [composition] = docsOf(files, file);
      for (const step of composition.spec.pipeline) {
        if (step.input?.resources)
          step.input.resources = step.input.resources.filter(
            (r: Obj) => r.name !== 'cloud-credentials',
          );
      }
      files = { ...files, [file]: toYaml(composition) };
    }
    expect(credentialIssues(files)).toEqual([]);
  });
});
