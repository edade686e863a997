import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, passthrough } from 'msw';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { validateGithubResponse } from '@epicshelter/gitops-test-utils';
import {
  createFakeGithubRepository,
  createFakeGitlabRepository,
} from '@epicshelter/plugin-gitops-node/testUtils';
import environmentsPlugin from './index';

jest.setTimeout(30_000);

const msw = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);
registerMswTestHooks(msw);

function git(cwd: string, ...args: string[]) {
  return execFileSync(
    'git',
    ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();
}

type Kind = 'local' | 'github' | 'gitlab';
/** The app-config `mockServices.rootConfig` takes. */
type JsonObject = NonNullable<
  NonNullable<Parameters<typeof mockServices.rootConfig.factory>[0]>['data']
>;

/**
 * The `gitops` and `integrations` config of a repository at `dir` served
 * as `kind`: a local path, or a fake GitHub or GitLab host reading it.
 */
function repositoryConfig(
  kind: Kind,
  dir: string,
): { data: JsonObject; invalid: string[] } {
  if (kind === 'local') {
    return { invalid: [], data: { gitops: { repository: dir } } };
  }
  const fake =
    kind === 'github'
      ? createFakeGithubRepository({
          dir,
          token: 'ghp_read',
          validate: validateGithubResponse,
        })
      : createFakeGitlabRepository({ dir, token: 'glpat-read' });
  msw.use(http.all(`${fake.apiBaseUrl}/*`, ({ request: r }) => fake.handle(r)));
  return { invalid: 'invalid' in fake ? fake.invalid : [], data: fake.config };
}

async function start(data: JsonObject) {
  const { server } = await startTestBackend({
    features: [
      environmentsPlugin,
      catalogServiceMock.factory({ entities: [] }),
      mockServices.rootConfig.factory({ data }),
    ],
  });
  return server;
}

describe.each<Kind>(['local', 'github', 'gitlab'])(
  'GET /api/environments/commits/:sha of a %s repository',
  kind => {
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

    it('shows a commit as git show --stat would, without server paths', async () => {
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
      const { data, invalid } = repositoryConfig(kind, repo);
      const server = await start(data);
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
      expect(invalid).toEqual([]);
    });

    it('says when a commit changed more files than the page lists', async () => {
      commit({ 'README.md': '# GitOps\n' }, 'Bootstrap');
      const many = Object.fromEntries(
        Array.from({ length: 301 }, (_, i) => [`apps/app-${i}.yaml`, 'a\n']),
      );
      const sha = commit(many, 'Many files');
      const small = commit({ 'README.md': '# GitOps!\n' }, 'Small');
      const { data, invalid } = repositoryConfig(kind, repo);
      const server = await start(data);
      const read = (ref: string) =>
        request(server)
          .get(`/api/environments/commits/${ref}`)
          .set('authorization', mockCredentials.user.header());
      const res = await read(sha);
      expect(res.status).toBe(200);
      expect(res.body.files).toHaveLength(300);
      expect(res.body.filesTruncated).toBe(true);
      const whole = await read(small);
      expect(whole.body.files).toHaveLength(1);
      expect(whole.body).not.toHaveProperty('filesTruncated');
      expect(invalid).toEqual([]);
    });

    it('answers 400 for something that is not a commit id, 404 for an unknown one, 401 without credentials', async () => {
      commit({ 'a.yaml': 'x\n' }, 'one');
      const server = await start(repositoryConfig(kind, repo).data);
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
  },
);

describe('GET /api/environments/commits/:sha without a GitOps repository', () => {
  it('answers 404 in a sentence', async () => {
    const server = await start({});
    const res = await request(server)
      .get(`/api/environments/commits/${'a'.repeat(40)}`)
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'No GitOps repository is configured (gitops.repository), so there is no commit to show',
    );
  });
});
