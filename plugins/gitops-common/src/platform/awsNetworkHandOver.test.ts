import { parseDocument } from 'yaml';
import { renderResources } from '../validator/composition/patchAndTransform';
import { getFieldPath, setFieldPath } from '../validator/composition/fieldPath';
import { vendoredCrdRegistry } from '../validator/schema/crdRegistry';
import { validateStructural } from '../validator/schema/structural';
import { renderPlatform } from '.';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The AWS bootstrap hands the network and IAM roles it created over to the
 * new cluster: one Object per resource, whose manifest is that resource with
 * the bootstrap's identifiers. These tests resolve the Objects' references
 * the way provider-kubernetes does (from the bootstrap's own rendered
 * resources, with invented AWS IDs) and validate what the cloud cluster
 * receives against the vendored provider CRDs.
 */
const platform = renderPlatform();
const crds = vendoredCrdRegistry();
const STYLES = {
  v2: {
    file: 'platform/apis/kubernetes-cluster/composition-aws-bootstrap.yaml',
    xr: {
      apiVersion: 'platform.epicshelter.io/v1alpha1',
      kind: 'KubernetesCluster',
      metadata: { name: 'prod-kubernetes-cluster', namespace: 'prod' },
    },
  },
  v1: {
    file: 'platform/apis/kubernetes-cluster/legacy-composition-aws-bootstrap.yaml',
    xr: {
      apiVersion: 'legacy.platform.epicshelter.io/v1alpha1',
      kind: 'XKubernetesCluster',
      metadata: { name: 'prod-kubernetes-cluster-x7k2p' },
    },
  },
} as const;
const parameters = {
  environment: 'prod',
  version: '1.33',
  nodeSize: 'small',
  nodeCount: 3,
  region: 'eu-west-1',
};

/**
 * What the bootstrap composes for an XR status (what its resources have
 * observed so far, written by their ToCompositeFieldPath patches).
 */
