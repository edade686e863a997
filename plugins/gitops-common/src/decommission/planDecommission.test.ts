import { parse } from 'yaml';
import { generateEnvironment } from '../generator';
import { renderPlatform } from '../platform';
import { promotionFixture } from '../promote/promotionFixture';
import { parseEnvironmentSpec } from '../spec';
import { toYaml } from '../yaml';
import { validateRepository } from '../validator/validateRepository';
import { planDecommission } from './planDecommission';

const repo: Record<string, string> = {
  ...renderPlatform(),
  ...promotionFixture(),
  ...generateEnvironment(
    parseEnvironmentSpec({
      name: 'qa',
      owner: 'group:default/team-qa',
      target: 'local',
      provider: 'local',
      workloads: ['orders-api'],
      resources: {
        databases: [{ name: 'orders-db', engine: 'postgres', version: '16' }],
        buckets: [{ name: 'assets' }],
        caches: [{ name: 'sessions', engine: 'redis', version: '7.2' }],
      },
    }),
  ),
};

describe('planDecommission', () => {
  it('lists what goes: resources with kind, provider and deletion policy, applications, workloads, files', () => {
    const plan = planDecommission({ repo, environment: 'qa' });
    expect(plan.owner).toBe('group:default/team-qa');
    expect(plan.applications).toEqual(['qa-infrastructure', 'qa-workloads']);
    expect(plan.workloads).toEqual(['orders-api']);
    expect(
      plan.resources.map(r => [
        r.kind,
        r.name,
        r.provider,
        r.deletionPolicy,
        r.dataLoss,
      ]),
    ).toEqual([
      ['Bucket', 'qa-assets', 'local', 'Delete', true],
      ['Cache', 'qa-sessions', 'local', 'Delete', false],
      ['Database', 'qa-orders-db', 'local', 'Delete', true],
    ]);
    expect(plan.resources.every(r => r.composition)).toBe(true);
    expect(plan.deleted).toEqual(
      Object.keys(repo)
        .filter(p => p.startsWith('environments/qa/'))
        .sort(),
    );
    expect(plan.deleted).toContain('environments/qa/environment.yaml');
    expect(plan.changed).toEqual([]);
  });

  it('reads a cloud environment: the cluster and the provider of each composition', () => {
    const plan = planDecommission({ repo, environment: 'prod' });
    expect(
      plan.resources.map(r => [r.kind, r.provider, r.deletionPolicy]),
    ).toEqual([
      ['Database', 'aws', 'Delete'],
      ['KubernetesCluster', 'aws', 'Delete'],
    ]);
    expect(plan.deleted).toContain(
      'environments/prod/bootstrap/kustomization.yaml',
    );
  });

  it('orphans a chosen database: kept as a paused record that Argo CD never deletes, and the result validates', () => {
    const plan = planDecommission({
      repo,
      environment: 'qa',
      orphan: ['orders-db'],
    });
    const db = plan.resources.find(r => r.resource === 'orders-db');
    expect(db).toMatchObject({ orphaned: true, dataLoss: false });
    expect(plan.changed.map(c => c.path)).toEqual([
      'orphaned/qa/database-orders-db-qa-orders-db.yaml',
    ]);
    const kept = parse(plan.changed[0].content);
    expect(kept.kind).toBe('Database');
    expect(kept.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
      'crossplane.io/paused': 'true',
      'epicshelter.io/orphaned-from': 'qa',
    });
    const after = Object.fromEntries(
      Object.entries(repo).filter(([p]) => !plan.deleted.includes(p)),
    );
    for (const c of plan.changed) after[c.path] = c.content;
    expect(validateRepository(after).issues).toEqual(
      validateRepository(repo).issues,
    );
  });

  it('removes references to the folder from kustomizations elsewhere', () => {
    const withRef = {
      ...repo,
      'clusters/extra/kustomization.yaml': toYaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: [
          '../../environments/qa/workloads',
          '../../environments/dev/workloads',
        ],
      }),
    };
    const plan = planDecommission({ repo: withRef, environment: 'qa' });
    expect(plan.changed).toHaveLength(1);
    expect(parse(plan.changed[0].content).resources).toEqual([
      '../../environments/dev/workloads',
    ]);
  });

  it.each([
    [
      { environment: 'nope' },
      /Environment nope does not exist .* known environments: dev, preview, prod, qa, staging/,
    ],
    [
      { environment: 'qa', orphan: ['sessions'] },
      /sessions is a cache, which holds no data to keep; only databases and buckets can be orphaned \(assets, orders-db\)/,
    ],
    [
      { environment: 'qa', orphan: ['ghost'] },
      /Environment qa has no resource named ghost to orphan; its databases and buckets are: assets, orders-db/,
    ],
  ])('refuses %j', (request, message) => {
    expect(() => planDecommission({ repo, ...request })).toThrow(message);
  });

  it('refuses when another file names the folder, which would dangle', () => {
    const app = toYaml({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'qa-extra', namespace: 'argocd' },
      spec: { source: { path: 'environments/qa/workloads' } },
    });
    expect(() =>
      planDecommission({
        repo: { ...repo, 'clusters/extra/qa.yaml': app },
        environment: 'qa',
      }),
    ).toThrow(
      /clusters\/extra\/qa.yaml names environments\/qa, which the decommission removes/,
    );
  });
});
