import { crdSchema, schemaOf, validate } from './__testUtils__/crds';
import { realWorldObjects } from './realWorld';
import type { KubeObject } from './types';

const groupOf = (o: KubeObject) => o.apiVersion.split('/')[0];
const versionOf = (o: KubeObject) => o.apiVersion.split('/')[1];

describe('realWorldObjects', () => {
  const objects = realWorldObjects();
  const crds = objects.filter(o => o.kind === 'CustomResourceDefinition');
  const xrds = objects.filter(o => o.kind === 'CompositeResourceDefinition');

  it('holds XRDs of every scope, valid against the Crossplane XRD CRD', () => {
    const scopes = xrds.map(x => (x as any).spec.scope ?? 'LegacyCluster');
    expect(scopes.sort()).toEqual(['Cluster', 'LegacyCluster', 'Namespaced']);
    for (const xrd of xrds) {
      validate(
        crdSchema(
          'apiextensions.crossplane.io_compositeresourcedefinitions.yaml',
          versionOf(xrd),
        ),
        xrd,
        `XRD ${xrd.metadata.name}`,
      );
    }
  });

  it('holds managed resources and ProviderConfigs valid against their real provider CRDs', () => {
    const checked: string[] = [];
    for (const o of objects) {
      const crd: any = crds.find(
        c =>
          (c as any).spec.group === groupOf(o) &&
          (c as any).spec.names.kind === o.kind,
      );
      // the minimal DBCluster CRD (not vendored) preserves unknown fields
      if (!crd || crd.metadata.name === 'dbclusters.rds.aws.crossplane.io') {
        continue;
      }
      validate(schemaOf(crd, versionOf(o)), o, `${o.kind} ${o.metadata.name}`);
      checked.push(o.kind);
    }
    expect(new Set(checked)).toEqual(
      new Set(['ResourceGroup', 'Release', 'Object', 'ClusterProviderConfig']),
    );
  });

  it('holds XRs valid against their XRD schema (without the fields Crossplane adds)', () => {
    let checked = 0;
    for (const o of objects) {
      const xrd: any = xrds.find(
        x =>
          (x as any).spec.group === groupOf(o) &&
          (x as any).spec.names.kind === o.kind,
      );
      if (!xrd) continue;
      const version = xrd.spec.versions.find(
        (v: any) => v.name === versionOf(o),
      );
      const spec = { ...(o as any).spec };
      delete spec.crossplane;
      for (const k of [
        'compositionRef',
        'resourceRefs',
        'writeConnectionSecretToRef',
      ]) {
        delete spec[k];
      }
      validate(
        schemaOf({ ...xrd, spec: { versions: [version] } }, version.name),
        { spec },
        `${o.kind} ${o.metadata.name}`,
      );
      checked++;
    }
    expect(checked).toBe(3);
  });
});
