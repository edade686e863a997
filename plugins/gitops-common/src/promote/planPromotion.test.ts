import { parse } from 'yaml';
import { generateEnvironment } from '../generator';
import { parseEnvironmentSpec } from '../spec';
import { planPromotion } from './planPromotion';
import { promotionFixture } from './promotionFixture';

const repo = promotionFixture();

describe('planPromotion', () => {
  it('sets B to A\u2019s image tag and changes nothing else', () => {
    const plan = planPromotion({
      repo,
      from: 'dev',
      to: 'staging',
      workloads: ['orders-api'],
    });
    expect(plan.changed.map(c => c.path)).toEqual([
      'environments/staging/environment.yaml',
      'environments/staging/workloads/kustomization.yaml',
    ]);
    expect(plan.promotions).toEqual([
      { workload: 'orders-api', fromTag: '1.3.0', previousTag: '1.2.0' },
    ]);
    expect(plan.owner).toBe('group:default/team-b');
    const doc = parse(plan.changed[0].content);
    // replicas stays B's own: config is copied only when asked
    expect(doc.spec.workloadOverrides['orders-api']).toEqual({
      replicas: 2,
      imageTag: '1.3.0',
    });
    const k = parse(plan.changed[1].content);
    expect(k.images).toEqual([
      { name: 'ghcr.io/epicshelter/orders-api', newTag: '1.3.0' },
      { name: 'ghcr.io/epicshelter/worker', newTag: '0.9.0' },
    ]);
  });

  it.each([
    {
      name: 'a single workload with config',
      request: { workloads: ['orders-api'], copyConfig: true },
      overrides: {
        'orders-api': { imageTag: '1.3.0', replicas: 3 },
        worker: { imageTag: '0.9.0' },
      },
      promoted: ['orders-api'],
      files: [
        'environments/staging/environment.yaml',
        'environments/staging/workloads/kustomization.yaml',
        'environments/staging/workloads/patches/orders-api.yaml',
      ],
    },
    {
      name: 'all that differ (storefront only in A, worker equal)',
      request: {},
      overrides: {
        'orders-api': { imageTag: '1.3.0', replicas: 2 },
        worker: { imageTag: '0.9.0' },
      },
      promoted: ['orders-api'],
      files: [
        'environments/staging/environment.yaml',
        'environments/staging/workloads/kustomization.yaml',
      ],
    },
    {
      name: 'all that differ with config (worker already equal)',
      request: { copyConfig: true, workloads: [] },
      overrides: {
        'orders-api': { imageTag: '1.3.0', replicas: 3 },
        worker: { imageTag: '0.9.0' },
      },
      promoted: ['orders-api'],
      files: [
        'environments/staging/environment.yaml',
        'environments/staging/workloads/kustomization.yaml',
        'environments/staging/workloads/patches/orders-api.yaml',
      ],
    },
  ])('promotes $name', ({ request, overrides, promoted, files }) => {
    const plan = planPromotion({
      repo,
      from: 'dev',
      to: 'staging',
      ...request,
    });
    expect(plan.promotions.map(p => p.workload)).toEqual(promoted);
    expect(plan.changed.map(c => c.path)).toEqual(files);
    const doc = parse(plan.changed[0].content);
    expect(doc.spec.workloadOverrides).toEqual(overrides);
  });

  it('promotes a release between local and cloud environments', () => {
    const plan = planPromotion({
      repo,
      from: 'staging',
      to: 'prod',
      workloads: ['worker'],
    });
    expect(plan.promotions).toEqual([
      { workload: 'worker', fromTag: '0.9.0', previousTag: '0.8.0' },
    ]);
    expect(plan.owner).toBe('group:default/team-ops');
  });

  it('removes B\u2019s tag override when A runs the app base\u2019s tag', () => {
    const plan = planPromotion({
      repo,
      from: 'preview',
      to: 'prod',
      workloads: ['worker'],
    });
    expect(plan.promotions).toEqual([
      { workload: 'worker', fromTag: undefined, previousTag: '0.8.0' },
    ]);
    const doc = parse(plan.changed[0].content);
    expect(doc.spec.workloadOverrides).toEqual({
      'orders-api': { imageTag: '1.2.0' },
    });
    expect(
      parse(plan.changed[1].content).images.map(
        (i: { name: string }) => i.name,
      ),
    ).toEqual(['ghcr.io/epicshelter/orders-api']);
    // the cloud environment's cluster, bootstrap and attach files stay as they are
    expect(plan.changed.map(c => c.path)).toEqual([
      'environments/prod/environment.yaml',
      'environments/prod/workloads/kustomization.yaml',
    ]);
  });

  it('has nothing left to promote once the plan is applied', () => {
    const plan = planPromotion({
      repo,
      from: 'dev',
      to: 'staging',
      copyConfig: true,
    });
    const after = {
      ...repo,
      ...Object.fromEntries(plan.changed.map(c => [c.path, c.content])),
    };
    expect(() =>
      planPromotion({
        repo: after,
        from: 'dev',
        to: 'staging',
        copyConfig: true,
      }),
    ).toThrow(
      'staging already runs what dev runs for every workload both deploy (orders-api, worker); there is nothing to promote.',
    );
  });

  it.each([
    {
      name: 'the same environment',
      request: { from: 'dev', to: 'dev', workloads: ['orders-api'] },
      error:
        'Cannot promote from dev to dev: source and target are the same environment; choose a different target.',
    },
    {
      name: 'an unknown target',
      request: { from: 'dev', to: 'qa', workloads: ['orders-api'] },
      error:
        'The target environment qa does not exist in the GitOps repository (environments/qa/environment.yaml is missing); known environments: dev, preview, prod, staging.',
    },
    {
      name: 'an unknown source',
      request: { from: 'test', to: 'prod', workloads: ['orders-api'] },
      error: /^The source environment test does not exist/,
    },
    {
      name: 'a workload B does not deploy',
      request: { from: 'dev', to: 'staging', workloads: ['storefront'] },
      error:
        'staging does not deploy workload storefront (it deploys orders-api, worker); add the workload to staging before promoting into it.',
    },
    {
      name: 'a workload A does not deploy',
      request: { from: 'preview', to: 'staging', workloads: ['orders-api'] },
      error:
        'preview does not deploy workload orders-api, so it has no release of it to promote (it deploys storefront, worker).',
    },
    {
      name: 'a tag that is already there',
      request: { from: 'staging', to: 'prod', workloads: ['orders-api'] },
      error:
        'prod already runs orders-api at tag 1.2.0, as staging does; there is nothing to promote.',
    },
  ])('refuses $name with a clear InputError', ({ request, error }) => {
    let thrown: unknown;
    try {
      planPromotion({ repo, ...request });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ name: 'InputError' });
    expect((thrown as Error).message).toMatch(
      typeof error === 'string' ? new RegExp(`^${escape(error)}$`) : error,
    );
  });

  it('keeps hand-added metadata of the environment document', () => {
    const doc = parse(repo['environments/staging/environment.yaml']);
    doc.metadata.annotations = { 'example.com/note': 'kept' };
    const plan = planPromotion({
      repo: {
        ...repo,
        'environments/staging/environment.yaml': JSON.stringify(doc),
      },
      from: 'dev',
      to: 'staging',
      workloads: ['orders-api'],
    });
    expect(parse(plan.changed[0].content).metadata.annotations).toEqual({
      'example.com/note': 'kept',
    });
  });

  it('refuses to overwrite a hand-edited overlay', () => {
    const path = 'environments/staging/workloads/kustomization.yaml';
    expect(() =>
      planPromotion({
        repo: { ...repo, [path]: `${repo[path]}# edited\n` },
        from: 'dev',
        to: 'staging',
        workloads: ['orders-api'],
      }),
    ).toThrow(
      `${path} was edited by hand since it was generated; promoting would overwrite that edit. Promote by hand or restore the file.`,
    );
  });

  it('matches a regeneration from the promoted spec', () => {
    const plan = planPromotion({
      repo,
      from: 'dev',
      to: 'staging',
      copyConfig: true,
    });
    const spec = parseEnvironmentSpec(parse(plan.changed[0].content).spec);
    const regenerated = generateEnvironment(spec);
    for (const c of plan.changed) expect(regenerated[c.path]).toBe(c.content);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
