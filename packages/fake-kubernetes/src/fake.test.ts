import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { crdSchema, strict, validate } from './__testUtils__/crds';
import {
  crossplaneObjectsFor,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { demoObjects } from './demo';
import { startFakeKubernetes, servedResourceTypes } from './server';
import type { KubeObject } from './types';

/** What Crossplane adds to an XR/claim schema besides the XRD's own fields. */
function withoutCrossplaneFields(
  o: KubeObject,
  isClaim: boolean,
  namespaced: boolean,
) {
  const spec = { ...((o as any).spec ?? {}) };
  if (namespaced) delete spec.crossplane;
  else {
    for (const k of [
      'compositionRef',
      'compositionRevisionRef',
      'compositionSelector',
      'compositionUpdatePolicy',
      'resourceRefs',
      'resourceRef',
      'claimRef',
      'writeConnectionSecretToRef',
      'compositeDeletePolicy',
    ]) {
      delete spec[k];
    }
  }
  const status = { ...((o as any).status ?? {}) };
  delete status.conditions;
  return {
    spec,
    ...(Object.keys(status).length ? { status } : {}),
    _claim: isClaim,
  };
}

describe('fake Kubernetes demo data', () => {
  const objects = demoObjects('dev');
  const xrds = objects.filter(o => o.kind === 'CompositeResourceDefinition');

  it('serves XRDs and Compositions valid against the Crossplane CRDs', () => {
    expect(xrds.length).toBeGreaterThanOrEqual(9);
    for (const xrd of xrds) {
      const version = xrd.apiVersion.split('/')[1];
      validate(
        crdSchema(
          'apiextensions.crossplane.io_compositeresourcedefinitions.yaml',
          version,
        ),
        xrd,
        `XRD ${xrd.metadata.name}`,
      );
    }
    const compositions = objects.filter(o => o.kind === 'Composition');
    expect(compositions.length).toBeGreaterThan(8);
    for (const c of compositions) {
      validate(
        crdSchema('apiextensions.crossplane.io_compositions.yaml', 'v1'),
        c,
        `Composition ${c.metadata.name}`,
      );
    }
  });

  it('serves every XR and claim valid against its XRD schema (blueprint)', () => {
    let checked = 0;
    for (const o of objects) {
      const group = o.apiVersion.split('/')[0];
      const xrd = xrds.find(
        x =>
          (x as any).spec.group === group &&
          ((x as any).spec.names.kind === o.kind ||
            (x as any).spec.claimNames?.kind === o.kind),
      );
      if (!xrd) continue;
      const spec = (xrd as any).spec;
      const version = spec.versions.find(
        (v: any) => v.name === o.apiVersion.split('/')[1],
      );
      expect(version).toBeDefined();
      const schema = strict(version.schema.openAPIV3Schema);
      const isClaim = spec.claimNames?.kind === o.kind;
      const namespaced =
        xrd.apiVersion.endsWith('/v2') &&
        (spec.scope ?? 'Namespaced') === 'Namespaced';
      const { _claim, ...body } = withoutCrossplaneFields(
        o,
        isClaim,
        namespaced,
      );
      validate(
        schema.properties ? { ...schema, required: undefined } : schema,
        body,
        `${o.kind} ${o.metadata.name}`,
      );
      expect(Boolean(o.metadata.namespace)).toBe(isClaim || namespaced);
      checked++;
    }
    expect(checked).toBe(8); // 5 v2 platform XRs, 1 nested Network, 1 legacy claim, 1 legacy XR
  });

  it('rejects an invalid XR (the validation can fail)', () => {
    const xrd = xrds.find(
      x => x.metadata.name === 'databases.platform.epicshelter.io',
    )!;
    const schema = strict((xrd as any).spec.versions[0].schema.openAPIV3Schema);
    expect(() =>
      validate(
        schema,
        { spec: { parameters: { engine: 'oracle', version: '17' } } },
        'bad',
      ),
    ).toThrow(/must be equal to one of the allowed values/);
    expect(() =>
      validate(
        schema,
        {
          spec: {
            parameters: { engine: 'postgres', version: '17', sise: 'small' },
          },
        },
        'typo',
      ),
    ).toThrow(/additional properties/);
  });

  it('serves managed resources in the recorded states', () => {
    const conditions = (kind: string) =>
      (objects.find(o => o.kind === kind) as any).status.conditions;
    expect(conditions('DBCluster')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Ready',
          status: 'False',
          reason: 'Creating',
        }),
      ]),
    );
    expect(conditions('Bucket').length).toBeGreaterThan(0);
    const s3 = objects.find(
      o => o.kind === 'Bucket' && o.apiVersion.startsWith('s3.'),
    )! as any;
    expect(s3.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'Synced',
          status: 'False',
          reason: 'ReconcileError',
        }),
      ]),
    );
  });
});

