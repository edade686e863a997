import { identifierParts, messageParts } from './tableCells';

describe('identifierParts', () => {
  it('breaks kinds between the words of their CamelCase name, acronyms kept whole', () => {
    expect(identifierParts('ClusterProviderConfig')).toEqual([
      'Cluster',
      'Provider',
      'Config',
    ]);
    expect(identifierParts('ClusterSQLInstance')).toEqual([
      'Cluster',
      'SQL',
      'Instance',
    ]);
    expect(identifierParts('XObjectStorage')).toEqual(['XObject', 'Storage']);
    expect(identifierParts('Secret')).toEqual(['Secret']);
  });

  it('breaks names and paths after their separators, never inside a part', () => {
    expect(
      identifierParts('crossplane-contrib-provider-kubernetes-a1b2c3d4e5f6'),
    ).toEqual([
      'crossplane-',
      'contrib-',
      'provider-',
      'kubernetes-',
      'a1b2c3d4e5f6',
    ]);
    expect(identifierParts('shop/orders-db')).toEqual([
      'shop/',
      'orders-',
      'db',
    ]);
    expect(identifierParts('orders_api.yaml')).toEqual([
      'orders_',
      'api.',
      'yaml',
    ]);
    expect(identifierParts('a1b2c3d4e5f6').join('')).toBe('a1b2c3d4e5f6');
  });
});

describe('messageParts', () => {
  it('breaks dotted, slashed and key=value tokens before a letter; text unchanged', () => {
    const message =
      'cannot get referenced ClusterProviderConfig: ClusterProviderConfig.azure.m.upbound.io "team-b" not found';
    const parts = messageParts(message);
    expect(parts.join('')).toBe(message);
    expect(parts.slice(1)).toEqual([
      'azure.',
      'm.',
      'upbound.',
      'io "team-b" not found',
    ]);
    expect(messageParts('Synced=False (ReconcileError)')).toEqual([
      'Synced=',
      'False (ReconcileError)',
    ]);
  });

  it('leaves numbers, prose and line breaks alone', () => {
    expect(messageParts('version 1.5 is ready.\nNext line')).toEqual([
      'version 1.5 is ready.\nNext line',
    ]);
  });
});
