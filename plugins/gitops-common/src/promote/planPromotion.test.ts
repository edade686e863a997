import { parse } from 'yaml';
import { generateEnvironment } from '../generator';
import { parseEnvironmentSpec } from '../spec';
import { planPromotion } from './planPromotion';
import { promotionFixture } from './promotionFixture';

const repo = promotionFixture();

describe('planPromotion', () => {
  const envFile = (env: string) => `environments/${env}/environment.yaml`;
  const overlayFile = (env: string) =>
    `environments/${env}/workloads/kustomization.yaml`;
  const ORDERS_PATCH = 'environments/staging/workloads/patches/orders-api.yaml';
  const image = (workload: string, newTag: string) => ({
    name: `ghcr.io/epicshelter/${workload}`,
    newTag,
  });

  /** dev's orders-api release promoted into staging: tag only, or with config. */
  const ORDERS_API_TAG = {
    promotions: [
      { workload: 'orders-api', fromTag: '1.3.0', previousTag: '1.2.0' },
    ],
    owner: 'group:default/team-b',
    files: [envFile('staging'), overlayFile('staging')],
    overrides: {
      'orders-api': { replicas: 2, imageTag: '1.3.0' },
      worker: { imageTag: '0.9.0' },
    },
    images: [image('orders-api', '1.3.0'), image('worker', '0.9.0')],
  };
  const ORDERS_API_WITH_CONFIG = {
    ...ORDERS_API_TAG,
    promotions: [
      { ...ORDERS_API_TAG.promotions[0], replicas: { before: 2, after: 3 } },
    ],
    files: [...ORDERS_API_TAG.files, ORDERS_PATCH],
    overrides: {
      'orders-api': { imageTag: '1.3.0', replicas: 3 },
      worker: { imageTag: '0.9.0' },
    },
  };

  it.each([
    {
      // replicas stays B's own: config is copied only when asked
      name: 'B to A\u2019s image tag and changes nothing else',
      request: { from: 'dev', to: 'staging', workloads: ['orders-api'] },
      ...ORDERS_API_TAG,
    },
    {
      name: 'a single workload with config',
      request: {
        from: 'dev',
        to: 'staging',
        workloads: ['orders-api'],
        copyConfig: true,
      },
      ...ORDERS_API_WITH_CONFIG,
    },
    {
      name: 'all that differ (storefront only in A, worker equal)',
      request: { from: 'dev', to: 'staging' },
      ...ORDERS_API_TAG,
    },
    {
      name: 'all that differ with config (worker already equal)',
      request: { from: 'dev', to: 'staging', copyConfig: true, workloads: [] },
      ...ORDERS_API_WITH_CONFIG,
    },
    {
      name: 'a release between local and cloud environments',
      request: { from: 'staging', to: 'prod', workloads: ['worker'] },
      promotions: [
        { workload: 'worker', fromTag: '0.9.0', previousTag: '0.8.0' },
      ],
      owner: 'group:default/team-ops',
      files: [envFile('prod'), overlayFile('prod')],
      overrides: {
        'orders-api': { imageTag: '1.2.0' },
        worker: { imageTag: '0.9.0' },
      },
      images: [image('orders-api', '1.2.0'), image('worker', '0.9.0')],
    },
    {
      // the cloud environment's cluster, bootstrap and attach files stay as they are
      name: 'the app base\u2019s tag by removing B\u2019s tag override',
      request: { from: 'preview', to: 'prod', workloads: ['worker'] },
      promotions: [
        { workload: 'worker', fromTag: undefined, previousTag: '0.8.0' },
      ],
      owner: 'group:default/team-ops',
      files: [envFile('prod'), overlayFile('prod')],
      overrides: { 'orders-api': { imageTag: '1.2.0' } },
      images: [image('orders-api', '1.2.0')],
    },
  ])(
    'promotes $name',
    ({ request, promotions, owner, files, overrides, images }) => {
      const plan = planPromotion({ repo, ...request });
      expect(plan.promotions).toEqual(promotions);
      expect(plan.owner).toBe(owner);
      expect(plan.changed.map(c => c.path)).toEqual(files);
      const doc = parse(plan.changed[0].content);
      expect(doc.spec.workloadOverrides).toEqual(overrides);
      expect(parse(plan.changed[1].content).images).toEqual(images);
    },
  );

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
