import { setupServer } from 'msw/node';
import { http } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { NotFoundError } from '@backstage/errors';
import { DefaultGitOpsRepositoryService } from './GitOpsRepositoryService';
import { TestGitRepo } from '../__testUtils__/gitRepo';
import { validateGithubResponse } from '@epicshelter/gitops-test-utils';
import {
  createFakeGithubRepository,
  createFakeGitlabRepository,
} from '../testUtils';

const server = setupServer();
registerMswTestHooks(server);

type Kind = 'local' | 'github' | 'gitlab';

/** The service for `gitops.repository` pointing at `repo` through one kind of host. */
function serviceFor(kind: Kind, repo: TestGitRepo) {
  const branches = { defaultBranch: 'trunk', branchPrefix: 'env/' };
  const withBranches = (config: JsonObject) =>
    DefaultGitOpsRepositoryService.fromConfig(
      ConfigReader.fromConfigs([
        { context: 'host', data: config },
        { context: 'branches', data: { gitops: branches } },
      ]),
    );
  if (kind === 'local') {
    return {
      service: withBranches({ gitops: { repository: repo.dir } }),
      commitUrl: () => undefined,
      invalid: [] as string[],
    };
  }
  const fake =
    kind === 'github'
      ? createFakeGithubRepository({
          validate: validateGithubResponse,
          dir: repo.dir,
          token: 'ghp_read',
        })
      : createFakeGitlabRepository({ dir: repo.dir, token: 'glpat-read' });
  server.use(
    http.all(`${fake.apiBaseUrl}/*`, ({ request }) => fake.handle(request)),
  );
  const web = (fake.config.gitops as { repository: string }).repository;
  return {
    service: withBranches(fake.config),
    commitUrl: (sha: string) =>
      kind === 'github' ? `${web}/commit/${sha}` : `${web}/-/commit/${sha}`,
    invalid: 'invalid' in fake ? fake.invalid : [],
  };
}

