import { setupServer } from 'msw/node';
import { http } from 'msw';
import {
  ServiceFactoryTester,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { gitopsRepositoryServiceFactory } from './GitOpsRepositoryService';
import { TestGitRepo } from '../__testUtils__/gitRepo';
import { validateGithubResponse } from '@epicshelter/gitops-test-utils';
import {
  createFakeGithubRepository,
  createFakeGitlabRepository,
} from '../testUtils';

const server = setupServer();
registerMswTestHooks(server);

describe('the GitOps repository service caches what a commit holds', () => {
  let repo: TestGitRepo;
  beforeEach(() => {
    repo = new TestGitRepo();
    repo.commit({ 'environments/dev/environment.yaml': 'name: dev\n' }, 'one');
  });
  afterEach(() => repo.remove());

  function fakeHost(kind: 'github' | 'gitlab') {
    if (kind === 'github') {
      const fake = createFakeGithubRepository({
        validate: validateGithubResponse,
        dir: repo.dir,
      });
      server.use(
        http.all(`${fake.apiBaseUrl}/repos/acme/gitops/*`, ({ request }) =>
          fake.handle(request),
        ),
      );
      return {
        requests: fake.requests,
        repository: 'https://github.com/acme/gitops',
      };
    }
    const fake = createFakeGitlabRepository({ dir: repo.dir });
    server.use(
      http.all(`${fake.apiBaseUrl}/*`, ({ request }) => fake.handle(request)),
    );
    return { requests: fake.requests, repository: fake.webUrl };
  }

  /** `gitops.repository` through the service factory, with the cache service. */
  async function configuredRepository(repository: string) {
    const service = await ServiceFactoryTester.from(
      gitopsRepositoryServiceFactory,
      {
        dependencies: [
          mockServices.rootConfig.factory({
            data: {
              integrations: {
                gitlab: [
                  {
                    host: 'gitlab.example.com',
                    apiBaseUrl: 'https://gitlab.example.com/api/v4',
                  },
                ],
              },
              gitops: { repository },
            },
          }),
          mockServices.cache.factory(),
        ],
      },
    ).getSubject('catalog');
    return service.configured()!;
  }

  it.each(['github', 'gitlab'] as const)(
    '%s: a second read at the same SHA asks the host nothing; a new head is read again',
    async kind => {
      const host = fakeHost(kind);
      const repository = await configuredRepository(host.repository);
      const { sha } = (await repository.head())!;
      const read = async (commit: string) => ({
        tree: await repository.readTree(commit, 'environments'),
        spec: await repository.readFile(
          commit,
          'environments/dev/environment.yaml',
        ),
        files: await repository.readFiles(commit),
      });
      const before = host.requests.length;
      const firstRead = await read(sha);
      const asked = host.requests.length - before;
      expect(asked).toBeGreaterThan(0);
      expect(firstRead.spec).toBe('name: dev\n');

      expect(await read(sha)).toEqual(firstRead);
      expect(host.requests.length - before).toBe(asked);

      // a branch name is not immutable: it is asked every time
      await repository.readTree('main', 'environments');
      const afterBranchRead = host.requests.length;
      await repository.readTree('main', 'environments');
      expect(host.requests.length).toBeGreaterThan(afterBranchRead);

      // a new commit is read, but the unchanged blob is not fetched again
      const next = repo.commit(
        { 'environments/qa/environment.yaml': 'name: qa\n' },
        'two',
      );
      const beforeNext = host.requests.length;
      expect(await repository.readFiles(next, 'environments')).toEqual({
        'dev/environment.yaml': 'name: dev\n',
        'qa/environment.yaml': 'name: qa\n',
      });
      const blobReads = host.requests
        .slice(beforeNext)
        .filter(r => /\/blobs\//.test(r));
      expect(blobReads).toHaveLength(1);
    },
  );

  it.each(['github', 'gitlab'] as const)(
    '%s: a commit and its diff stat are read once',
    async kind => {
      const next = repo.commit(
        { 'environments/dev/environment.yaml': 'name: dev\nttl: 1d\n' },
        'two\n\nRequested-by: Ada <ada@example.com>',
      );
      const host = fakeHost(kind);
      const repository = await configuredRepository(host.repository);
      const read = async () => ({
        commit: await repository.commit(next),
        stat: await repository.commitStat(next),
      });
      const firstRead = await read();
      expect(firstRead.commit.trailers).toEqual([
        { key: 'Requested-by', value: 'Ada <ada@example.com>' },
      ]);
      expect(firstRead.stat).toEqual([
        {
          path: 'environments/dev/environment.yaml',
          status: 'modified',
          additions: 1,
          deletions: 0,
          binary: false,
        },
      ]);
      const asked = host.requests.length;
      expect(await read()).toEqual(firstRead);
      expect(host.requests.slice(asked)).toEqual([]);
    },
  );
});
