import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from './GitOpsRepositoryService';
import { TestGitRepo } from '../__testUtils__/gitRepo';
import {
  githubPullRequest,
  validateGithubResponse,
} from '@epicshelter/gitops-test-utils';
import { createFakeGithubRepository } from '../testUtils';

const server = setupServer();
registerMswTestHooks(server);
const API = 'https://api.github.com/repos/acme/gitops';

const github = () =>
  DefaultGitOpsRepositoryService.fromConfig(
    new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 'ghp_secret' }] },
      gitops: { repository: 'https://github.com/acme/gitops' },
    }),
  ).configured()!;

describe('a GitHub GitOps repository', () => {
  it('asks a GitHub Enterprise host’s API with its token and links to its web pages', async () => {
    const repo = new TestGitRepo();
    try {
      const sha = repo.commit({ 'a.yaml': 'a\n' }, 'one');
      const fake = createFakeGithubRepository({
        validate: validateGithubResponse,
        dir: repo.dir,
        apiBaseUrl: 'https://ghe.example.com/api/v3',
        webBaseUrl: 'https://ghe.example.com',
        owner: 'platform',
        token: 'ghe_secret',
      });
      server.use(
        http.all(
          'https://ghe.example.com/api/v3/repos/platform/gitops/*',
          ({ request }) => fake.handle(request),
        ),
      );
      const repository = DefaultGitOpsRepositoryService.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              { host: 'github.com', token: 'ghp_public' },
              {
                host: 'ghe.example.com',
                apiBaseUrl: 'https://ghe.example.com/api/v3',
                token: 'ghe_secret',
              },
            ],
          },
          gitops: { repository: 'https://ghe.example.com/platform/gitops' },
        }),
      ).configured()!;
      expect(await repository.head()).toEqual({
        sha,
        url: `https://ghe.example.com/platform/gitops/commit/${sha}`,
      });
      expect(await repository.readFile(sha, 'a.yaml')).toBe('a\n');
      expect(fake.invalid).toEqual([]);
    } finally {
      repo.remove();
    }
  });

  it('has no head while the repository is empty', async () => {
    const repo = new TestGitRepo();
    try {
      const fake = createFakeGithubRepository({
        validate: validateGithubResponse,
        dir: repo.dir,
      });
      server.use(http.all(`${API}/*`, ({ request }) => fake.handle(request)));
      expect(await github().head()).toBeUndefined();
      expect(fake.invalid).toEqual([]);
    } finally {
      repo.remove();
    }
  });

  it('says a comparison is truncated when GitHub lists only its first 300 files', async () => {
    const repo = new TestGitRepo();
    try {
      const base = repo.commit({ 'README.md': '# GitOps\n' }, 'base');
      const files = Object.fromEntries(
        Array.from({ length: 301 }, (_, i) => [`apps/app-${i}.yaml`, `${i}\n`]),
      );
      const big = repo.commit(files, 'many files');
      const small = repo.commit({ 'README.md': '# GitOps!\n' }, 'small');
      const fake = createFakeGithubRepository({
        validate: validateGithubResponse,
        dir: repo.dir,
      });
      server.use(http.all(`${API}/*`, ({ request }) => fake.handle(request)));
      const repository = github();
      const changed = await repository.changedFiles(base, big);
      expect(changed.truncated).toBe(true);
      expect(changed.files).toHaveLength(300);
      expect(await repository.changedFiles(big, small)).toEqual({
        mergeBase: big,
        files: [{ path: 'README.md', status: 'modified' }],
      });
      expect(fake.invalid).toEqual([]);
    } finally {
      repo.remove();
    }
  });

  it('takes the first commit from the last page, and reports the pull request of a branch', async () => {
    const repo = new TestGitRepo();
    try {
      const spec = 'environments/dev/environment.yaml';
      const added = repo.commit(
        { [spec]: 'name: dev\n' },
        'Add environment dev\n\nbody',
        { date: '2026-01-01T00:00:00Z' },
      );
      repo.commit({ [spec]: 'name: dev\nttl: 1d\n' }, 'later');
      repo.commit({ [spec]: 'name: dev\nttl: 2d\n' }, 'later still');
      const fake = createFakeGithubRepository({
        validate: validateGithubResponse,
        dir: repo.dir,
        token: 'ghp_secret',
        // one commit a page: the first commit is on the third page
        maxPerPage: 1,
        pullRequests: [
          githubPullRequest({
            number: 11,
            head: 'epicshelter/qa',
            state: 'open',
            createdAt: '2026-01-01T08:00:00Z',
          }),
          githubPullRequest({
            number: 12,
            head: 'epicshelter/dev',
            state: 'closed',
            createdAt: '2026-01-01T09:00:00Z',
            mergedAt: '2026-01-01T10:00:00Z',
          }),
        ],
      });
      server.use(http.all(`${API}/*`, ({ request }) => fake.handle(request)));
      const repository = github();
      expect(await repository.firstCommit(spec)).toEqual({
        sha: added,
        at: '2026-01-01T00:00:00.000Z',
        message: 'Add environment dev',
        url: `https://github.com/acme/gitops/commit/${added}`,
      });
      expect(
        fake.requests.filter(r => r.startsWith('GET /commits?')),
      ).toHaveLength(2);
      expect(await repository.findChange('epicshelter/dev')).toEqual({
        kind: 'pull-request',
        number: 12,
        url: 'https://github.com/acme/gitops/pull/12',
        state: 'merged',
        draft: false,
        createdAt: '2026-01-01T09:00:00Z',
        mergedAt: '2026-01-01T10:00:00Z',
      });
      expect(await repository.findChange('epicshelter/prod')).toBeUndefined();
      expect(fake.invalid).toEqual([]);
    } finally {
      repo.remove();
    }
  });

  it('turns a 404 into a NotFoundError naming the repository', async () => {
    server.use(
      http.get(`${API}/compare/:spec`, () =>
        HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
      ),
    );
    await expect(github().compare('a', 'b')).rejects.toThrow(
      'GitHub acme/gitops: /compare/a...b not found',
    );
  });
});