describe('fake Kubernetes demo names', () => {
  const objects = demoObjects('dev');
  // XRs and claims the GitOps repository would hold (a claim's XR carries
  // the claim's labels, but is named by Crossplane)
  const roots = objects.filter(
    o =>
      o.metadata.labels?.['epicshelter.io/resource'] !== undefined &&
      o.metadata.labels?.['crossplane.io/claim-name'] === undefined,
  );

  it('names every XR and claim as the GitOps generator names it', () => {
    const declared = crossplaneObjectsFor(
      parseEnvironmentSpec(
        parse(
          fs.readFileSync(
            path.resolve(__dirname, '../../../examples/gitops/dev.yaml'),
            'utf8',
          ),
        ),
      ),
    );
    for (const o of roots) {
      const resource = o.metadata.labels!['epicshelter.io/resource'];
      expect(o.metadata.name).toBe(`dev-${resource}`);
    }
    // every declared XR is live, with the declared apiVersion and kind
    for (const d of declared) {
      expect(
        roots.find(
          o =>
            o.apiVersion === d.apiVersion &&
            o.kind === d.kind &&
            o.metadata.name === d.name &&
            o.metadata.namespace === d.namespace,
        ),
      ).toBeDefined();
    }
  });

  it('labels composed resources with the top-level XR and names them after their composite', () => {
    const composed = objects.filter(
      o =>
        o.metadata.labels?.['crossplane.io/composite'] !== undefined &&
        o.metadata.labels['crossplane.io/composite'] !== o.metadata.name,
    );
    expect(composed.length).toBeGreaterThan(8);
    const names = new Set(objects.map(o => o.metadata.name));
    for (const o of composed) {
      const top = o.metadata.labels!['crossplane.io/composite'];
      expect(
        roots.some(r => r.metadata.name === top) ||
          // a v1 claim's cluster-scoped XR
          objects.some(r => r.metadata.name === top && r.kind === 'XDatabase'),
      ).toBe(true);
      const parent = o.metadata.name.replace(/-[a-z0-9]{5}$/, '');
      expect(parent).not.toBe(o.metadata.name);
      expect(names.has(parent)).toBe(true);
    }
  });
});

