import type { ArgoCdApplication } from '@epicshelter/plugin-argocd-common';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { FakeArgoCd, startFakeArgoCd } from './server';
import { argoCdSwagger } from './swagger';
import { TestGitRepo } from './__testUtils__/gitRepo';

const { operationFor, errorsOf } = argoCdSwagger();
const STREAM_PATH = '/api/v1/stream/applications';

type Line = {
  result?: { type: string; application: ArgoCdApplication };
  error?: { message: string };
};

/** An open watch stream: the lines read so far, each checked against Argo CD's swagger. */
class StreamReader {
  readonly lines: Line[] = [];
  ended = false;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly status: number, body: ReadableStream<Uint8Array>) {
    this.pump(body).catch(() => undefined);
  }

  private async pump(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (
          let nl = buffer.indexOf('\n');
          nl >= 0;
          nl = buffer.indexOf('\n')
        ) {
          const line = JSON.parse(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          assertStreamLine(line);
          this.lines.push(line);
          this.notify();
        }
      }
    } finally {
      this.ended = true;
      this.notify();
    }
  }

  private notify() {
    this.waiters.splice(0).forEach(w => w());
  }

  /** Waits until `ok` holds for the lines read (or the stream ended). */
  async until(ok: (lines: Line[]) => boolean): Promise<Line[]> {
    while (!ok(this.lines)) {
      if (this.ended) {
        throw new Error(
          `stream ended after ${this.lines.length} lines without the expected ones`,
        );
      }
      await new Promise<void>(r => this.waiters.push(r));
    }
    return this.lines;
  }

  events(name?: string) {
    return this.lines
      .filter(
        l =>
          l.result && (!name || l.result.application.metadata?.name === name),
      )
      .map(l => `${l.result!.type} ${l.result!.application.metadata?.name}`);
  }
}

/** Throws unless a line is what Argo CD's swagger documents for the stream's 200 answer. */
function assertStreamLine(line: Record<string, unknown>) {
  const schema = operationFor('GET', STREAM_PATH).op.responses['200'].schema;
  for (const [key, value] of Object.entries(line)) {
    const ref = schema.properties[key]?.$ref;
    if (!ref) throw new Error(`stream line has an undocumented key "${key}"`);
    const errors = errorsOf(ref, value);
    if (errors)
      throw new Error(`stream line ${key} is not a ${ref}: ${errors}`);
  }
}