describe.each<Kind>(['local', 'github', 'gitlab'])(
  'the %s GitOps repository',
  kind => {
    let repo: TestGitRepo;
    let first: string;
    let second: string;

    beforeEach(() => {
      repo = new TestGitRepo('trunk');
      first = repo.commit(
        {
          'README.md': '# GitOps\n',
          'environments/dev/environment.yaml': 'name: dev\n',
          'apps/storefront/base/kustomization.yaml': 'resources: []\n',
        },
        'Add dev\n\nwith its spec',
      );
      second = repo.commit(
        {
          'environments/dev/infrastructure/db.yaml': 'kind: Database\n',
          'environments/qa/environment.yaml': 'name: qa\n',
        },
        'Add qa',
      );
    });
    afterEach(() => repo.remove());

    it('reads the head of the configured default branch, not main', async () => {
      const { service, commitUrl, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      expect(repository).toMatchObject({
        kind,
        defaultBranch: 'trunk',
        branchPrefix: 'env/',
      });
      const url = commitUrl(second);
      expect(await repository.head()).toEqual(
        url ? { sha: second, url } : { sha: second },
      );
      await expect(repository.head('main')).rejects.toThrow(NotFoundError);
      expect(invalid).toEqual([]);
    });

    it('lists a folder at a commit with the git object ids, and nothing for a missing one', async () => {
      const { service, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      expect(await repository.readTree(second, 'environments')).toEqual(
        [
          ['dev', 'tree'],
          ['dev/environment.yaml', 'blob'],
          ['dev/infrastructure', 'tree'],
          ['dev/infrastructure/db.yaml', 'blob'],
          ['qa', 'tree'],
          ['qa/environment.yaml', 'blob'],
        ].map(([path, type]) => ({
          path,
          type,
          sha: repo.git('rev-parse', `${second}:environments/${path}`),
        })),
      );
      expect(await repository.readTree(first, 'environments/qa')).toEqual([]);
      expect((await repository.readTree(first)).map(e => e.path)).toEqual([
        'README.md',
        'apps',
        'apps/storefront',
        'apps/storefront/base',
        'apps/storefront/base/kustomization.yaml',
        'environments',
        'environments/dev',
        'environments/dev/environment.yaml',
      ]);
      expect(invalid).toEqual([]);
    });

    it('reads files as committed at a commit', async () => {
      const { service, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      expect(
        await repository.readFile(second, 'environments/qa/environment.yaml'),
      ).toBe('name: qa\n');
      expect(
        await repository.readFile(first, 'environments/qa/environment.yaml'),
      ).toBeUndefined();
      expect(await repository.readFile(second, 'README.md')).toBe('# GitOps\n');
      expect(
        await repository.readFiles(second, 'environments', p =>
          p.endsWith('/environment.yaml'),
        ),
      ).toEqual({
        'dev/environment.yaml': 'name: dev\n',
        'qa/environment.yaml': 'name: qa\n',
      });
      await expect(
        repository.readFile(second, '../outside.yaml'),
      ).rejects.toThrow(/is not a path inside the GitOps repository/);
      expect(invalid).toEqual([]);
    });

    it('counts commits between revisions and finds the commit that added a path', async () => {
      const { service, commitUrl, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      expect(await repository.compare(first, second)).toEqual({
        aheadBy: 1,
        behindBy: 0,
      });
      expect(await repository.compare(second, first)).toEqual({
        aheadBy: 0,
        behindBy: 1,
      });
      await expect(repository.compare(second, 'ab'.repeat(20))).rejects.toThrow(
        NotFoundError,
      );
      const added = await repository.firstCommit(
        'environments/dev/environment.yaml',
      );
      expect(added).toMatchObject({ sha: first, message: 'Add dev' });
      expect(added?.url).toBe(commitUrl(first));
      expect(Date.parse(added!.at!)).not.toBeNaN();
      expect(await repository.firstCommit('environments/prod')).toBeUndefined();
      expect(invalid).toEqual([]);
    });

    it('lists the history of a path, newest first, with whole messages', async () => {
      const third = repo.commit(
        { 'environments/dev/environment.yaml': 'name: dev\nttl: 1d\n' },
        'Extend dev\n\nRequested-by: Jane <jane@example.com>',
      );
      const { service, commitUrl, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      const history = await repository.history(
        'environments/dev/environment.yaml',
      );
      expect(history.map(c => [c.sha, c.message])).toEqual([
        [third, 'Extend dev'],
        [first, 'Add dev'],
      ]);
      expect(history[0].fullMessage.trim()).toBe(
        'Extend dev\n\nRequested-by: Jane <jane@example.com>',
      );
      expect(history[0].url).toBe(commitUrl(third));
      expect(
        await repository.history('environments/dev/environment.yaml', {
          limit: 1,
        }),
      ).toHaveLength(1);
      expect(
        (
          await repository.history('environments/qa/environment.yaml', {
            ref: second,
          })
        ).map(c => c.sha),
      ).toEqual([second]);
      expect(invalid).toEqual([]);
    });

    it('lists the files a branch changes since its merge base', async () => {
      repo.git('checkout', '-q', '-b', 'env/dev');
      const change = repo.commit(
        {
          'environments/dev/workloads/patches/storefront.yaml': 'replicas: 2\n',
          'environments/dev/infrastructure/db.yaml': null,
          'environments/dev/environment.yaml': 'name: dev\nchanged: true\n',
        },
        'Change dev',
      );
      repo.git('checkout', '-q', 'trunk');
      // the default branch moves on: its change is not the branch's
      repo.commit({ 'environments/qa/environment.yaml': 'name: qa2\n' }, 'QA');
      const { service, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      expect(await repository.changedFiles('trunk', 'env/dev')).toEqual({
        mergeBase: second,
        files: [
          { path: 'environments/dev/environment.yaml', status: 'modified' },
          {
            path: 'environments/dev/infrastructure/db.yaml',
            status: 'removed',
          },
          {
            path: 'environments/dev/workloads/patches/storefront.yaml',
            status: 'added',
          },
        ],
      });
      expect(await repository.changedFiles(second, change)).toEqual(
        await repository.changedFiles('trunk', 'env/dev'),
      );
      await expect(
        repository.changedFiles('trunk', 'ab'.repeat(20)),
      ).rejects.toThrow(NotFoundError);
      expect(invalid).toEqual([]);
    });

    it('reads a commit: subject, body, trailers, author, committer and parents, by an abbreviated SHA too', async () => {
      const third = repo.commit(
        { 'environments/dev/environment.yaml': 'name: dev\nttl: 1d\n' },
        'Extend dev\n\nFor the demo on Friday.\n\nRequested-by: Ada <ada@example.com>\nEpicshelter-Change: env/dev',
        {
          author: 'Ada Lovelace <ada@example.com>',
          authorDate: '2026-01-02T03:04:05Z',
        },
      );
      const { service, commitUrl, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      const details = await repository.commit(third.slice(0, 12));
      const url = commitUrl(third);
      expect(details).toEqual({
        sha: third,
        message: expect.stringMatching(
          /^Extend dev\n\nFor the demo on Friday\.\n\nRequested-by: Ada <ada@example\.com>\nEpicshelter-Change: env\/dev\n?$/,
        ),
        subject: 'Extend dev',
        body: 'For the demo on Friday.\n\nRequested-by: Ada <ada@example.com>\nEpicshelter-Change: env/dev',
        trailers: [
          { key: 'Requested-by', value: 'Ada <ada@example.com>' },
          { key: 'Epicshelter-Change', value: 'env/dev' },
        ],
        author: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          date: '2026-01-02T03:04:05.000Z',
        },
        committer: {
          name: 'Test',
          email: 'test@example.com',
          date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
        },
        parents: [second],
        ...(url ? { url } : {}),
      });
      expect((await repository.commit(first)).parents).toEqual([]);
      await expect(repository.commit('ab'.repeat(20))).rejects.toThrow(
        NotFoundError,
      );
      expect(invalid).toEqual([]);
    });

    it('gives the diff stat of a commit against its first parent, and all files of a root commit', async () => {
      const third = repo.commit(
        {
          'environments/dev/environment.yaml':
            'name: dev\nttl: 1d\nowner: ops\n',
          'environments/dev/infrastructure/db.yaml': null,
          'environments/dev/workloads/kustomization.yaml':
            'resources:\n  - ../../../apps/storefront/base\n',
          'docs/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]),
        },
        'Change dev',
      );
      const { service, invalid } = serviceFor(kind, repo);
      const repository = service.configured()!;
      expect(await repository.commitStat(third)).toEqual([
        {
          path: 'docs/logo.png',
          status: 'added',
          additions: 0,
          deletions: 0,
          binary: true,
        },
        {
          path: 'environments/dev/environment.yaml',
          status: 'modified',
          additions: 2,
          deletions: 0,
          binary: false,
        },
        {
          path: 'environments/dev/infrastructure/db.yaml',
          status: 'removed',
          additions: 0,
          deletions: 1,
          binary: false,
        },
        {
          path: 'environments/dev/workloads/kustomization.yaml',
          status: 'added',
          additions: 2,
          deletions: 0,
          binary: false,
        },
      ]);
      expect(await repository.commitStat(first)).toEqual(
        [
          'README.md',
          'apps/storefront/base/kustomization.yaml',
          'environments/dev/environment.yaml',
        ].map(path => ({
          path,
          status: 'added',
          additions: 1,
          deletions: 0,
          binary: false,
        })),
      );
      await expect(repository.commitStat('ab'.repeat(20))).rejects.toThrow(
        NotFoundError,
      );
      expect(invalid).toEqual([]);
    });
  },
);
