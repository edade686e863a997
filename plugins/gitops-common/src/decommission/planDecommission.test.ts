import { parse, parseAllDocuments } from 'yaml';
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

  it('orphans a chosen database in two steps: first the protection marks on the live objects, then the removal with a paused record; both validate', () => {
    const first = planDecommission({
      repo,
      environment: 'qa',
      orphan: ['orders-db'],
    });
    const db = first.resources.find(r => r.resource === 'orders-db');
    expect(db).toMatchObject({ orphaned: true, dataLoss: false });
    // step 1: nothing deleted; the database and its namespace are marked in place
    expect(first.step).toBe('protect');
    expect(first.deleted).toEqual([]);
    expect(first.protection.map(o => [o.kind, o.name, o.marked])).toEqual([
      ['Database', 'qa-orders-db', false],
      ['Namespace', 'qa', false],
    ]);
    const protectedRepo = { ...repo };
    for (const c of first.changed) protectedRepo[c.path] = c.content;
    expect(first.changed.map(c => c.path).sort()).toEqual(
      [...new Set(first.protection.map(o => o.file))].sort(),
    );
    const dbFile = parse(protectedRepo[db!.file]);
    expect(dbFile.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
      'crossplane.io/paused': 'true',
      'epicshelter.io/orphaned-from': 'qa',
    });
    // only the marks changed: the rest of the document is as it was
    const { annotations: _marked, ...metaAfter } = dbFile.metadata;
    const { annotations: _before, ...metaBefore } = parse(
      repo[db!.file],
    ).metadata;
    expect(metaAfter).toEqual(metaBefore);
    expect(dbFile.spec).toEqual(parse(repo[db!.file]).spec);
    const ns = parse(
      protectedRepo['environments/qa/infrastructure/namespace.yaml'],
    );
    expect(ns.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
    });
    expect(ns.metadata.annotations['crossplane.io/paused']).toBeUndefined();
    expect(validateRepository(protectedRepo).issues).toEqual(
      validateRepository(repo).issues,
    );

    // step 2, on the protected repository: the removal, one change
    const plan = planDecommission({
      repo: protectedRepo,
      environment: 'qa',
      orphan: ['orders-db'],
    });
    expect(plan.step).toBe('remove');
    expect(plan.protection.every(o => o.marked)).toBe(true);
    expect(plan.deleted).toContain('environments/qa/environment.yaml');
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
      Object.entries(protectedRepo).filter(([p]) => !plan.deleted.includes(p)),
    );
    for (const c of plan.changed) after[c.path] = c.content;
    expect(validateRepository(after).issues).toEqual(
      validateRepository(repo).issues,
    );
    // the protect step recorded the choice: the removal need not repeat it
    expect(
      planDecommission({ repo: protectedRepo, environment: 'qa' }),
    ).toEqual(plan);
  });

  it('keeps every other document of a file it marks, and marks a multi-document file in place', () => {
    const file = 'environments/qa/infrastructure/namespace.yaml';
    const multi = {
      ...repo,
      [file]: `# the namespace\n${repo[file]}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: note\n  namespace: qa\n`,
    };
    const plan = planDecommission({
      repo: multi,
      environment: 'qa',
      orphan: ['orders-db'],
    });
    const written = plan.changed.find(c => c.path === file)!.content;
    expect(written.startsWith('# the namespace\n')).toBe(true);
    const docs = parseAllDocuments(written).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual(['Namespace', 'ConfigMap']);
    expect(docs[1].metadata.annotations).toBeUndefined();
  });

  it('without orphans, decommissions in one change (no protection step)', () => {
    const plan = planDecommission({ repo, environment: 'qa' });
    expect(plan.step).toBe('remove');
    expect(plan.protection).toEqual([]);
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