describe('fake Argo CD application watch stream', () => {
  let fake: FakeArgoCd;
  let token: string;
  const streams: StreamReader[] = [];

  async function login(f: FakeArgoCd) {
    const res = await fetch(`${f.url('local')}/api/v1/session`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'password' }),
    });
    return (await res.json()).token as string;
  }

  async function watch(query = '', f = fake, bearer = token) {
    const res = await fetch(`${f.url('local')}${STREAM_PATH}${query}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    if (!res.body || res.status !== 200) {
      return { status: res.status, json: await res.json() };
    }
    const stream = new StreamReader(res.status, res.body);
    streams.push(stream);
    return stream;
  }

  beforeAll(async () => {
    fake = await startFakeArgoCd({ instances: ['local', 'cloud'] });
    token = await login(fake);
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.breakWatchStreams());

  it('starts with one ADDED per application, sorted by name, then sends each change as it happens', async () => {
    const stream = (await watch()) as StreamReader;
    const names = fake.applications('local').map(a => a.metadata!.name!);
    await stream.until(l => l.length === names.length);
    expect(stream.events()).toEqual([...names].sort().map(n => `ADDED ${n}`));

    const changed = fake.updateApplication('local', 'orders-api-dev', app => {
      app.status!.health = { status: 'Degraded', message: 'crash loop' };
    });
    const [, last] = (await stream.until(l => l.length > names.length)).slice(
      -2,
    );
    expect(last.result?.type).toBe('MODIFIED');
    expect(last.result?.application.status?.health?.status).toBe('Degraded');
    // Each change gets a new resourceVersion, beyond the list's.
    expect(Number(changed.metadata?.resourceVersion)).toBeGreaterThan(1000);

    fake.deleteApplication('local', 'storefront-dev');
    await stream.until(l => l.length > names.length + 1);
    expect(stream.events().at(-1)).toBe('DELETED storefront-dev');
  });

  it('honours name, projects, selector and resourceVersion as Argo CD does', async () => {
    const byName = (await watch('?name=dev-workloads')) as StreamReader;
    const bySelector = (await watch(
      `?selector=${encodeURIComponent('app.kubernetes.io/name=orders-api')}`,
    )) as StreamReader;
    const byProject = (await watch(
      '?projects=no-such-project',
    )) as StreamReader;
    const list = await (
      await fetch(`${fake.url('local')}/api/v1/applications`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    const resumed = (await watch(
      `?resourceVersion=${list.metadata.resourceVersion}`,
    )) as StreamReader;
    await byName.until(l => l.length === 1);
    await bySelector.until(l => l.length === 1);
    expect(byName.events()).toEqual(['ADDED dev-workloads']);
    expect(bySelector.events()).toEqual(['ADDED orders-api-dev']);

    fake.updateApplication('local', 'dev-workloads', app => {
      app.status!.sync!.status = 'OutOfSync';
    });
    await byName.until(l => l.length === 2);
    await resumed.until(l => l.length === 1);
    // resumed from the list's version: no initial state, only the later change
    expect(resumed.events()).toEqual(['MODIFIED dev-workloads']);
    expect(byProject.lines).toEqual([]);
    expect(bySelector.lines).toHaveLength(1);
  });

  it('refuses a watch without a valid session, or with an invalid selector, in runtimeError bodies', async () => {
    const anonymous = (await watch('', fake, 'nope')) as {
      status: number;
      json: unknown;
    };
    expect(anonymous.status).toBe(401);
    expect(errorsOf('runtimeError', anonymous.json)).toBeUndefined();
    const bad = (await watch('?selector=%21%21')) as {
      status: number;
      json: unknown;
    };
    expect(bad.status).toBe(400);
  });

  it('breaks open streams on demand: cut mid-stream, or ended with a stream error', async () => {
    const cut = (await watch('?name=dev-workloads')) as StreamReader;
    await cut.until(l => l.length === 1);
    expect(fake.openWatchStreams('local')).toBe(1);
    expect(fake.breakWatchStreams('local')).toBe(1);
    await expect(cut.until(() => false)).rejects.toThrow(/stream ended/);

    const failed = (await watch('?name=dev-workloads')) as StreamReader;
    await failed.until(l => l.length === 1);
    fake.breakWatchStreams('local', 'watch ended: etcd compacted');
    await expect(failed.until(() => false)).rejects.toThrow(/stream ended/);
    expect(failed.lines.at(-1)?.error?.message).toBe(
      'watch ended: etcd compacted',
    );
    expect(fake.openWatchStreams()).toBe(0);
  });

  it('records stream requests like others', async () => {
    fake.resetStats();
    const stream = (await watch('?name=dev-workloads')) as StreamReader;
    await stream.until(l => l.length === 1);
    expect(fake.stats().byRoute).toEqual({ 'GET stream/applications': 1 });
  });
});

describe('fake Argo CD watch stream following the GitOps repository', () => {
  let repo: TestGitRepo;
  let fake: FakeArgoCd;

  afterEach(async () => {
    await fake.stop();
    repo.remove();
  });

  it('announces the applications of a new environment as they sync, and their deletion when it is removed', async () => {
    repo = new TestGitRepo();
    repo.commit('Bootstrap', { 'environments/.gitkeep': '' });
    fake = await startFakeArgoCd({ gitopsRepo: repo.dir });
    const token = await (
      await fetch(`${fake.url('local')}/api/v1/session`, {
        method: 'POST',
        body: JSON.stringify({ username: 'admin', password: 'password' }),
      })
    ).json();
    const res = await fetch(
      `${fake.url('local')}${STREAM_PATH}?name=review-workloads`,
      { headers: { authorization: `Bearer ${token.token}` } },
    );
    const stream = new StreamReader(res.status, res.body!);
    // No request needed: while a watch is open the fake advances on its own.
    repo.commit(
      'Add environment review',
      generateEnvironment(
        parseEnvironmentSpec({
          name: 'review',
          owner: 'group:default/checkout-team',
          target: 'local',
          provider: 'local',
          workloads: ['storefront'],
        }),
      ),
    );
    await stream.until(l => l.length === 3);
    const states = stream.lines.map(l => {
      const s = l.result!.application.status;
      return `${l.result!.type} ${s?.sync?.status}/${s?.health?.status}`;
    });
    expect(states).toEqual([
      'ADDED OutOfSync/Missing',
      'MODIFIED OutOfSync/Progressing',
      'MODIFIED Synced/Healthy',
    ]);

    repo.git('rm', '-q', '-r', 'environments/review');
    repo.commit('Remove environment review', {});
    await stream.until(l => l.at(-1)?.result?.type === 'DELETED');
    // Being deleted (deletionTimestamp, finalizer) for a while, then gone.
    expect(
      stream.lines.at(-2)?.result?.application.metadata?.deletionTimestamp,
    ).toBeDefined();
    expect(new Set(stream.events().slice(3, -1))).toEqual(
      new Set(['MODIFIED review-workloads']),
    );
    // Versions only grow.
    const versions = stream.lines.map(l =>
      Number(l.result!.application.metadata?.resourceVersion),
    );
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    fake.breakWatchStreams();
  }, 30_000);
});

describe('fake Argo CD HTTP test controls', () => {
  it('replaces an application from PUT /fake/applications/<instance> (announced on the streams), refuses invalid ones, and drops watches', async () => {
    const fake = await startFakeArgoCd({ instances: ['local'], control: true });
    try {
      const login = await fetch(`${fake.url('local')}/api/v1/session`, {
        method: 'POST',
        body: JSON.stringify({ username: 'admin', password: 'password' }),
      });
      const { token } = await login.json();
      const res = await fetch(
        `${fake.url('local')}${STREAM_PATH}?name=dev-workloads`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      const stream = new StreamReader(res.status, res.body!);
      await stream.until(l => l.length === 1);
      const app = structuredClone(stream.lines[0].result!.application);
      app.status!.health = { status: 'Degraded', message: 'from a test' };
      const base = `http://127.0.0.1:${fake.port}/fake`;
      const put = await fetch(`${base}/applications/local`, {
        method: 'PUT',
        body: JSON.stringify(app),
      });
      expect(put.status).toBe(200);
      await stream.until(l => l.length === 2);
      expect(stream.lines[1].result?.application.status?.health).toEqual({
        status: 'Degraded',
        message: 'from a test',
      });

      const invalid = await fetch(`${base}/applications/local`, {
        method: 'PUT',
        body: JSON.stringify({ ...app, unknownField: 1 }),
      });
      expect(invalid.status).toBe(400);
      expect((await invalid.json()).message).toMatch(
        /The body is not a valid Argo CD v1alpha1Application/,
      );

      const dropped = await fetch(`${base}/drop-watches`, { method: 'POST' });
      expect(await dropped.json()).toEqual({ dropped: 1 });
      await expect(stream.until(() => false)).rejects.toThrow(/stream ended/);
    } finally {
      await fake.stop();
    }
  });
});
