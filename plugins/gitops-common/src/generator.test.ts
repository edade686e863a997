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
      secretRef: { name: 'dev-orders-db-connection', optional: true },
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
});
