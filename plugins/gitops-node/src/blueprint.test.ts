import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import {
  kubernetesSchemaToJsonSchema,
  parseRepositoryDocuments,
  renderPlatform,
  validateRepository,
} from '@epicshelter/plugin-gitops-common';
import { loadBlueprint } from './blueprint';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const reference = path.resolve(repoRoot, '..', 'shared', 'reference');

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Loads a CRD file's served versions as strict JSON-schema validators, keyed `group/version|kind`. */
function crdValidators(file: string) {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    validateFormats: false,
  });
  const out = new Map<string, ReturnType<Ajv['compile']>>();
  for (const doc of parseAllDocuments(
    readFileSync(file, 'utf8'),
  ) as unknown as Array<{ toJS(): Obj }>) {
    const crd = doc.toJS();
    for (const v of crd.spec.versions) {
      const schema = kubernetesSchemaToJsonSchema(v.schema.openAPIV3Schema);
      // metadata is validated by the API server, not the CRD schema.
      (schema.properties as Obj).metadata = { type: 'object' };
      (schema.properties as Obj).apiVersion = { type: 'string' };
      (schema.properties as Obj).kind = { type: 'string' };
      out.set(
        `${crd.spec.group}/${v.name}|${crd.spec.names.kind}`,
        ajv.compile(schema),
      );
    }
  }
  return out;
}

const describeWithReference = existsSync(reference) ? describe : describe.skip;

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

  describeWithReference(
    'against the upstream CRDs in ../shared/reference',
    () => {
      const check = (
        dir: string,
        filesOfCrds: string[],
        select: (v: Obj) => boolean,
      ) => {
        const validators = new Map(
          filesOfCrds.flatMap(f => [
            ...crdValidators(path.join(reference, dir, f)),
          ]),
        );
        const { documents } = parseRepositoryDocuments(files);
        const checked: string[] = [];
        const problems: string[] = [];
        for (const d of documents) {
          const v = d.value as Obj;
          if (!select(v)) continue;
          const validate = validators.get(`${v.apiVersion}|${v.kind}`);
          if (!validate) {
            problems.push(`${d.file}: no CRD for ${v.apiVersion} ${v.kind}`);
            continue;
          }
          checked.push(d.file);
          if (!validate(v))
            problems.push(`${d.file}: ${JSON.stringify(validate.errors)}`);
        }
        return { checked, problems };
      };

      it('XRDs and Compositions validate against the Crossplane CRDs', () => {
        const { checked, problems } = check(
          'crossplane/crds',
          [
            'apiextensions.crossplane.io_compositeresourcedefinitions.yaml',
            'apiextensions.crossplane.io_compositions.yaml',
            'apiextensions.crossplane.io_environmentconfigs.yaml',
          ],
          v => String(v.apiVersion).startsWith('apiextensions.crossplane.io/'),
        );
        expect(problems).toEqual([]);
        expect(checked.length).toBeGreaterThanOrEqual(8 + 30 + 1);
      });

      it('Argo CD objects validate against the Argo CD CRDs', () => {
        const { checked, problems } = check(
          'argo-cd/crds',
          [
            'application-crd.yaml',
            'applicationset-crd.yaml',
            'appproject-crd.yaml',
          ],
          v => String(v.apiVersion).startsWith('argoproj.io/'),
        );
        expect(problems).toEqual([]);
        expect(checked.length).toBeGreaterThanOrEqual(6);
      });

      it('cloud bootstrap Applications embedded in the KubernetesCluster compositions validate', () => {
        const validators = crdValidators(
          path.join(reference, 'argo-cd/crds/application-crd.yaml'),
        );
        const validate = validators.get('argoproj.io/v1alpha1|Application')!;
        const { documents } = parseRepositoryDocuments(files);
        let seen = 0;
        const problems: string[] = [];
        for (const { value } of documents) {
          const v = value as Obj;
          if (v.kind !== 'Composition') continue;
          for (const step of v.spec.pipeline) {
            for (const r of step.input?.resources ?? []) {
              const m = r.base?.spec?.forProvider?.manifest;
              if (m?.kind === 'Application') {
                seen++;
                if (!validate(m))
                  problems.push(JSON.stringify(validate.errors));
              }
            }
          }
        }
        expect(problems).toEqual([]);
        expect(problems).toEqual([]);
        expect(seen).toBe(12);
      });
    },
  );
});