describe('startFakeKubernetes', () => {
  it('serves discovery, lists with label and field selectors, gets, and logs requests', async () => {
    const fake = await startFakeKubernetes({ objects: demoObjects('dev') });
    try {
      const get = async (p: string) => {
        const r = await fetch(`${fake.url}${p}`);
        return { status: r.status, body: (await r.json()) as any };
      };
      expect((await get('/api')).body.versions).toEqual(['v1']);
      const groups = (await get('/apis')).body.groups.map((g: any) => g.name);
      expect(groups).toEqual(
        expect.arrayContaining([
          'platform.epicshelter.io',
          'legacy.platform.epicshelter.io',
          'rds.aws.m.upbound.io',
        ]),
      );
      expect(groups).not.toContain('kms.aws.m.upbound.io');
      const rds = (await get('/apis/rds.aws.m.upbound.io/v1beta1')).body
        .resources;
      expect(rds.map((r: any) => r.name).sort()).toEqual([
        'instances',
        'subnetgroups',
      ]);

      const xrds = await get(
        '/apis/apiextensions.crossplane.io/v1/compositeresourcedefinitions',
      );
      const legacy = xrds.body.items.find(
        (x: any) =>
          x.metadata.name === 'xdatabases.legacy.platform.epicshelter.io',
      );
      expect(legacy.spec.scope).toBe('LegacyCluster');

      const composed = await get(
        `/apis/rds.aws.m.upbound.io/v1beta1/instances?labelSelector=${encodeURIComponent(
          'crossplane.io/composite in (dev-orders-db,other)',
        )}`,
      );
      expect(composed.body.items.map((i: any) => i.metadata.name)).toEqual([
        'dev-orders-db-hk2x9',
      ]);
      const none = await get(
        '/apis/rds.aws.m.upbound.io/v1beta1/namespaces/other/instances',
      );
      expect(none.body.items).toEqual([]);
      expect(
        (
          await get(
            '/apis/rds.aws.crossplane.io/v1alpha1/namespaces/dev/dbclusters',
          )
        ).status,
      ).toBe(404); // cluster-scoped
      expect(
        (await get('/apis/kms.aws.m.upbound.io/v1beta1/keys')).status,
      ).toBe(404);
      expect(
        (
          await get(
            '/apis/platform.epicshelter.io/v1alpha1/namespaces/dev/databases/dev-orders-db',
          )
        ).body.metadata.uid,
      ).toBeTruthy();
      expect(
        (
          await get(
            '/apis/platform.epicshelter.io/v1alpha1/namespaces/dev/databases/nope',
          )
        ).status,
      ).toBe(404);
      const events = await get(
        '/api/v1/namespaces/dev/events?fieldSelector=involvedObject.kind%3DInstance',
      );
      expect(events.body.items).toHaveLength(2);
      expect(
        (
          await get(
            '/apis/platform.epicshelter.io/v1alpha1/databases?labelSelector=a%20in%20(b',
          )
        ).status,
      ).toBe(400);
      expect(
        (await fetch(`${fake.url}/api/v1/namespaces`, { method: 'DELETE' }))
          .status,
      ).toBe(405);
      expect(fake.requests.map(r => r.resource).filter(Boolean)).toContain(
        'events',
      );
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'DELETE',
        status: 405,
      });
      expect(
        servedResourceTypes(fake.objects).some(
          t => t.kind === 'XDatabase' && !t.namespaced,
        ),
      ).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('requires the bearer token when one is set', async () => {
    const fake = await startFakeKubernetes({ objects: [], token: 't0k' });
    try {
      expect((await fetch(`${fake.url}/api`)).status).toBe(401);
      expect(
        (
          await fetch(`${fake.url}/api`, {
            headers: { authorization: 'Bearer t0k' },
          })
        ).status,
      ).toBe(200);
    } finally {
      await fake.close();
    }
  });
});

describe('fake Kubernetes API serving any object', () => {
  it('serves the kind of an object no CRD or built-in type declares, namespaced or not', async () => {
    const widget = {
      apiVersion: 'example.org/v1',
      kind: 'Widget',
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { 'crossplane.io/composite': 'web' },
      },
      spec: { size: 1 },
    };
    const policy = {
      apiVersion: 'example.org/v1',
      kind: 'Policy',
      metadata: { name: 'strict' },
    };
    const fake = await startFakeKubernetes({ objects: [widget, policy] });
    try {
      const get = async (p: string) => (await fetch(`${fake.url}${p}`)).json();
      const discovery = await get('/apis/example.org/v1');
      expect(
        discovery.resources.map((r: any) => [r.kind, r.name, r.namespaced]),
      ).toEqual([
        ['Widget', 'widgets', true],
        ['Policy', 'policies', false],
      ]);
      const list = await get(
        '/apis/example.org/v1/widgets?labelSelector=crossplane.io%2Fcomposite%3Dweb',
      );
      expect(list.items.map((i: any) => i.metadata.name)).toEqual(['web']);
      expect(
        (await get('/apis/example.org/v1/namespaces/shop/widgets/web')).spec,
      ).toEqual({ size: 1 });
      const policies = await get('/apis/example.org/v1/policies');
      expect(policies.kind).toBe('PolicyList');
      expect(policies.items).toHaveLength(1);
      // a kind nobody gave stays unserved
      expect(
        (await fetch(`${fake.url}/apis/example.org/v1/gadgets`)).status,
      ).toBe(404);
    } finally {
      await fake.close();
    }
  });
});
