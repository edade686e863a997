import { NO_CONDITIONS, classifyStatus, conditionsOf } from './status';
import type { CrossplaneStatusInput } from './status';
import type { CrossplaneCondition } from './types';

const c = (
  type: string,
  status: string,
  reason?: string,
  message?: string,
): CrossplaneCondition => ({
  type,
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

const ready = c('Ready', 'True', 'Available');
const synced = c('Synced', 'True', 'ReconcileSuccess');

describe('classifyStatus', () => {
  const cases: [string, CrossplaneStatusInput, string, string | undefined][] = [
    [
      'ready and synced',
      { conditions: [ready, synced] },
      'healthy',
      'Available',
    ],
    [
      'creating is progress',
      { conditions: [c('Ready', 'False', 'Creating'), synced] },
      'progressing',
      'Creating',
    ],
    [
      'sync error is failure, even while Ready',
      {
        conditions: [
          ready,
          c('Synced', 'False', 'ReconcileError', 'cannot update'),
        ],
      },
      'failing',
      'ReconcileError',
    ],
    [
      'unavailable is failure',
      { conditions: [c('Ready', 'False', 'Unavailable'), synced] },
      'failing',
      'Unavailable',
    ],
    [
      'a creating resource that cannot sync is failing',
      {
        conditions: [
          c('Ready', 'False', 'Creating'),
          c('Synced', 'False', 'ReconcileError'),
        ],
      },
      'failing',
      'ReconcileError',
    ],
    [
      'paused by reason',
      { conditions: [ready, c('Synced', 'False', 'ReconcilePaused')] },
      'paused',
      'ReconcilePaused',
    ],
    [
      'paused by annotation, before any condition',
      { conditions: [], paused: true },
      'paused',
      'ReconcilePaused',
    ],
    [
      'deleting by reason',
      { conditions: [c('Ready', 'False', 'Deleting'), synced] },
      'deleting',
      'Deleting',
    ],
    [
      'deleting by timestamp wins over paused and failing',
      {
        conditions: [c('Synced', 'False', 'ReconcileError')],
        deletionTimestamp: '2026-01-10T10:00:00Z',
        paused: true,
      },
      'deleting',
      'Deleting',
    ],
    ['no conditions', { conditions: [] }, 'unknown', undefined],
    [
      'synced, Ready not reported yet',
      { conditions: [synced] },
      'progressing',
      'WaitingForReady',
    ],
    [
      'Ready Unknown',
      { conditions: [c('Ready', 'Unknown'), synced] },
      'progressing',
      'Ready=Unknown',
    ],
    [
      'healthy package',
      {
        conditions: [
          c('Installed', 'True', 'ActivePackageRevision'),
          c('Healthy', 'True', 'HealthyPackageRevision'),
        ],
        kind: 'package',
      },
      'healthy',
      'HealthyPackageRevision',
    ],
    [
      'unhealthy package',
      {
        conditions: [
          c('Installed', 'True', 'ActivePackageRevision'),
          c('Healthy', 'False', 'UnhealthyPackageRevision', 'crash loop'),
        ],
        kind: 'package',
      },
      'failing',
      'UnhealthyPackageRevision',
    ],
    [
      'package being unpacked',
      {
        conditions: [c('Installed', 'False', 'UnpackingPackage')],
        kind: 'package',
      },
      'progressing',
      'UnpackingPackage',
    ],
    [
      'package health not known yet',
      {
        conditions: [
          c('Installed', 'True', 'ActivePackageRevision'),
          c('Healthy', 'Unknown', 'UnknownPackageRevisionHealth'),
        ],
        kind: 'package',
      },
      'progressing',
      'UnknownPackageRevisionHealth',
    ],
    [
      'a ProviderConfig exists',
      { conditions: [], kind: 'provider-config' },
      'healthy',
      'Exists',
    ],
  ];

  it.each(cases)('%s', (_name, input, health, reason) => {
    const status = classifyStatus(input);
    expect(status.health).toBe(health);
    expect(status.reason).toBe(reason);
  });

  it('says "No conditions reported yet" only when there are none', () => {
    expect(classifyStatus({ conditions: [] }).message).toBe(NO_CONDITIONS);
    const withConditions = cases.filter(([, i]) => i.conditions.length > 0);
    expect(withConditions.length).toBeGreaterThan(10);
    for (const [, input] of withConditions) {
      expect(classifyStatus(input).message).not.toBe(NO_CONDITIONS);
    }
  });

  it('describes the deciding condition with its message', () => {
    expect(
      classifyStatus({
        conditions: [
          ready,
          c('Synced', 'False', 'ReconcileError', 'boom\nline 2'),
        ],
      }).message,
    ).toBe('Synced=False (ReconcileError): boom\nline 2');
  });
});

describe('conditionsOf', () => {
  it('reads status.conditions and the legacy status.conditionedStatus.conditions', () => {
    expect(
      conditionsOf({ conditions: [{ type: 'Ready', status: 'True' }] }),
    ).toEqual([{ type: 'Ready', status: 'True' }]);
    expect(
      conditionsOf({
        conditionedStatus: {
          conditions: [{ type: 'Ready', status: 'False', reason: 'Creating' }],
        },
      }),
    ).toEqual([{ type: 'Ready', status: 'False', reason: 'Creating' }]);
    expect(conditionsOf(undefined)).toEqual([]);
    expect(conditionsOf({ conditions: 'nonsense' })).toEqual([]);
  });
});
