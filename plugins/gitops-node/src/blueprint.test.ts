import path from 'node:path';
import {
  parseRepositoryDocuments,
  renderPlatform,
  validateRepository,
  validateStructural,
  vendoredCrdRegistry,
} from '@epicshelter/plugin-gitops-common';
import { loadBlueprint } from './blueprint';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Validates objects against the CRDs vendored in plugins/gitops-common/crds (see provenance.json there). */
function againstVendoredCrds(objects: Array<{ where: string; value: Obj }>) {
  const crds = vendoredCrdRegistry();
  const problems: string[] = [];
  for (const { where, value } of objects) {
    const crd = crds.get(value.apiVersion, value.kind);
    if (!crd) {
      problems.push(`${where}: no CRD for ${value.apiVersion} ${value.kind}`);
      continue;
    }
    for (const i of validateStructural(value, crd.schema).issues)
      problems.push(`${where} ${i.path}: ${i.message}`);
  }
  return problems;
}

// Each test validates the whole platform: every Composition rendered for
// every parameter set. Seconds on a loaded CI machine, not milliseconds.
jest.setTimeout(60_000);

describe('the repository blueprint', () => {
  let files: Record<string, string>;
  beforeAll(async () => {
    files = await loadBlueprint(
      path.join(repoRoot, 'templates', 'gitops-repository'),
    );
  });

  it('validates', () => {
    expect(validateRepository(files).issues).toEqual([]);
  });

  it('holds exactly the rendered platform API (regenerate with `yarn gitops platform --out templates/gitops-repository`)', () => {
    const rendered = renderPlatform();
    const committed = Object.fromEntries(
      Object.entries(files).filter(([p]) => p.startsWith('platform/')),
    );
    expect(committed).toEqual(rendered);
  });

  it('has a Composition per kind and provider in pipeline mode, in both API styles', () => {
    const { documents } = parseRepositoryDocuments(files);
    const compositions = documents
      .map(d => d.value as Obj)
      .filter(v => v.kind === 'Composition');
    const keys = compositions.map(
      c =>
        `${c.spec.compositeTypeRef.apiVersion} ${c.spec.compositeTypeRef.kind} ${c.metadata.labels['platform.epicshelter.io/provider']}`,
    );
    for (const [group, prefix] of [
      ['platform.epicshelter.io', ''],
      ['legacy.platform.epicshelter.io', 'X'],
    ]) {
      for (const kind of ['Database', 'Bucket', 'Cache']) {
        for (const p of ['local', 'aws', 'gcp', 'azure'])
          expect(keys).toContain(`${group}/v1alpha1 ${prefix}${kind} ${p}`);
      }
      for (const p of ['aws', 'gcp', 'azure'])
        expect(keys).toContain(
          `${group}/v1alpha1 ${prefix}KubernetesCluster ${p}`,
        );
    }
    expect(compositions.every(c => c.spec.mode === 'Pipeline')).toBe(true);
  });

  it('keeps no secret values: provider credentials are Secret references', () => {
    const { documents } = parseRepositoryDocuments(files);
    const secrets = documents.filter(d => (d.value as Obj).kind === 'Secret');
    expect(secrets).toEqual([]);
    const credentials = documents
      .map(d => (d.value as Obj).spec?.credentials)
      .filter(Boolean);
    expect(credentials.length).toBeGreaterThan(0);
    const bad = credentials.filter(
      c =>
        c.source !== 'InjectedIdentity' &&
        !(
          c.source === 'Secret' &&
          Object.keys(c.secretRef).sort().join() === 'key,name,namespace'
        ),
    );
    expect(bad).toEqual([]);
  });

  describe('against the upstream CRDs vendored in plugins/gitops-common/crds', () => {
    const documentsOf = (select: (v: Obj) => boolean) =>
      parseRepositoryDocuments(files)
        .documents.filter(d => select(d.value as Obj))
        .map(d => ({ where: d.file, value: d.value as Obj }));

    it('XRDs, Compositions and EnvironmentConfigs validate against the Crossplane CRDs', () => {
      const objects = documentsOf(v =>
        String(v.apiVersion).startsWith('apiextensions.crossplane.io/'),
      );
      expect(againstVendoredCrds(objects)).toEqual([]);
      expect(objects.length).toBeGreaterThanOrEqual(8 + 30 + 1);
    });

    it('Argo CD objects validate against the Argo CD CRDs', () => {
      const objects = documentsOf(v =>
        String(v.apiVersion).startsWith('argoproj.io/'),
      );
      expect(againstVendoredCrds(objects)).toEqual([]);
      expect(objects.length).toBeGreaterThanOrEqual(4);
    });

    it('provider configurations validate against the provider CRDs', () => {
      const objects = documentsOf(
        v =>
          /(^|\.)(upbound\.io|crossplane\.io)\//.test(String(v.apiVersion)) &&
          String(v.kind).endsWith('ProviderConfig'),
      );
      expect(againstVendoredCrds(objects)).toEqual([]);
      expect(objects.length).toBeGreaterThanOrEqual(10);
    });

    it('Applications embedded in the KubernetesCluster compositions validate against the Argo CD CRD', () => {
      const embedded = parseRepositoryDocuments(files)
        .documents.filter(d => (d.value as Obj).kind === 'Composition')
        .flatMap(d =>
          ((d.value as Obj).spec.pipeline as Obj[]).flatMap(step =>
            ((step.input?.resources ?? []) as Obj[])
              .filter(
                r =>
                  r.base?.spec?.forProvider?.manifest?.kind === 'Application',
              )
              .map(r => ({
                where: `${d.file} ${r.name}`,
                value: r.base.spec.forProvider.manifest,
              })),
          ),
        );
      expect(againstVendoredCrds(embedded)).toEqual([]);
      expect(embedded.length).toBeGreaterThan(0);
    });
  });
});