function rendered(style: keyof typeof STYLES, status?: Obj): Obj[] {
  const { file, xr } = STYLES[style];
  const composition = parseDocument(platform[file]).toJS() as Obj;
  const step = composition.spec.pipeline.find(
    (s: Obj) => s.functionRef.name === 'function-patch-and-transform',
  );
  const result = renderResources(
    step.input,
    { ...xr, spec: { parameters }, ...(status ? { status } : {}) },
    { gitops: { repoURL: 'https://example.com/repo', revision: 'main' } },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  return result.resources.map(r => ({ name: r.name, ...r.resource }));
}

/** A first bootstrap once its IAM role was created (crossplane-runtime's annotation, copied to the XR). */
const FIRST_BOOTSTRAP = {
  bootstrap: { rolesCreatedAt: '2026-12-06T08:00:00Z' },
};
/** A second bootstrap: the roles existed already; the probe found the cluster and its subnets. */
const SECOND_BOOTSTRAP = {
  bootstrap: { clusterSubnetIds: ['subnet-0a1', 'subnet-0b2'] },
};

/** What provider-kubernetes creates in the cloud cluster: the manifest with its references resolved from `cluster`. */
function resolve(object: Obj, cluster: Obj[]): Obj {
  const manifest = structuredClone(object.spec.forProvider.manifest);
  for (const ref of object.spec.references ?? []) {
    const from = ref.patchesFrom;
    const source = cluster.find(
      o =>
        o.apiVersion === from.apiVersion &&
        o.kind === from.kind &&
        o.metadata?.name === from.name &&
        o.metadata?.namespace === from.namespace,
    );
    if (!source)
      throw new Error(`${object.name}: nothing is named ${from.name}`);
    const value = getFieldPath(source, from.fieldPath);
    if (value === undefined)
      throw new Error(`${object.name}: ${from.name} has no ${from.fieldPath}`);
    setFieldPath(manifest, ref.toFieldPath ?? from.fieldPath, value);
  }
  return manifest;
}

describe.each(['v2', 'v1'] as const)('AWS network hand-over (%s)', style => {
  const resources = rendered(style, FIRST_BOOTSTRAP);
  const network = resources.filter(r =>
    /^(ec2|iam)\.aws(\.m)?\.upbound\.io\//.test(r.apiVersion),
  );
  const handOvers = resources.filter(r => r.name.endsWith('-hand-over'));
  // The bootstrap cluster once its provider created and resolved everything.
  const live = network.map((r, i) => {
    const copy = structuredClone(r);
    // Crossplane puts a namespaced XR's composed resources in its namespace.
    const namespace = (STYLES[style].xr.metadata as Obj).namespace;
    if (namespace) copy.metadata.namespace = namespace;
    copy.metadata.annotations = {
      ...copy.metadata.annotations,
      'crossplane.io/external-name':
        copy.metadata.annotations?.['crossplane.io/external-name'] ?? `id-${i}`,
    };
    for (const key of Object.keys(copy.spec.forProvider)) {
      if (key.endsWith('Selector'))
        copy.spec.forProvider[key.replace(/Selector$/, '')] = `ref-${i}`;
    }
    return copy;
  });

  it('hands over every network resource and IAM role the bootstrap creates', () => {
    // VPC, two subnets, gateway, route table, route, two associations,
    // two roles and four policy attachments.
    expect(network.length).toBe(14);
    expect(handOvers.map(h => h.name).sort()).toEqual(
      network.map(r => `${r.name}-hand-over`).sort(),
    );
    // The bootstrap's own copies and the Objects are created once, never
    // updated or deleted; each Object targets the new cluster.
    for (const r of [...network, ...handOvers]) {
      expect(r.spec.managementPolicies).toEqual(['Observe', 'Create']);
    }
    for (const h of handOvers) {
      expect(h.spec.providerConfigRef.name).toBe(
        `${STYLES[style].xr.metadata.name}-cluster`,
      );
    }
  });

  it('gives the cloud cluster each resource with its identity, valid against the vendored CRDs', () => {
    for (const h of handOvers) {
      const manifest = resolve(h, live);
      const own = live.find(r => `${r.name}-hand-over` === h.name)!;
      expect(manifest.metadata.name).toBe(
        `prod-${h.name.replace(/-hand-over$/, '')}`,
      );
      expect(manifest.metadata.namespace).toBe(
        style === 'v2' ? 'prod' : undefined,
      );
      expect(manifest.metadata.annotations['crossplane.io/external-name']).toBe(
        own.metadata.annotations['crossplane.io/external-name'],
      );
      // Fully managed there, and no reference to resolve again.
      expect(manifest.spec.managementPolicies).toBeUndefined();
      expect(
        Object.keys(manifest.spec.forProvider).filter(k =>
          k.endsWith('Selector'),
        ),
      ).toEqual([]);
      // Every resolved reference and every field of the bootstrap's copy.
      expect(manifest.spec.forProvider).toMatchObject(
        Object.fromEntries(
          Object.entries(own.spec.forProvider).filter(
            ([key]) => !key.endsWith('Selector'),
          ),
        ),
      );
      const crd = crds.get(manifest.apiVersion, manifest.kind);
      expect(crd).toBeDefined();
      expect(validateStructural(manifest, crd!.schema).issues).toEqual([]);
    }
  });

  it('would catch a hand-over that drops a required parameter (CEL rule of the CRD)', () => {
    const role = handOvers.find(h => h.name === 'eks-cluster-hand-over')!;
    const manifest = resolve(role, live);
    delete manifest.spec.forProvider.assumeRolePolicy;
    const crd = crds.get(manifest.apiVersion, manifest.kind)!;
    expect(
      validateStructural(manifest, crd.schema).issues.map(i => i.message),
    ).toEqual([expect.stringContaining('assumeRolePolicy')]);
  });

  it('names the IAM roles after the environment, so every bootstrap adopts them', () => {
    const roles = network.filter(r => r.kind === 'Role');
    expect(
      roles.map(r => r.metadata.annotations['crossplane.io/external-name']),
    ).toEqual(['prod-eks-cluster', 'prod-eks-node']);
  });
});

describe.each(['v2', 'v1'] as const)(
  'A second AWS bootstrap of the same environment (%s)',
  style => {
    const isNetwork = (r: Obj) =>
      /^ec2\.aws(\.m)?\.upbound\.io\//.test(r.apiVersion);
    const handedOver = (rs: Obj[], kind: string) =>
      rs.filter(
        r => r.kind === 'Object' && r.spec.forProvider.manifest.kind === kind,
      );

    it('composes no network on the first reconcile, before anything is observed', () => {
      const first = rendered(style);
      expect(first.filter(isNetwork)).toEqual([]);
      expect(handedOver(first, 'VPC')).toEqual([]);
      // The roles are named, so they are composed (and adopted) always.
      expect(first.filter(r => r.kind === 'Role')).toHaveLength(2);
    });

    it('creates nothing that AWS would give a new identity: no VPC, subnet, gateway, route table, route or association', () => {
      const second = rendered(style, SECOND_BOOTSTRAP);
      expect(second.filter(isNetwork)).toEqual([]);
      for (const kind of ['VPC', 'Subnet', 'InternetGateway', 'RouteTable']) {
        expect(handedOver(second, kind)).toEqual([]);
      }
      // The roles' hand-over stays (their Objects find them in the cloud
      // cluster and change nothing), created once and never deleted.
      const roles = handedOver(second, 'Role');
      expect(roles).toHaveLength(2);
      for (const r of roles)
        expect(r.spec.managementPolicies).toEqual(['Observe', 'Create']);
      // Whatever may create an AWS resource has a name of its own (or, a
      // policy attachment, is idempotent): a second run adopts, never duplicates.
      for (const r of second) {
        const creates =
          !r.spec.managementPolicies ||
          r.spec.managementPolicies.includes('Create');
        if (!/\.aws(\.m)?\.upbound\.io\//.test(r.apiVersion) || !creates)
          continue;
        if (['RolePolicyAttachment', 'ClusterAuth'].includes(r.kind)) continue;
        expect([
          r.name,
          r.metadata.annotations['crossplane.io/external-name'],
        ]).toEqual([
          r.name,
          expect.stringMatching(/^prod(-eks-(cluster|node))?$/),
        ]);
      }
    });

    it('gives the cluster and node group the subnets of the existing cluster, valid against the vendored CRDs', () => {
      const second = rendered(style, SECOND_BOOTSTRAP);
      const cluster = second.find(r => r.name === 'cluster')!;
      const nodeGroup = second.find(r => r.name === 'node-group')!;
      const vpcConfig =
        style === 'v2'
          ? cluster.spec.forProvider.vpcConfig
          : cluster.spec.forProvider.vpcConfig[0];
      expect(vpcConfig.subnetIds).toEqual(['subnet-0a1', 'subnet-0b2']);
      expect(nodeGroup.spec.forProvider.subnetIds).toEqual([
        'subnet-0a1',
        'subnet-0b2',
      ]);
      const probe = second.find(r => r.name === 'existing-cluster')!;
      expect(probe.spec.managementPolicies).toEqual(['Observe']);
      expect(probe.metadata.annotations['crossplane.io/external-name']).toBe(
        'prod',
      );
      for (const r of [cluster, nodeGroup, probe]) {
        const crd = crds.get(r.apiVersion, r.kind)!;
        const { name: _name, ...manifest } = r;
        expect(validateStructural(manifest, crd.schema).issues).toEqual([]);
      }
    });

    it('reads the subnets from the field the provider reports them in', () => {
      const c = parseDocument(platform[STYLES[style].file]).toJS() as Obj;
      const probe = c.spec.pipeline
        .flatMap((s: Obj) => s.input?.resources ?? [])
        .find((r: Obj) => r.name === 'existing-cluster');
      // status.atProvider.vpcConfig is an object in the namespaced kind and
      // a list in the legacy one (the vendored CRDs keep no status; see
      // eks.aws[.m].upbound.io_clusters.yaml of provider-upjet-aws v2.0.0).
      expect(
        probe.patches.find((p: Obj) => p.type === 'ToCompositeFieldPath'),
      ).toEqual({
        type: 'ToCompositeFieldPath',
        fromFieldPath:
          style === 'v2'
            ? 'status.atProvider.vpcConfig.subnetIds'
            : 'status.atProvider.vpcConfig[0].subnetIds',
        toFieldPath: 'status.bootstrap.clusterSubnetIds',
      });
    });
  },
);

describe('AWS cluster XR in the cloud cluster (self-managed)', () => {
  it('composes no network of its own: the handed-over resources are managed by its Crossplane directly', () => {
    const [c] = [
      parseDocument(
        platform[
          'platform/apis/kubernetes-cluster/composition-aws-self-managed.yaml'
        ],
      ).toJS() as Obj,
    ];
    const kinds = c.spec.pipeline
      .flatMap((s: Obj) => s.input?.resources ?? [])
      .map((r: Obj) => r.base.kind);
    expect(kinds).not.toContain('VPC');
    expect(kinds).not.toContain('Role');
  });
});
