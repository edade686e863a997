import { LifecycleInput, computeLifecycle } from './lifecycle';
import { buildPromotionMatrix } from './matrix';
import { classifyRevision, describeRevision } from './revisions';

const COMMIT = 'c0ffee1234567890c0ffee1234567890c0ffee12';
const OLD = 'aaaaaaa234567890aaaaaaa234567890aaaaaaa2';

function input(over: Partial<LifecycleInput> = {}): LifecycleInput {
  return {
    environment: 'dev',
    changeBranch: 'epicshelter/dev',
    defaultBranch: 'main',
    templateRun: {
      id: 't1',
      status: 'completed',
      createdAt: '2026-01-01T10:00:00Z',
    },
    change: {
      kind: 'pull-request',
      number: 7,
      url: 'https://github.com/acme/gitops/pull/7',
      state: 'merged',
      createdAt: '2026-01-01T10:01:00Z',
      mergedAt: '2026-01-01T10:05:00Z',
    },
    commit: { sha: COMMIT, at: '2026-01-01T10:05:00Z' },
    expectedApplications: ['dev-workloads', 'dev-infrastructure'],
    applications: [
      {
        instance: 'local',
        name: 'dev-workloads',
        layer: 'workloads',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
        revision: COMMIT,
        containsCommit: true,
        lastSyncedAt: '2026-01-01T10:07:00Z',
      },
      {
        instance: 'local',
        name: 'dev-infrastructure',
        layer: 'infrastructure',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
        revision: COMMIT,
        containsCommit: true,
        lastSyncedAt: '2026-01-01T10:06:00Z',
      },
    ],
    resources: [{ kind: 'Database', name: 'dev-orders-db', status: 'ready' }],
    ...over,
  };
}

