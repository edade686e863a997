import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { generateEnvironment } from './generator';
import { renderPlatform } from './platform';
import { parseEnvironmentSpec } from './spec';
import { checkTopology, computeTopology } from './validator/topology';
import { validateRepository } from './validator/validateRepository';
import { renderResources } from './validator/composition/patchAndTransform';
import { toYaml } from './yaml';

/**
 * An attached local cluster (`clusters/attach`) observes all of a cloud
 * environment's infrastructure, not only its cluster, and changes none of
 * it. Checked on the blueprint (inside this repository) with a v2 AWS
 * environment (the `staging` example) and a v1 GCP environment, through the
 * topology the validator computes from the repository alone.
 */
const repoRoot = path.resolve(__dirname, '..', '..', '..');

function readTree(dir: string, base = dir, out: Record<string, string> = {}) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) readTree(p, base, out);
    else
      out[path.relative(base, p).split(path.sep).join('/')] = readFileSync(
        p,
        'utf8',
      );
  }
  return out;
}

const staging = parse(
  readFileSync(
    path.join(repoRoot, 'examples', 'gitops', 'staging.yaml'),
    'utf8',
  ),
);
const qa = {
  name: 'qa',
  owner: 'group:default/platform',
  target: 'cloud',
  provider: 'gcp',
  region: 'europe-west1',
  crossplaneApi: 'v1',
  workloads: ['orders-api'],
  resources: {
    databases: [{ name: 'orders-db', engine: 'mysql' }],
    caches: [{ name: 'sessions' }],
    buckets: [{ name: 'files' }],
    kubernetesCluster: {},
  },
};
const repository: Record<string, string> = {
  ...readTree(path.join(repoRoot, 'templates', 'gitops-repository')),
  ...generateEnvironment(parseEnvironmentSpec(staging)),
  ...generateEnvironment(parseEnvironmentSpec(qa)),
};

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const attached = (files: Record<string, string>, env: string) =>
  computeTopology(files)
    .clusters.find(c => c.cluster.id === 'attach')!
    .placements.filter(p => p.environment === env && p.effect);

jest.setTimeout(60_000);

describe('an attached cluster', () => {
  it('is valid and has no topology fault', () => {
    expect(validateRepository(repository).issues).toEqual([]);
    expect(checkTopology(repository)).toEqual([]);
  });

  it.each([
    ['staging', ['KubernetesCluster', 'Database', 'Bucket']],
    ['qa', ['KubernetesCluster', 'Database', 'Cache', 'Bucket']],
  ])(
    'observes every XR or claim of %s and can delete nothing',
    (env, kinds) => {
      const placements = attached(repository, env);
      expect(placements.map(p => p.value.kind).sort()).toEqual(
        [...kinds].sort(),
      );
      for (const p of placements) {
        expect({ kind: p.value.kind, ...p.effect }).toMatchObject({
          kind: p.value.kind,
          mode: 'observes',
          deletes: false,
        });
      }
      // Databases, caches and buckets are read in the environment's own
      // cluster, not in the cloud provider's API.
      expect(
        placements
          .filter(p => p.value.kind !== 'KubernetesCluster')
          .map(p => p.effect!.external),
      ).toEqual(kinds.slice(1).map(() => false));
    },
  );

  it.each([
    [
      'v2',
      '',
      { metadata: { name: 'staging-orders-db', namespace: 'staging' } },
    ],
    [
      'v1',
      'legacy-',
      {
        metadata: { name: 'staging-orders-db-x7k2p' },
        spec: { claimRef: { name: 'staging-orders-db', namespace: 'staging' } },
      },
    ],
  ])(
    'reads a database (%s) in its cluster through the ProviderConfig the observed cluster composes',
    (_style, prefix, xr: Obj) => {
      const platform = renderPlatform();
      const render = (file: string, composite: Obj) => {
        const c = parse(platform[file]) as Obj;
        const step = c.spec.pipeline.find(
          (p: Obj) => p.functionRef.name === 'function-patch-and-transform',
        );
        const result = renderResources(step.input, composite);
        if (!result.ok) throw new Error(JSON.stringify(result.failure));
        return result.resources.map(r => r.resource as Obj);
      };
      const [observed] = render(
        `platform/apis/database/${prefix}composition-aws-observe.yaml`,
        { ...xr, spec: { ...xr.spec, parameters: { engine: 'postgres' } } },
      );
      const cluster = render(
        `platform/apis/kubernetes-cluster/${prefix}composition-aws-observe.yaml`,
        {
          metadata: { name: 'staging-kubernetes-cluster', uid: 'u' },
          spec: { parameters: { environment: 'staging', region: 'eu-west-1' } },
        },
      );
      const providerConfig = cluster.find(r => r.kind === 'ProviderConfig')!;
      expect(observed.spec.managementPolicies).toEqual(['Observe']);
      expect(observed.spec.providerConfigRef.name).toBe(
        providerConfig.metadata.name,
      );
      expect(observed.spec.forProvider.manifest).toMatchObject({
        kind: 'Database',
        metadata: { name: 'staging-orders-db', namespace: 'staging' },
      });
    },
  );

  it('fails when an attached cluster would reconcile a cloud database (its role label not patched)', () => {
    const file = 'environments/staging/attach/kustomization.yaml';
    const kustomization = parse(repository[file]) as Obj;
    kustomization.patches[0].target = {
      group: 'platform.epicshelter.io',
      kind: 'KubernetesCluster',
    };
    const issues = checkTopology({
      ...repository,
      [file]: toYaml(kustomization),
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'clusters/attach/cloud-attach.yaml',
          message: expect.stringMatching(
            /Application staging-attach of ApplicationSet cloud-attach makes cluster attach \(clusters\/attach\) reconcile Database staging\/staging-orders-db .*Bucket staging\/staging-storefront-assets .*of cloud environment "staging"/,
          ),
        }),
        expect.objectContaining({
          file: 'environments/staging/infrastructure/database-orders-db.yaml',
          path: '$.spec.crossplane.compositionSelector.matchLabels',
          message: expect.stringContaining(
            'manages cloud resources in 2 clusters (attach, cloud/staging)',
          ),
        }),
        expect.objectContaining({
          file: 'platform/apis/database/composition-aws.yaml',
          message: expect.stringContaining(
            'composed resource "instance" may be deleted',
          ),
        }),
      ]),
    );
  });

  it('fails when the observe Composition of a cloud database could change what it reads', () => {
    const file = 'platform/apis/database/composition-aws-observe.yaml';
    const composition = parse(renderPlatform()[file]) as Obj;
    composition.spec.pipeline[0].input.resources[0].base.spec.managementPolicies =
      ['*'];
    const issues = checkTopology({
      ...repository,
      [file]: toYaml(composition),
    });
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'clusters/attach/cloud-attach.yaml',
        message: expect.stringContaining(
          'reconcile Database staging/staging-orders-db',
        ),
      }),
    ]);
  });
});
