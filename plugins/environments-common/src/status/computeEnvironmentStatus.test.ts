import { computeLifecycle, LifecycleInput } from '../lifecycle';
import { computeEnvironmentStatus } from './computeEnvironmentStatus';
import type { EnvironmentStatusInput } from './types';

type App = EnvironmentStatusInput['applications'][number];

const app = (over: Partial<App> = {}): App => ({
  instance: 'local',
  name: 'dev-workloads',
  layer: 'workloads',
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  ...over,
});
const infra = (over: Partial<App> = {}) =>
  app({ name: 'dev-infrastructure', layer: 'infrastructure', ...over });

function input(
  over: Partial<EnvironmentStatusInput> = {},
): EnvironmentStatusInput {
  return {
    environment: 'dev',
    expectedApplications: ['dev-workloads', 'dev-infrastructure'],
    applications: [app(), infra()],
    resources: [{ kind: 'Database', name: 'dev-orders-db', status: 'ready' }],
    ...over,
  };
}

const SHA = 'c0ffee1234567890c0ffee1234567890c0ffee12';
const lifecycleInput: LifecycleInput = {
  environment: 'dev',
  changeBranch: 'epicshelter/dev',
  defaultBranch: 'main',
  commit: { sha: SHA },
  expectedApplications: ['dev-workloads', 'dev-infrastructure'],
  applications: [
    { ...app(), revision: SHA, containsCommit: true },
    { ...infra(), revision: SHA, containsCommit: true },
  ],
  resources: [{ kind: 'Database', name: 'dev-orders-db', status: 'ready' }],
};

describe('computeEnvironmentStatus', () => {
  it.each<[string, Partial<EnvironmentStatusInput>, string, string]>([
    [
      'healthy when every application, resource and the lifecycle agree',
      { lifecycle: computeLifecycle(lifecycleInput) },
      'Healthy',
      'All its 2 Argo CD applications are Synced and Healthy, its 1 Crossplane resource is Ready and its lifecycle is complete.',
    ],
    [
      'healthy without Crossplane (not available) and without lifecycle',
      { resources: undefined },
      'Healthy',
      'All its 2 Argo CD applications are Synced and Healthy.',
    ],
    [
      'the infrastructure application counts, not only workloads',
      { applications: [app(), infra({ healthStatus: 'Progressing' })] },
      'Progressing',
      'dev-infrastructure on Argo CD instance local is Progressing.',
    ],
    [
      'Failed beats Degraded and Progressing, whatever the order',
      {
        applications: [
          app({ healthStatus: 'Degraded', healthMessage: 'CrashLoopBackOff' }),
          infra({
            operationPhase: 'Failed',
            operationMessage: 'one or more objects failed to apply',
          }),
        ],
      },
      'Failed',
      'Sync of dev-infrastructure on Argo CD instance local failed: one or more objects failed to apply.',
    ],
    [
      'a failed lifecycle fails the environment even when Argo CD is green',
      {
        lifecycle: computeLifecycle({
          ...lifecycleInput,
          resources: [
            {
              kind: 'Database',
              name: 'dev-orders-db',
              status: 'failing',
              message: 'Synced=False ReconcileError',
            },
          ],
        }),
      },
      'Failed',
      'Lifecycle step “Resources ready” failed: Database dev-orders-db is not ready: Synced=False ReconcileError.',
    ],
    [
      'Degraded beats Progressing and OutOfSync',
      {
        applications: [
          app({ syncStatus: 'OutOfSync', healthStatus: 'Progressing' }),
          infra(),
        ],
        resources: [
          {
            kind: 'Bucket',
            name: 'dev-assets',
            status: 'failing',
            message: 'AccessDenied',
          },
        ],
      },
      'Degraded',
      'Bucket dev-assets is not ready: AccessDenied.',
    ],
    [
      'a resource that is only being created progresses',
      {
        resources: [
          {
            kind: 'Database',
            name: 'dev-orders-db',
            status: 'failing',
            state: 'progressing',
            message: 'Creating',
          },
        ],
      },
      'Progressing',
      'Database dev-orders-db is being created: Creating.',
    ],
    [
      'Progressing beats OutOfSync',
      {
        applications: [app({ syncStatus: 'OutOfSync' })],
      },
      'Progressing',
      'Argo CD application dev-infrastructure does not exist yet on any instance.',
    ],
    [
      'OutOfSync beats Unknown',
      {
        applications: [app({ syncStatus: 'OutOfSync' }), infra()],
        resources: [
          {
            kind: 'Cache',
            name: 'dev-sessions',
            status: 'unknown',
            message: 'cluster sandbox unreachable',
          },
        ],
      },
      'OutOfSync',
      'dev-workloads on Argo CD instance local is OutOfSync with the GitOps repository.',
    ],
    [
      'Unknown when Argo CD cannot be read at all',
      {
        applications: [],
        applicationsError: 'Argo CD applications could not be read: down',
      },
      'Unknown',
      'Argo CD applications could not be read: down.',
    ],
    [
      'a pending lifecycle step makes the environment progress, with its reason',
      {
        applications: [],
        lifecycle: computeLifecycle({
          ...lifecycleInput,
          commit: undefined,
          applications: [],
          change: { kind: 'branch', branch: 'epicshelter/dev', sha: SHA },
        }),
      },
      'Progressing',
      'Lifecycle step “On main”: Branch epicshelter/dev is not merged into main.',
    ],
  ])('%s', (_title, over, status, reason) => {
    const result = computeEnvironmentStatus(input(over));
    expect(result.status).toBe(status);
    expect(result.reason).toBe(reason);
    expect(result.environment).toBe('dev');
  });

  it('lists every finding worst first, and none when healthy', () => {
    const result = computeEnvironmentStatus(
      input({
        applications: [
          app({ syncStatus: 'OutOfSync' }),
          infra({ healthStatus: 'Degraded' }),
        ],
        resources: [
          { kind: 'Database', name: 'dev-orders-db', status: 'not-created' },
        ],
      }),
    );
    expect(result.findings.map(f => [f.status, f.source])).toEqual([
      ['Degraded', 'application'],
      ['Progressing', 'resource'],
      ['OutOfSync', 'application'],
    ]);
    expect(computeEnvironmentStatus(input()).findings).toEqual([]);
  });
});
