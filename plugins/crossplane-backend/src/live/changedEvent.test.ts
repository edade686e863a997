import { toChangedEvent } from './changedEvent';

describe('toChangedEvent', () => {
  it('carries identity, labels and the Ready/Synced conditions, nothing of spec, annotations or status otherwise', () => {
    const event = toChangedEvent('prod', {
      type: 'MODIFIED',
      object: {
        apiVersion: 'rds.aws.m.upbound.io/v1beta1',
        kind: 'Instance',
        metadata: {
          name: 'db',
          namespace: 'dev',
          labels: { 'epicshelter.io/environment': 'dev' },
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': 'x',
          },
        },
        spec: { forProvider: { password: 'hunter2' } },
        status: {
          atProvider: { endpoint: 'db.internal' },
          conditions: [
            { type: 'Ready', status: 'True', reason: 'Available' },
            {
              type: 'Synced',
              status: 'False',
              reason: 'ReconcileError',
              message: 'quota exceeded',
            },
          ],
        },
      },
    });
    expect(event).toEqual({
      type: 'MODIFIED',
      cluster: 'prod',
      apiVersion: 'rds.aws.m.upbound.io/v1beta1',
      kind: 'Instance',
      namespace: 'dev',
      name: 'db',
      labels: { 'epicshelter.io/environment': 'dev' },
      ready: 'True',
      synced: 'False',
      reason: 'ReconcileError',
      message: 'quota exceeded',
    });
  });

  it('leaves out what the object does not say (cluster-scoped, no conditions)', () => {
    expect(
      toChangedEvent('prod', {
        type: 'DELETED',
        object: { apiVersion: 'v1', kind: 'X', metadata: { name: 'x' } },
      }),
    ).toEqual({
      type: 'DELETED',
      cluster: 'prod',
      apiVersion: 'v1',
      kind: 'X',
      name: 'x',
      labels: {},
    });
  });
});