describe('computeLifecycle', () => {
  it('is ready when every step is done, with times', () => {
    const l = computeLifecycle(input());
    expect(l.state).toBe('ready');
    expect(l.blockedAt).toBeUndefined();
    expect(l.steps.map(s => [s.id, s.state, s.at])).toEqual([
      ['requested', 'done', '2026-01-01T10:00:00Z'],
      ['proposed', 'done', '2026-01-01T10:01:00Z'],
      ['merged', 'done', '2026-01-01T10:05:00Z'],
      ['synced', 'done', '2026-01-01T10:07:00Z'],
      ['ready', 'done', undefined],
    ]);
    expect(l.steps[2].message).toBe('Pull request #7 merged as c0ffee1');
  });

  it('is blocked at merge while the pull request is open', () => {
    const l = computeLifecycle(
      input({
        change: {
          kind: 'pull-request',
          number: 7,
          url: 'u',
          state: 'open',
          createdAt: '2026-01-01T10:01:00Z',
        },
        commit: undefined,
        applications: [],
        resources: [],
      }),
    );
    expect(l).toMatchObject({ state: 'in-progress', blockedAt: 'merged' });
    expect(l.reason).toBe(
      'Pull request #7 is open: waiting for review and merge into main',
    );
    expect(l.steps.map(s => s.state)).toEqual([
      'done',
      'done',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('fails when the pull request was closed without merging', () => {
    const l = computeLifecycle(
      input({
        change: {
          kind: 'pull-request',
          number: 7,
          url: 'u',
          state: 'closed',
          createdAt: 'x',
        },
        commit: undefined,
      }),
    );
    expect(l).toMatchObject({
      state: 'failed',
      blockedAt: 'proposed',
      reason: 'Pull request #7 was closed without merging',
    });
  });

  it('is blocked at sync when merged but Argo CD is still at an older revision', () => {
    const l = computeLifecycle(
      input({
        applications: [
          {
            instance: 'local',
            name: 'dev-workloads',
            layer: 'workloads',
            syncStatus: 'OutOfSync',
            healthStatus: 'Healthy',
            revision: OLD,
            containsCommit: false,
          },
          {
            instance: 'local',
            name: 'dev-infrastructure',
            layer: 'infrastructure',
            syncStatus: 'Synced',
            healthStatus: 'Healthy',
            revision: COMMIT,
            containsCommit: true,
          },
        ],
      }),
    );
    expect(l).toMatchObject({ state: 'in-progress', blockedAt: 'synced' });
    expect(l.reason).toBe(
      'dev-workloads on local is at revision aaaaaaa, which does not contain commit c0ffee1 yet (OutOfSync)',
    );
    expect(l.steps[4].state).toBe('pending');
  });

  it('is blocked at sync when the applications do not exist yet', () => {
    const l = computeLifecycle(input({ applications: [] }));
    expect(l.blockedAt).toBe('synced');
    expect(l.reason).toMatch(
      /^Argo CD application dev-workloads does not exist yet/,
    );
  });

  it('fails at sync when the sync operation failed', () => {
    const l = computeLifecycle(
      input({
        applications: [
          {
            instance: 'local',
            name: 'dev-workloads',
            layer: 'workloads',
            syncStatus: 'OutOfSync',
            healthStatus: 'Degraded',
            revision: COMMIT,
            containsCommit: true,
            operationPhase: 'Failed',
            operationMessage: 'one or more objects failed to apply',
          },
        ],
      }),
    );
    expect(l).toMatchObject({
      state: 'failed',
      blockedAt: 'synced',
      reason:
        'Sync of dev-workloads on local failed: one or more objects failed to apply',
    });
  });

  it('fails at ready when synced but a Crossplane resource is failing', () => {
    const l = computeLifecycle(
      input({
        resources: [
          { kind: 'Bucket', name: 'dev-assets', status: 'ready' },
          {
            kind: 'Database',
            name: 'dev-orders-db',
            status: 'failing',
            message: 'Synced=False ReconcileError: cannot create DB instance',
          },
        ],
      }),
    );
    expect(l).toMatchObject({ state: 'failed', blockedAt: 'ready' });
    expect(l.reason).toBe(
      'Database dev-orders-db is not ready: Synced=False ReconcileError: cannot create DB instance',
    );
    expect(l.steps[3].state).toBe('done');
  });

  it('waits at ready, not failed, while a failing resource is only being created', () => {
    const l = computeLifecycle(
      input({
        resources: [
          {
            kind: 'Database',
            name: 'dev-orders-db',
            status: 'failing',
            state: 'progressing',
            message: 'Ready=False (Creating)',
          },
        ],
      }),
    );
    expect(l).toMatchObject({ state: 'in-progress', blockedAt: 'ready' });
    expect(l.reason).toBe(
      'Database dev-orders-db is being created: Ready=False (Creating)',
    );
  });

  it('waits at ready while a resource is not created', () => {
    const l = computeLifecycle(
      input({
        resources: [
          { kind: 'Cache', name: 'dev-sessions', status: 'not-created' },
        ],
      }),
    );
    expect(l).toMatchObject({
      state: 'in-progress',
      blockedAt: 'ready',
      reason: 'Cache dev-sessions is not created in the cluster yet',
    });
  });

  it('treats a direct commit (local default) as skipping the pull request', () => {
    const l = computeLifecycle(
      input({ change: undefined, templateRun: undefined }),
    );
    expect(l.state).toBe('ready');
    expect(l.steps.slice(0, 3).map(s => s.state)).toEqual([
      'skipped',
      'skipped',
      'done',
    ]);
    expect(l.steps[2].message).toBe('Commit c0ffee1 on main');
  });

  it('is blocked at merge for a local branch that is not merged', () => {
    const l = computeLifecycle(
      input({
        change: { kind: 'branch', branch: 'epicshelter/dev', sha: COMMIT },
        commit: undefined,
      }),
    );
    expect(l).toMatchObject({
      blockedAt: 'merged',
      reason: 'Branch epicshelter/dev is not merged into main',
    });
  });

  it('reports a failed template run', () => {
    const l = computeLifecycle(
      input({
        templateRun: {
          id: 't9',
          status: 'failed',
          createdAt: 'x',
          error: 'validation failed',
        },
        change: undefined,
        commit: undefined,
      }),
    );
    expect(l).toMatchObject({
      state: 'failed',
      blockedAt: 'requested',
      reason: 'Task t9 failed: validation failed',
    });
  });
});

describe('revisions', () => {
  it('classifies and describes', () => {
    expect(
      describeRevision(classifyRevision('a', 'b', { aheadBy: 0, behindBy: 0 })),
    ).toBe('in sync');
    expect(
      describeRevision(classifyRevision('a', 'b', { aheadBy: 0, behindBy: 3 })),
    ).toBe('behind by 3 commits');
    expect(
      describeRevision(classifyRevision('a', 'b', { aheadBy: 1, behindBy: 0 })),
    ).toBe('ahead by 1 commit');
    expect(classifyRevision('a', 'b', { aheadBy: 1, behindBy: 2 }).status).toBe(
      'diverged',
    );
  });
});

describe('buildPromotionMatrix', () => {
  it('orders local before cloud and marks tag changes', () => {
    const m = buildPromotionMatrix([
      {
        name: 'prod',
        target: 'cloud',
        workloads: [{ name: 'orders-api', imageTag: '1.0.0' }],
        deployment: {
          instance: 'aws',
          syncStatus: 'Synced',
          healthStatus: 'Healthy',
          revision: 'r2',
        },
      },
      {
        name: 'dev',
        target: 'local',
        workloads: [
          { name: 'orders-api', imageTag: '1.1.0' },
          { name: 'storefront' },
        ],
      },
      {
        name: 'qa',
        target: 'cloud',
        workloads: [{ name: 'orders-api', imageTag: '1.1.0' }],
      },
    ]);
    expect(m.columns.map(c => c.name)).toEqual(['dev', 'prod', 'qa']);
    expect(m.rows.map(r => r.workload)).toEqual(['orders-api', 'storefront']);
    expect(
      m.rows[0].cells.map(
        c => c && [c.imageTag, c.differsFromPrevious, c.healthStatus],
      ),
    ).toEqual([
      ['1.1.0', false, undefined],
      ['1.0.0', true, 'Healthy'],
      ['1.1.0', true, undefined],
    ]);
    expect(m.rows[1].cells.map(c => c?.imageTag ?? null)).toEqual([
      'base',
      null,
      null,
    ]);
  });
});
