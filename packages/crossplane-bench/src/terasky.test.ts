import { eventsQuery, p95, v2GraphQuery } from './terasky';

const xr = {
  apiVersion: 'platform.epicshelter.io/v1alpha1',
  kind: 'Database',
  metadata: { name: 'orders-db', namespace: 'bench' },
};

describe('v2GraphQuery', () => {
  it('splits the apiVersion into group and version', () => {
    const q = new URLSearchParams(
      v2GraphQuery('c1', xr, 'databases', 'Namespaced'),
    );
    expect(Object.fromEntries(q)).toEqual({
      clusterName: 'c1',
      namespace: 'bench',
      name: 'orders-db',
      group: 'platform.epicshelter.io',
      version: 'v1alpha1',
      plural: 'databases',
      scope: 'Namespaced',
    });
  });

  it('rejects a core apiVersion and a namespaced XR without namespace', () => {
    expect(() =>
      v2GraphQuery('c1', { ...xr, apiVersion: 'v1' }, 'databases', 'Cluster'),
    ).toThrow(/without a group/);
    expect(() =>
      v2GraphQuery(
        'c1',
        { ...xr, metadata: { name: 'x' } },
        'databases',
        'Namespaced',
      ),
    ).toThrow(/no metadata.namespace/);
  });
});

describe('eventsQuery', () => {
  it('uses the object namespace, else the fallback', () => {
    expect(eventsQuery('c1', xr, 'other')).toBe(
      'clusterName=c1&namespace=bench&resourceName=orders-db&resourceKind=Database',
    );
    expect(
      new URLSearchParams(
        eventsQuery('c1', { ...xr, metadata: { name: 'a b' } }, 'other'),
      ).get('namespace'),
    ).toBe('other');
  });
});

describe('p95', () => {
  it('takes the nearest rank and does not reorder its input', () => {
    const samples = [5, ...Array.from({ length: 19 }, (_, i) => i + 10)];
    expect(p95(samples)).toBe(27);
    expect(samples[0]).toBe(5);
    expect(p95([3])).toBe(3);
  });

  it('throws on an empty sample', () => {
    expect(() => p95([])).toThrow(/empty sample/);
  });
});
