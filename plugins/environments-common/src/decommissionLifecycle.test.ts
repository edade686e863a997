import {
  DecommissionLifecycleInput,
  computeDecommissionLifecycle,
} from './decommissionLifecycle';

const base: DecommissionLifecycleInput = {
  environment: 'qa',
  changeBranch: 'epicshelter/qa',
  defaultBranch: 'main',
  inRepository: true,
  applications: [
    { kind: 'Application', name: 'qa-workloads', namespace: 'argocd' },
    { kind: 'Application', name: 'qa-infrastructure', namespace: 'argocd' },
  ],
  resources: [
    { kind: 'Database', name: 'qa-orders-db', namespace: 'qa', owned: false },
    { kind: 'Bucket', name: 'qa-assets', namespace: 'qa', owned: false },
  ],
  orphaned: [],
  entityPresent: true,
  now: '2026-12-06T10:00:00Z',
};
const pr = {
  kind: 'pull-request' as const,
  number: 7,
  url: 'https://github.com/o/r/pull/7',
  createdAt: '2026-12-06T09:00:00Z',
};
const states = (input: DecommissionLifecycleInput) =>
  computeDecommissionLifecycle(input).steps.map(s => s.state);

describe('computeDecommissionLifecycle', () => {
  it('waits for a change while none is proposed', () => {
    const l = computeDecommissionLifecycle(base);
    expect(l).toMatchObject({
      state: 'in-progress',
      blockedAt: 'proposed',
      reason: 'No decommission change found on branch epicshelter/qa',
    });
  });

  it('follows the change: proposed, then merged, then Argo CD pruning', () => {
    const open = { ...base, change: { ...pr, state: 'open' as const } };
    expect(computeDecommissionLifecycle(open)).toMatchObject({
      blockedAt: 'merged',
      reason: 'Waiting for pull request #7 to be reviewed and merged into main',
    });
    const merged = {
      ...open,
      change: {
        ...pr,
        state: 'merged' as const,
        mergedAt: '2026-12-06T09:30:00Z',
      },
      inRepository: false,
      head: { sha: 'abcdef1234567' },
    };
    expect(states(merged)).toEqual([
      'done',
      'done',
      'pending',
      'pending',
      'pending',
    ]);
    expect(computeDecommissionLifecycle(merged).reason).toBe(
      'Waiting: Application argocd/qa-workloads still exists; Application argocd/qa-infrastructure still exists',
    );
  });

  it('reaches removed when applications, resources and entity are gone', () => {
    const l = computeDecommissionLifecycle({
      ...base,
      change: { kind: 'branch', branch: 'epicshelter/qa', sha: 'abc1234' },
      inRepository: false,
      applications: [],
      resources: [],
      entityPresent: false,
    });
    expect(l.state).toBe('removed');
    expect(l.blockedAt).toBeUndefined();
  });

  it('says where a deletion is stuck: the object, how long, the finalizer', () => {
    const l = computeDecommissionLifecycle({
      ...base,
      inRepository: false,
      applications: [],
      resources: [
        {
          kind: 'Database',
          name: 'qa-orders-db',
          namespace: 'qa',
          deletionTimestamp: '2026-12-06T09:40:00Z',
          finalizers: ['finalizer.managedresource.crossplane.io'],
          message: 'cannot delete: DB instance has deletion protection',
        },
      ],
    });
    expect(l).toMatchObject({
      state: 'stuck',
      blockedAt: 'resources-gone',
      reason:
        'Stuck: Database qa/qa-orders-db is stuck deleting (requested 20 min ago; finalizer finalizer.managedresource.crossplane.io still set): cannot delete: DB instance has deletion protection',
    });
  });

  it('a recent deletion is only in progress', () => {
    const l = computeDecommissionLifecycle({
      ...base,
      inRepository: false,
      applications: [
        {
          kind: 'Application',
          name: 'qa-workloads',
          deletionTimestamp: '2026-12-06T09:58:00Z',
        },
      ],
    });
    expect(l).toMatchObject({
      state: 'in-progress',
      blockedAt: 'pruned',
      reason:
        'Waiting: Application qa-workloads is being deleted (requested 2 min ago)',
    });
  });

  it('orphaned resources stay, owned by nothing, and do not block', () => {
    const l = computeDecommissionLifecycle({
      ...base,
      inRepository: false,
      applications: [],
      resources: [
        {
          kind: 'Database',
          name: 'qa-orders-db',
          namespace: 'qa',
          owned: false,
        },
      ],
      orphaned: ['Database/qa-orders-db'],
      entityPresent: false,
    });
    expect(l.state).toBe('removed');
    expect(l.steps[3].message).toBe(
      'All deleted except what was kept as chosen: Database qa/qa-orders-db (orphaned, owned by nothing)',
    );
  });

  it('an orphaned resource still owned is not kept yet', () => {
    expect(
      computeDecommissionLifecycle({
        ...base,
        inRepository: false,
        applications: [],
        resources: [
          {
            kind: 'Database',
            name: 'qa-orders-db',
            namespace: 'qa',
            owned: true,
          },
        ],
        orphaned: ['Database/qa-orders-db'],
      }).blockedAt,
    ).toBe('resources-gone');
  });

  it('a closed pull request stops the decommission', () => {
    const l = computeDecommissionLifecycle({
      ...base,
      change: { ...pr, state: 'closed' },
    });
    expect(l).toMatchObject({ state: 'stuck', blockedAt: 'proposed' });
    expect(l.reason).toMatch(/closed without merging; the environment stays/);
  });

  it('unknown readings are unknown, not done', () => {
    expect(
      states({
        ...base,
        inRepository: undefined,
        changeError: 'GitHub is down',
        applicationsError: 'Argo CD instance local: unreachable',
        resourcesError: 'Crossplane resources could not be read',
      }),
    ).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'pending']);
  });
});
