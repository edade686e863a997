import { crdSchema, schemaOf, validate } from '../__testUtils__/crds';
import { demoObjects } from '../demo';
import type { KubeObject } from '../types';
import { scenarioObjects, withScenarios } from '.';
import { LARGE_GRAPH_NAMESPACE, largeGraphObjects } from './largeGraph';

const groupOf = (o: KubeObject) => o.apiVersion.split('/')[0];
const versionOf = (o: KubeObject) => o.apiVersion.split('/')[1];
const keyOf = (o: KubeObject) =>
  `${groupOf(o)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const reasons = (o: any) =>
  (o.status?.conditions ?? []).map((c: any) => `${c.type}=${c.reason}`);

describe('scenarioObjects', () => {
  const states = scenarioObjects('states');

  it('refuses an unknown scenario, naming the known ones', () => {
    expect(() => scenarioObjects('states, nope')).toThrow(
      'Unknown fake Kubernetes scenario "nope"; known scenarios: states',
    );
    expect(scenarioObjects(' ')).toEqual([]);
  });

  it('adds objects to the demo data without replacing any, serving shared ones once', () => {
    const demo = demoObjects('dev');
    const merged = withScenarios(demo, 'states');
    const keys = merged.map(keyOf);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    expect(merged.slice(0, demo.length)).toEqual(demo);
    // only the DBCluster CRD, identical in both, is shared
    expect(merged.length).toBe(demo.length + states.length - 1);
  });

  it('refuses a scenario object that would replace a different demo object', () => {
    const ns = states.find(o => o.metadata.name === LARGE_GRAPH_NAMESPACE)!;
    const clash = { ...ns, metadata: { ...ns.metadata, labels: { a: 'b' } } };
    expect(() => withScenarios([clash], 'states')).toThrow(
      'Scenario "states" holds Namespace analytics that differs from the one already served; rename one of them',
    );
  });

  it('holds a graph of more than 50 XRs and managed resources in every state', () => {
    const graph = largeGraphObjects().filter(o => o.kind !== 'Namespace');
    expect(graph.length).toBe(51);
    const mrs = graph.filter(o => o.kind === 'ResourceGroup');
    const count = (reason: string) =>
      mrs.filter(o => reasons(o).includes(reason)).length;
    expect(count('Ready=Creating')).toBe(3);
    expect(count('Synced=ReconcilePaused')).toBe(3);
    expect(count('Ready=Deleting')).toBe(3);
    expect(count('Synced=ReconcileError')).toBe(4);
    expect(
      mrs.filter(o => (o as any).spec.providerConfigRef.name === 'team-c'),
    ).toHaveLength(1);
    // every composed resource is referenced by its XR, in the XR's namespace
    for (const xr of graph.filter(o => o.kind === 'SQLInstance')) {
      const refs = (xr as any).spec.crossplane.resourceRefs.map(
        (r: any) => r.name,
      );
      const composed = mrs.filter(
        o =>
          o.metadata.labels?.['crossplane.io/composite'] === xr.metadata.name,
      );
      expect(composed.map(o => o.metadata.name)).toEqual(refs);
      expect(
        composed.every(o => o.metadata.namespace === LARGE_GRAPH_NAMESPACE),
      ).toBe(true);
    }
  });

  it('holds managed resources valid against the real ResourceGroup CRD and XRs valid against their XRD', () => {
    const crd: any = states.find(
      o => o.metadata.name === 'resourcegroups.azure.m.upbound.io',
    );
    const xrd: any = states.find(
      o => o.metadata.name === 'sqlinstances.aws.platform.upbound.io',
    );
    validate(
      crdSchema(
        'apiextensions.crossplane.io_compositeresourcedefinitions.yaml',
        versionOf(xrd),
      ),
      xrd,
      'XRD',
    );
    let checked = 0;
    for (const o of largeGraphObjects()) {
      if (o.kind === 'ResourceGroup') {
        validate(schemaOf(crd, versionOf(o)), o, o.metadata.name);
        checked++;
      }
      if (o.kind === 'SQLInstance') {
        const version = xrd.spec.versions.find(
          (v: any) => v.name === versionOf(o),
        );
        const { crossplane: _c, ...spec } = (o as any).spec;
        validate(
          schemaOf({ ...xrd, spec: { versions: [version] } }, version.name),
          { spec },
          o.metadata.name,
        );
        checked++;
      }
    }
    expect(checked).toBe(51);
  });
});
