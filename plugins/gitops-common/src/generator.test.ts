import { parse } from 'yaml';
import {
  LABEL_ENVIRONMENT,
  LABEL_PART_OF,
  LABEL_RESOURCE,
  argoApplicationNames,
  environmentDir,
} from './constants';
import { crossplaneObjectsFor, generateEnvironment } from './generator';
import { EnvironmentSpecError, parseEnvironmentSpec } from './spec';

const spec = parseEnvironmentSpec({
  name: 'dev',
  owner: 'group:default/platform',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api', 'storefront'],
  workloadOverrides: { 'orders-api': { replicas: 3, imageTag: '1.2.3' } },
  resources: {
    databases: [{ name: 'orders-db', engine: 'postgres', version: '16' }],
    buckets: [{ name: 'assets' }],
    caches: [{ name: 'sessions' }],
  },
});

describe('generateEnvironment', () => {
  const files = generateEnvironment(spec);

  it('writes only inside the environment directory', () => {
    expect(Object.keys(files).sort()).toEqual([
      'environments/dev/environment.yaml',
      'environments/dev/infrastructure/bucket-assets.yaml',
      'environments/dev/infrastructure/cache-sessions.yaml',
      'environments/dev/infrastructure/database-orders-db.yaml',
      'environments/dev/infrastructure/kustomization.yaml',
      'environments/dev/infrastructure/namespace.yaml',
      'environments/dev/workloads/kustomization.yaml',
      'environments/dev/workloads/patches/orders-api.yaml',
      'environments/dev/workloads/patches/storefront.yaml',
    ]);
    expect(environmentDir('dev')).toBe('environments/dev');
  });

  it('writes the environment document the catalog reads', () => {
    const doc = parse(files['environments/dev/environment.yaml']);
    expect(doc.apiVersion).toBe('epicshelter.io/v1alpha1');
    expect(doc.kind).toBe('Environment');
    expect(doc.metadata.name).toBe('dev');
    expect(parseEnvironmentSpec(doc.spec)).toEqual(spec);
  });

  it('labels every object and selects the composition by provider', () => {
    const db = parse(
      files['environments/dev/infrastructure/database-orders-db.yaml'],
    );
    expect(db).toMatchObject({
      apiVersion: 'platform.epicshelter.io/v1alpha1',
      kind: 'Database',
      metadata: {
        name: 'dev-orders-db',
        namespace: 'dev',
        labels: {
          [LABEL_PART_OF]: 'epicshelter',
          [LABEL_ENVIRONMENT]: 'dev',
          [LABEL_RESOURCE]: 'orders-db',
        },
      },
      spec: {
        crossplane: {
          compositionSelector: {
            matchLabels: { 'platform.epicshelter.io/provider': 'local' },
          },
        },
        parameters: { engine: 'postgres', version: '16', size: 'small' },
      },
    });
    for (const [path, content] of Object.entries(files)) {
      const doc = parse(content);
      if (doc.kind === 'Kustomization') continue;
      expect([path, doc.metadata.labels[LABEL_PART_OF]]).toEqual([
        path,
        'epicshelter',
      ]);
      expect(doc.metadata.labels[LABEL_ENVIRONMENT]).toBe('dev');
    }
  });

  it('patches the bases with replicas, image tag and connection secrets', () => {
    const k = parse(files['environments/dev/workloads/kustomization.yaml']);
    expect(k.resources).toEqual([
      '../../../apps/orders-api/base',
      '../../../apps/storefront/base',
    ]);
    expect(k.images).toEqual([
      { name: 'ghcr.io/epicshelter/orders-api', newTag: '1.2.3' },
    ]);
    const p = parse(
      files['environments/dev/workloads/patches/orders-api.yaml'],
    );
    expect(p.spec.replicas).toBe(3);
    expect(p.spec.template.spec.containers[0].envFrom).toContainEqual({
      prefix: 'ORDERS_DB_',
      // Not optional: without its credentials the workload waits visibly.
      secretRef: { name: 'dev-orders-db-connection' },
    });
    expect(
      parse(files['environments/dev/workloads/patches/storefront.yaml']).spec
        .replicas,
    ).toBe(1);
  });

  it('lists the crossplane objects and argo application names', () => {
    expect(
      crossplaneObjectsFor(spec).map(
        o => `${o.apiVersion} ${o.kind} ${o.namespace}/${o.name} ${o.resource}`,
      ),
    ).toEqual([
      'platform.epicshelter.io/v1alpha1 Database dev/dev-orders-db orders-db',
      'platform.epicshelter.io/v1alpha1 Cache dev/dev-sessions sessions',
      'platform.epicshelter.io/v1alpha1 Bucket dev/dev-assets assets',
    ]);
    expect(argoApplicationNames('dev')).toEqual({
      workloads: 'dev-workloads',
      infrastructure: 'dev-infrastructure',
    });
  });

  it('writes v1 legacy claims in their own group', () => {
    const v1 = generateEnvironment({ ...spec, crossplaneApi: 'v1' });
    const db = parse(
      v1['environments/dev/infrastructure/database-orders-db.yaml'],
    );
    expect(db.apiVersion).toBe('legacy.platform.epicshelter.io/v1alpha1');
    expect(db.spec.compositionSelector.matchLabels).toEqual({
      'platform.epicshelter.io/provider': 'local',
    });
    expect(db.spec.writeConnectionSecretToRef).toEqual({
      name: 'dev-orders-db-connection',
    });
  });

  it('is deterministic', () => {
    expect(
      generateEnvironment(
        parseEnvironmentSpec(JSON.parse(JSON.stringify(spec))),
      ),
    ).toEqual(files);
  });

  it('re-checks hand-built specs', () => {
    expect(() => generateEnvironment({ ...spec, name: '../x' })).toThrow(
      EnvironmentSpecError,
    );
  });

  describe('a cloud environment with a cluster', () => {
    const cloud = (crossplaneApi: 'v1' | 'v2') =>
      generateEnvironment({
        ...spec,
        name: 'prod',
        target: 'cloud',
        provider: 'aws',
        region: 'eu-west-1',
        crossplaneApi,
        resources: {
          ...spec.resources,
          kubernetesCluster: {
            version: '1.33',
            nodeSize: 'small',
            nodeCount: 2,
          },
        },
      });
    const v2 = cloud('v2');

    it('gets its own cluster root, a bootstrap and an attach overlay', () => {
      expect(
        Object.keys(v2)
          .filter(f => !/\/(infrastructure|workloads)\//.test(f))
          .sort(),
      ).toEqual([
        'environments/prod/attach/kustomization.yaml',
        'environments/prod/bootstrap/kustomization.yaml',
        'environments/prod/cluster/kustomization.yaml',
        'environments/prod/environment.yaml',
      ]);
      const root = parse(v2['environments/prod/cluster/kustomization.yaml']);
      expect(root.resources).toEqual(['../../../clusters/cloud/base']);
      expect(
        root.patches.map((p: { target: object; patch: string }) => ({
          target: p.target,
          ops: parse(p.patch),
        })),
      ).toEqual([
        {
          target: {
            group: 'argoproj.io',
            kind: 'Application',
            name: 'cloud-root',
          },
          ops: [
            {
              op: 'replace',
              path: '/spec/source/path',
              value: 'environments/prod/cluster',
            },
            {
              op: 'add',
              path: '/metadata/labels/epicshelter.io~1environment',
              value: 'prod',
            },
          ],
        },
        {
          target: { group: 'argoproj.io', kind: 'ApplicationSet' },
          ops: [
            {
              op: 'add',
              path: '/spec/generators/0/selector/matchLabels/metadata.name',
              value: 'prod',
            },
          ],
        },
      ]);
    });

    it('keeps the cluster XR in one place; the role overlays only change role labels (attach: of every XR)', () => {
      const xr = parse(
        v2[
          'environments/prod/infrastructure/kubernetes-cluster/kubernetes-cluster.yaml'
        ],
      );
      expect(xr.spec.crossplane.compositionSelector.matchLabels).toEqual({
        'platform.epicshelter.io/provider': 'aws',
        'platform.epicshelter.io/cluster-role': 'self-managed',
      });
      expect(
        parse(v2['environments/prod/infrastructure/kustomization.yaml'])
          .resources,
      ).toContain('kubernetes-cluster');
      const rolePatch = (
        generated: Record<string, string>,
        dir: string,
        resources = ['../infrastructure/kubernetes-cluster'],
      ) => {
        const k = parse(
          generated[`environments/prod/${dir}/kustomization.yaml`],
        );
        expect(k.resources).toEqual(resources);
        return { target: k.patches[0].target, ops: parse(k.patches[0].patch) };
      };
      const roleOp = (role: string) => [
        {
          op: 'replace',
          path: '/spec/crossplane/compositionSelector/matchLabels/platform.epicshelter.io~1cluster-role',
          value: role,
        },
      ];
      expect(rolePatch(v2, 'bootstrap')).toEqual({
        target: {
          group: 'platform.epicshelter.io',
          kind: 'KubernetesCluster',
          name: 'prod-kubernetes-cluster',
        },
        ops: roleOp('bootstrap'),
      });
      // An attached cluster observes the whole infrastructure: every XR of
      // the group, each of which carries the role label.
      expect(rolePatch(v2, 'attach', ['../infrastructure'])).toEqual({
        target: { group: 'platform.epicshelter.io' },
        ops: roleOp('observe'),
      });
      const xrs = Object.entries(v2)
        .filter(([f]) => f.startsWith('environments/prod/infrastructure/'))
        .map(([, text]) => parse(text))
        .filter(d => d.apiVersion === 'platform.epicshelter.io/v1alpha1');
      expect(xrs.length).toBeGreaterThan(1);
      for (const x of xrs) {
        expect(
          x.spec.crossplane.compositionSelector.matchLabels[
            'platform.epicshelter.io/cluster-role'
          ],
        ).toBe('self-managed');
      }
      expect(rolePatch(cloud('v1'), 'bootstrap')).toEqual({
        target: {
          group: 'legacy.platform.epicshelter.io',
          kind: 'KubernetesCluster',
          name: 'prod-kubernetes-cluster',
        },
        ops: [
          {
            op: 'replace',
            path: '/spec/compositionSelector/matchLabels/platform.epicshelter.io~1cluster-role',
            value: 'bootstrap',
          },
        ],
      });
    });

    it('refuses a cloud environment without a cluster', () => {
      expect(() =>
        generateEnvironment({
          ...spec,
          name: 'prod',
          target: 'cloud',
          provider: 'aws',
          region: 'eu-west-1',
        }),
      ).toThrow(/runs in its own Kubernetes cluster/);
    });
  });
});
