import { REDACTED, redactObject } from './redact';
import { firstFailingCondition } from './conditions';

describe('redactObject', () => {
  it('redacts credential-looking atProvider/forProvider fields, keeps secret references by name', () => {
    const obj = {
      apiVersion: 'rds.aws.m.upbound.io/v1beta1',
      kind: 'Instance',
      metadata: {
        name: 'db',
        managedFields: [{ manager: 'x' }],
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"password":"x"}',
        },
      },
      spec: {
        forProvider: {
          username: 'orders',
          password: 'p',
          passwordSecretRef: { name: 'db-pw', key: 'password' },
        },
        writeConnectionSecretToRef: { name: 'db-conn' },
      },
      status: {
        atProvider: {
          address: 'db.example',
          masterUserSecret: [{ secretArn: 'arn:x' }],
          authToken: 'tok',
          kubeconfig: 'apiVersion: v1',
          endpoint: 'postgres://admin:s3cr3t@db.example:5432/app',
          port: 5432,
        },
      },
    };
    const r: any = redactObject(obj);
    expect(r.metadata.managedFields).toBeUndefined();
    expect(r.metadata.annotations).toEqual({});
    expect(r.spec.forProvider).toEqual({
      username: 'orders',
      password: REDACTED,
      passwordSecretRef: { name: 'db-pw', key: 'password' },
    });
    expect(r.spec.writeConnectionSecretToRef).toEqual({ name: 'db-conn' });
    expect(r.status.atProvider).toEqual({
      address: 'db.example',
      masterUserSecret: REDACTED,
      authToken: REDACTED,
      kubeconfig: REDACTED,
      endpoint: REDACTED,
      port: 5432,
    });
    expect(obj.status.atProvider.authToken).toBe('tok'); // input untouched
  });
});

describe('firstFailingCondition', () => {
  it('prefers Synced, then Ready, then any False condition', () => {
    expect(
      firstFailingCondition([
        { type: 'Ready', status: 'False' },
        { type: 'Synced', status: 'False', reason: 'ReconcileError' },
      ])?.type,
    ).toBe('Synced');
    expect(
      firstFailingCondition([
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'True' },
        { type: 'LastAsyncOperation', status: 'False' },
      ])?.type,
    ).toBe('LastAsyncOperation');
    expect(
      firstFailingCondition([
        { type: 'Ready', status: 'True' },
        { type: 'Synced', status: 'True' },
      ]),
    ).toBeUndefined();
  });
});
