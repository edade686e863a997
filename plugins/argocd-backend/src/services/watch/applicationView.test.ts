import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import {
  ApplicationView,
  applicationKey,
  applyWatchEvent,
  changeFromStreamLine,
  resyncView,
} from './applicationView';
import { jsonLines } from './streamLines';
import { retryDelay } from './InstanceWatch';

const app = (
  name: string,
  rv: number,
  health = 'Healthy',
): ArgoCdApplication => ({
  metadata: { name, namespace: 'argocd', resourceVersion: String(rv) },
  status: { health: { status: health } },
});
const viewOf = (...apps: ArgoCdApplication[]): ApplicationView => ({
  apps: new Map(apps.map(a => [applicationKey(a), a])),
  resourceVersion: String(
    Math.max(...apps.map(a => Number(a.metadata?.resourceVersion))),
  ),
});
const names = (view: ApplicationView) =>
  [...view.apps.values()].map(
    a => `${a.metadata?.name}@${a.metadata?.resourceVersion}`,
  );

describe('applyWatchEvent', () => {
  it('applies newer versions, normalises ADDED/MODIFIED, and ignores stale or repeated events', () => {
    const view = viewOf(app('a', 10), app('b', 11));
    const modified = applyWatchEvent(view, {
      type: 'ADDED',
      application: app('a', 12, 'Degraded'),
    });
    expect(modified.change?.type).toBe('MODIFIED');
    expect(names(modified.view)).toEqual(['a@12', 'b@11']);
    expect(modified.view.resourceVersion).toBe('12');
    // the view given is not changed
    expect(names(view)).toEqual(['a@10', 'b@11']);

    const stale = applyWatchEvent(modified.view, {
      type: 'MODIFIED',
      application: app('a', 12),
    });
    expect(stale.change).toBeUndefined();
    expect(stale.view.apps.get('argocd/a')?.status?.health?.status).toBe(
      'Degraded',
    );

    const added = applyWatchEvent(view, {
      type: 'MODIFIED',
      application: app('c', 13),
    });
    expect(added.change?.type).toBe('ADDED');
  });

  it('deletes known applications only', () => {
    const view = viewOf(app('a', 10));
    const deleted = applyWatchEvent(view, {
      type: 'DELETED',
      application: app('a', 14),
    });
    expect(deleted.change?.type).toBe('DELETED');
    expect(deleted.view.apps.size).toBe(0);
    expect(
      applyWatchEvent(view, { type: 'DELETED', application: app('x', 15) })
        .change,
    ).toBeUndefined();
  });
});

describe('resyncView', () => {
  it('takes a first list as the initial state, without changes', () => {
    const { view, changes } = resyncView(undefined, {
      items: [app('a', 1)],
      resourceVersion: '5',
    });
    expect(changes).toEqual([]);
    expect(view.resourceVersion).toBe('5');
  });

  it('reports what changed during a gap: newer, new and gone applications; keeps what the watch saw after the list', () => {
    const view = viewOf(
      app('same', 10),
      app('old', 11),
      app('gone', 12),
      app('after-list', 30),
    );
    const { view: next, changes } = resyncView(view, {
      items: [app('same', 10), app('old', 20, 'Degraded'), app('new', 21)],
      resourceVersion: '25',
    });
    expect(
      changes.map(c => `${c.type} ${c.application.metadata?.name}`),
    ).toEqual(['MODIFIED old', 'ADDED new', 'DELETED gone']);
    expect(names(next).sort()).toEqual([
      'after-list@30',
      'new@21',
      'old@20',
      'same@10',
    ]);
    expect(next.resourceVersion).toBe('30');
  });
});

describe('changeFromStreamLine', () => {
  it('reads result lines and refuses error lines and anything else, saying why', () => {
    expect(
      changeFromStreamLine({
        result: { type: 'ADDED', application: app('a', 1) },
      }).type,
    ).toBe('ADDED');
    expect(() =>
      changeFromStreamLine({ error: { message: 'etcd compacted' } }),
    ).toThrow('the watch stream ended with an error: etcd compacted');
    expect(() =>
      changeFromStreamLine({ result: { type: 'BOOKMARK' } }),
    ).toThrow(/no application event/);
  });
});

describe('jsonLines', () => {
  it('splits lines across chunks and skips blank ones', async () => {
    const enc = new TextEncoder();
    async function* chunks() {
      yield enc.encode('{"a":1}\n{"b"');
      yield enc.encode(':2}\n\n{"c":3}');
    }
    const values = [];
    for await (const v of jsonLines(chunks())) values.push(v);
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('fails on a line that is not JSON without echoing it', async () => {
    async function* chunks() {
      yield new TextEncoder().encode('token=secret\n');
    }
    const read = async () => {
      for await (const _ of jsonLines(chunks())) {
        // nothing
      }
    };
    await expect(read()).rejects.toThrow(
      'the watch stream sent a line that is not JSON (12 characters)',
    );
  });
});

describe('retryDelay', () => {
  it('doubles from the minimum up to the maximum', () => {
    expect([0, 1, 2, 3, 10].map(n => retryDelay(n, 100, 500))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });
});
