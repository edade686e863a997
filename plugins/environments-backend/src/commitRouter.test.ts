import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import environmentsPlugin from './index';
import { lineChanges } from './services/commitDetails';

jest.setTimeout(30_000);

function git(cwd: string, ...args: string[]) {
  return execFileSync(
    'git',
    ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();
}

describe('GET /api/environments/commits/:sha', () => {
  let tmp: string;
  let repo: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-commits-'));
    repo = path.join(tmp, 'gitops');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const commit = (files: Record<string, string | null>, message: string) => {
    for (const [p, content] of Object.entries(files)) {
      const file = path.join(repo, p);
      if (content === null) fs.rmSync(file);
      else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  };

  async function start(gitops: { repository: string }) {
    const { server } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: { gitops },
        }),
      ],
    });
    return server;
  }

  it('shows a commit of the local repository as git show --stat would, without server paths', async () => {
    const first = commit(
      { 'a.yaml': 'one\ntwo\n', 'old.txt': 'gone\n' },
      'Bootstrap',
    );
    const sha = commit(
      {
        'a.yaml': 'one\nthree\nfour\n',
        'old.txt': null,
        'environments/qa/environment.yaml': 'name: qa\n',
      },
      'Add environment qa\n\nRequested-by: Ada <ada@example.com>',
    );
    const server = await start({ repository: repo });
    const res = await request(server)
      .get(`/api/environments/commits/${sha.slice(0, 10)}`)
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sha,
      subject: 'Add environment qa',
      body: 'Requested-by: Ada <ada@example.com>',
      author: { name: 'Ada', email: 'ada@example.com' },
      parents: [first],
      files: [
        { path: 'a.yaml', change: 'modified', additions: 2, deletions: 1 },
        {
          path: 'environments/qa/environment.yaml',
          change: 'added',
          additions: 1,
          deletions: 0,
        },
        { path: 'old.txt', change: 'deleted', additions: 0, deletions: 1 },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(tmp);

    const root = await request(server)
      .get(`/api/environments/commits/${first}`)
      .set('authorization', mockCredentials.user.header());
    expect(root.body.files.map((f: { path: string }) => f.path)).toEqual([
      'a.yaml',
      'old.txt',
    ]);
  });

  it('answers 400 for something that is not a commit id, 404 for an unknown one, 401 without credentials', async () => {
    commit({ 'a.yaml': 'x\n' }, 'one');
    const server = await start({ repository: repo });
    const bad = await request(server)
      .get('/api/environments/commits/HEAD~1')
      .set('authorization', mockCredentials.user.header());
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('is not a commit id');
    const missing = await request(server)
      .get(`/api/environments/commits/${'0'.repeat(40)}`)
      .set('authorization', mockCredentials.user.header());
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'The GitOps repository has no commit 000000000000',
    );
    expect(missing.body.error.message).not.toContain(tmp);
    const anonymous = await request(server)
      .get(`/api/environments/commits/${'0'.repeat(40)}`)
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('has no commit pages for a GitHub repository', async () => {
    const server = await start({
      repository: 'https://github.com/acme/gitops',
    });
    const res = await request(server)
      .get(`/api/environments/commits/${'a'.repeat(40)}`)
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('local GitOps repository only');
  });
});

describe('lineChanges', () => {
  it('counts added and removed lines', () => {
    expect(lineChanges('', 'a\nb\n')).toEqual({ additions: 2, deletions: 0 });
    expect(lineChanges('a\nb\n', '')).toEqual({ additions: 0, deletions: 2 });
    expect(lineChanges('a\nb\nc\n', 'a\nc\nd\n')).toEqual({
      additions: 1,
      deletions: 1,
    });
  });
});
