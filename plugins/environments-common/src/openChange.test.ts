import { openChangeOf, openChangeScope } from './openChange';
import { buildPromotionMatrix } from './matrix';

describe('openChangeOf', () => {
  const pr = {
    kind: 'pull-request' as const,
    number: 12,
    url: 'https://github.com/acme/gitops/pull/12',
    createdAt: '2026-12-06T10:00:00Z',
  };

  it('is an open or draft pull request', () => {
    expect(openChangeOf({ ...pr, state: 'open' })).toEqual({
      kind: 'pull-request',
      number: 12,
      url: 'https://github.com/acme/gitops/pull/12',
    });
    expect(openChangeOf({ ...pr, state: 'open', draft: true })).toMatchObject({
      draft: true,
    });
  });

  it('is not a merged or closed pull request', () => {
    expect(openChangeOf({ ...pr, state: 'merged' })).toBeUndefined();
    expect(openChangeOf({ ...pr, state: 'closed' })).toBeUndefined();
  });

  it('is a branch only while it is ahead of the GitOps branch', () => {
    const branch = {
      kind: 'branch' as const,
      branch: 'epicshelter/staging',
      sha: 'abc123',
    };
    expect(openChangeOf(branch, true)).toEqual({
      kind: 'branch',
      branch: 'epicshelter/staging',
      sha: 'abc123',
    });
    expect(openChangeOf(branch, false)).toBeUndefined();
    expect(openChangeOf(branch)).toBeUndefined();
  });

  it('is nothing without a change', () => {
    expect(openChangeOf(undefined)).toBeUndefined();
  });
});

describe('buildPromotionMatrix', () => {
  it('marks a cell with the open change only when the change touches its workload', () => {
    const openChange = {
      kind: 'branch' as const,
      branch: 'epicshelter/prod',
      sha: 'abc123',
      workloads: ['web'],
    };
    const matrix = buildPromotionMatrix([
      {
        name: 'prod',
        target: 'local',
        workloads: [{ name: 'api' }, { name: 'web' }],
        openChange,
      },
    ]);
    expect(matrix.rows.map(r => [r.workload, r.cells[0]?.openChange])).toEqual([
      ['api', undefined],
      ['web', openChange],
    ]);
  });

  it('passes each environment’s open change on to its column', () => {
    const openChange = {
      kind: 'branch' as const,
      branch: 'epicshelter/prod',
      sha: 'abc123',
    };
    const matrix = buildPromotionMatrix([
      { name: 'dev', target: 'local', workloads: [{ name: 'web' }] },
      {
        name: 'prod',
        target: 'local',
        workloads: [{ name: 'web' }],
        openChange,
      },
    ]);
    expect(matrix.columns.map(c => c.openChange)).toEqual([
      undefined,
      openChange,
    ]);
  });
});

describe('openChangeScope', () => {
  const doc = (
    overrides: Record<string, unknown>,
    workloads = ['api', 'web'],
  ) => ({
    spec: { workloads, workloadOverrides: overrides },
  });
  const file = (
    path: string,
    status: 'added' | 'modified' | 'removed' = 'modified',
  ) => ({
    path: `environments/staging/${path}`,
    status,
  });

  it('names the workloads whose override the environment document changes', () => {
    expect(
      openChangeScope({
        environment: 'staging',
        files: [file('environment.yaml'), file('workloads/kustomization.yaml')],
        before: doc({ api: { imageTag: '1.0' }, web: { imageTag: '2.0' } }),
        after: doc({ api: { imageTag: '1.1' }, web: { imageTag: '2.0' } }),
      }),
    ).toEqual({ workloads: ['api'], removesEnvironment: false });
  });

  it('names workloads added or removed, and those whose patch changes', () => {
    expect(
      openChangeScope({
        environment: 'staging',
        files: [
          file('environment.yaml'),
          file('workloads/patches/web.yaml'),
          file('workloads/patches/worker.yaml', 'added'),
        ],
        before: doc({}),
        after: doc({}, ['api', 'web', 'worker']),
      }),
    ).toEqual({ workloads: ['web', 'worker'], removesEnvironment: false });
  });

  it('ignores other environments’ files and a change that touches no workload', () => {
    expect(
      openChangeScope({
        environment: 'staging',
        files: [
          {
            path: 'environments/prod/workloads/patches/api.yaml',
            status: 'modified',
          },
          file('environment.yaml'),
        ],
        before: doc({ api: { imageTag: '1.0' } }),
        // an extension: only spec.expiry moves
        after: {
          spec: { ...doc({ api: { imageTag: '1.0' } }).spec, expiry: {} },
        },
      }),
    ).toEqual({ workloads: [], removesEnvironment: false });
  });

  it('is every workload when the environment document goes (a decommission)', () => {
    expect(
      openChangeScope({
        environment: 'staging',
        files: [
          file('environment.yaml', 'removed'),
          file('workloads/patches/api.yaml', 'removed'),
        ],
        before: doc({}),
      }),
    ).toEqual({ workloads: ['api', 'web'], removesEnvironment: true });
  });

  it('is every workload for a hand edit of the shared workloads kustomization', () => {
    expect(
      openChangeScope({
        environment: 'staging',
        files: [file('workloads/kustomization.yaml')],
        before: doc({}),
        after: doc({}),
      }).workloads,
    ).toEqual(['api', 'web']);
  });
});
