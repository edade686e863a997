import type { KubeObject } from './kubeObjects';
import {
  ResourceVersionGone,
  WatchErrorEvent,
  applyWatchEvent,
  diffObjects,
  objectKey,
} from './watchEvents';

const kind = {
  group: 'rds.aws.m.upbound.io',
  version: 'v1beta1',
  kind: 'Instance',
  plural: 'instances',
};

const obj = (name: string, resourceVersion: string): KubeObject => ({
  apiVersion: 'rds.aws.m.upbound.io/v1beta1',
  kind: 'Instance',
  metadata: { name, namespace: 'dev', resourceVersion },
});

const store = (...objects: KubeObject[]) =>
  new Map(objects.map(o => [objectKey(o), o]));

describe('applyWatchEvent', () => {
  it('adds, modifies and deletes, and reports each as a change', () => {
    const objects = store();
    expect(
      applyWatchEvent(objects, { type: 'ADDED', object: obj('a', '2') }, kind),
    ).toEqual({
      resourceVersion: '2',
      change: { type: 'ADDED', object: obj('a', '2') },
    });
    expect(
      applyWatchEvent(
        objects,
        { type: 'MODIFIED', object: obj('a', '3') },
        kind,
      ).change?.type,
    ).toBe('MODIFIED');
    expect(
      applyWatchEvent(objects, { type: 'DELETED', object: obj('a', '4') }, kind)
        .change?.type,
    ).toBe('DELETED');
    expect(objects.size).toBe(0);
  });

  it('moves the version on a bookmark and drops managedFields', () => {
    const objects = store();
    expect(
      applyWatchEvent(
        objects,
        { type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } },
        kind,
      ),
    ).toEqual({ resourceVersion: '9' });
    applyWatchEvent(
      objects,
      {
        type: 'ADDED',
        object: {
          ...obj('a', '10'),
          metadata: { ...obj('a', '10').metadata, managedFields: [{}] },
        },
      },
      kind,
    );
    expect(objects.get('dev/a')!.metadata).not.toHaveProperty('managedFields');
  });

  it('reports no change for an event it already has (same resourceVersion) or a deletion of an unknown object', () => {
    const objects = store(obj('a', '2'));
    expect(
      applyWatchEvent(
        objects,
        { type: 'MODIFIED', object: obj('a', '2') },
        kind,
      ).change,
    ).toBeUndefined();
    expect(
      applyWatchEvent(objects, { type: 'DELETED', object: obj('b', '3') }, kind)
        .change,
    ).toBeUndefined();
  });

  it('throws ResourceVersionGone on a 410 ERROR event, an Error on others', () => {
    const error = (code: number) => () =>
      applyWatchEvent(
        store(),
        {
          type: 'ERROR',
          object: { code, message: 'too old resource version' },
        },
        kind,
      );
    expect(error(410)).toThrow(ResourceVersionGone);
    expect(error(500)).toThrow(/watch error 500: too old/);
    expect(error(500)).toThrow(WatchErrorEvent);
    expect(error(500)).not.toThrow(ResourceVersionGone);
  });
});

describe('diffObjects', () => {
  it('finds what a relist changed: added, modified (by resourceVersion), deleted', () => {
    const before = store(
      obj('same', '1'),
      obj('changed', '1'),
      obj('gone', '1'),
    );
    const after = store(obj('same', '1'), obj('changed', '5'), obj('new', '6'));
    expect(
      diffObjects(before, after).map(
        c => `${c.type} ${c.object.metadata.name}`,
      ),
    ).toEqual(['MODIFIED changed', 'ADDED new', 'DELETED gone']);
  });
});
