import { openChangeOf } from './openChange';
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
