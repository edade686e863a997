import { REDACTED, redactObject } from './redact';
import { firstFailingCondition } from './conditions';
import { compareDesiredLive } from './compare';
import { classifyStatus } from './status';
import type { CrossplaneClusterResult, CrossplaneNode } from './types';

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

describe('redactObject by structure', () => {
  it('redacts helm set values that are credentials or come from a Secret, keeps the rest', () => {
    const r: any = redactObject({
      apiVersion: 'helm.m.crossplane.io/v1beta1',
      kind: 'Release',
      metadata: { name: 'db' },
      spec: {
        forProvider: {
          set: [
            { name: 'auth.postgresPassword', value: 'p1' },
            {
              name: 'auth.replication',
              value: 'p2',
              valueFrom: { secretKeyRef: { name: 's', key: 'k' } },
            },
            { name: 'image.tag', value: '16.4' },
            { name: 'commonLabels.key', value: 'orders' },
          ],
          values: { auth: { password: 'p3', username: 'u' } },
        },
      },
    });
    expect(r.spec.forProvider.set.map((s: any) => s.value)).toEqual([
      REDACTED,
      REDACTED,
      '16.4',
      'orders',
    ]);
    expect(r.spec.forProvider.set[1].valueFrom.secretKeyRef).toEqual({
      name: 's',
      key: 'k',
    });
    expect(r.spec.forProvider.values.auth).toEqual({
      password: REDACTED,
      username: 'u',
    });
  });

  it('redacts Secrets wrapped in provider-kubernetes Objects (spec and status), keys kept', () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': '{"data":1}',
        },
      },
      data: { token: 'dG9r' },
      stringData: { user: 'admin' },
    };
    const r: any = redactObject({
      apiVersion: 'kubernetes.m.crossplane.io/v1alpha1',
      kind: 'Object',
      metadata: { name: 'o' },
      spec: { forProvider: { manifest: secret } },
      status: { atProvider: { manifest: secret } },
    });
    for (const m of [
      r.spec.forProvider.manifest,
      r.status.atProvider.manifest,
    ]) {
      expect(m.data).toEqual({ token: REDACTED });
      expect(m.stringData).toEqual({ user: REDACTED });
      expect(m.metadata.annotations).toEqual({});
    }
    // a wrapped ConfigMap is not a Secret
    const cm: any = redactObject({
      kind: 'Object',
      spec: {
        forProvider: {
          manifest: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } },
        },
      },
    });
    expect(cm.spec.forProvider.manifest.data).toEqual({ a: 'b' });
  });

  it('keeps names that only look sensitive: tag keys, identifiers, key names, credential sources', () => {
    const forProvider = {
      tags: [{ key: 'team', value: 'orders' }],
      tagsMap: { key: 'value' },
      keyName: 'ssh-key',
      kmsKeyId: 'arn:aws:kms:eu-west-1:1:key/abc',
      caCertificateIdentifier: 'rds-ca-rsa2048-g1',
      passwordLength: 32,
      secretArn: 'arn:aws:secretsmanager:x',
      credentials: {
        source: 'Secret',
        secretRef: {
          name: 'aws',
          namespace: 'crossplane-system',
          key: 'creds',
        },
      },
    };
    const r: any = redactObject({ kind: 'X', spec: { forProvider } });
    expect(r.spec.forProvider).toEqual(forProvider);
  });
});

describe('compareDesiredLive', () => {
  const node = (name: string, conditions: any[]): CrossplaneNode => ({
    id: `c:g/XR:ns:${name}`,
    cluster: 'c',
    apiVersion: 'g/v1',
    kind: 'XR',
    name,
    namespace: 'ns',
    role: 'composite',
    conditions,
    ready: 'Unknown',
    synced: 'Unknown',
    status: classifyStatus({ conditions }),
    labels: {},
  });
  const cluster = (nodes: CrossplaneNode[]): CrossplaneClusterResult => ({
    cluster: 'c',
    nodes,
    edges: [],
    roots: nodes.map(n => n.id),
    requestCount: 0,
  });
  const creating = node('a', [
    { type: 'Ready', status: 'False', reason: 'Creating' },
    { type: 'Synced', status: 'True' },
  ]);

  it('calls a live root not declared only when the desired state was read', () => {
    expect(compareDesiredLive([], [cluster([creating])])[0]).toMatchObject({
      status: 'not-declared',
      state: 'progressing',
      reason: 'Creating',
    });
    const [entry] = compareDesiredLive([], [cluster([creating])], {
      desiredError: 'No GitOps repository configured',
    });
    expect(entry).toMatchObject({ status: 'unknown', state: 'progressing' });
    expect(entry.message).toBe(
      'Desired state unavailable (No GitOps repository configured): cannot tell whether it is declared',
    );
  });

  it('tells a declared resource being created from a failing one', () => {
    const desired = [
      { apiVersion: 'g/v1', kind: 'XR', name: 'a', namespace: 'ns', path: 'x' },
    ];
    expect(compareDesiredLive(desired, [cluster([creating])])[0]).toMatchObject(
      {
        status: 'failing',
        state: 'progressing',
        reason: 'Creating',
        message: 'Ready=False (Creating)',
      },
    );
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
