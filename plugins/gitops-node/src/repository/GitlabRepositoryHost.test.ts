import { setupServer } from 'msw/node';
import { http } from 'msw';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from './GitOpsRepositoryService';
import { TestGitRepo } from '../__testUtils__/gitRepo';
import {
  FakeGitlabRepositoryOptions,
  createFakeGitlabRepository,
} from '../testUtils';

const server = setupServer();
registerMswTestHooks(server);

function gitlab(options: FakeGitlabRepositoryOptions) {
  const fake = createFakeGitlabRepository(options);
  server.use(
    http.all(`${fake.apiBaseUrl}/*`, ({ request }) => fake.handle(request)),
  );
  const repository = DefaultGitOpsRepositoryService.fromConfig(
    new ConfigReader(fake.config),
  ).configured()!;
  return { fake, repository };
}

describe('a GitLab GitOps repository', () => {
  let repo: TestGitRepo;
  beforeEach(() => {
    repo = new TestGitRepo();
  });
  afterEach(() => repo.remove());

  it('has no head while the project is empty; sends the integration’s token', async () => {
    const { fake, repository } = gitlab({
      dir: repo.dir,
      token: 'glpat-secret',
    });
    expect(await repository.head()).toBeUndefined();
    expect(fake.requests).toEqual(['GET /repository/commits/main', 'GET ']);
  });

  it('follows x-next-page through trees and history', async () => {
    const first = repo.commit(
      {
        'environments/dev/environment.yaml': 'name: dev\n',
        'environments/dev/a.yaml': 'a\n',
        'environments/dev/b.yaml': 'b\n',
      },
      'Add dev',
    );
    for (const n of [1, 2, 3]) {
      repo.commit(
        { 'environments/dev/environment.yaml': `n: ${n}\n` },
        `edit ${n}`,
      );
    }
    const { fake, repository } = gitlab({ dir: repo.dir, maxPerPage: 2 });
    const { sha } = (await repository.head())!;
    expect((await repository.readTree(sha, 'environments')).length).toBe(4);
    expect(
      await repository.firstCommit('environments/dev/environment.yaml'),
    ).toMatchObject({ sha: first, message: 'Add dev' });
    expect(
      fake.requests.filter(r => r.startsWith('GET /repository/commits?')),
    ).toHaveLength(2);
  });

  it('says a comparison may be truncated when GitLab lists as many files as its diff limit', async () => {
    const base = repo.commit({ 'README.md': '# GitOps\n' }, 'base');
    const many = repo.commit(
      Object.fromEntries(
        Array.from({ length: 1001 }, (_, i) => [
          `apps/app-${i}.yaml`,
          `${i}\n`,
        ]),
      ),
      'many files',
    );
    const small = repo.commit({ 'README.md': '# GitOps!\n' }, 'small');
    // GitLab lists 1000 files of a diff by default ("Maximum diff files")
    const { repository } = gitlab({ dir: repo.dir });
    const changed = await repository.changedFiles(base, many);
    expect(changed.files).toHaveLength(1000);
    expect(changed.truncated).toBe(true);
    expect(await repository.changedFiles(many, small)).toEqual({
      mergeBase: many,
      files: [{ path: 'README.md', status: 'modified' }],
    });
  });

  it('reports the merge request of a branch as its change', async () => {
    repo.commit({ 'a.yaml': 'a\n' }, 'one');
    const { repository } = gitlab({
      dir: repo.dir,
      mergeRequests: [
        {
          iid: 7,
          source_branch: 'epicshelter/dev',
          target_branch: 'main',
          state: 'opened',
          draft: true,
          created_at: '2026-01-01T09:00:00Z',
          merged_at: null,
        },
      ],
    });
    expect(await repository.findChange('epicshelter/dev')).toEqual({
      kind: 'pull-request',
      number: 7,
      url: 'https://gitlab.example.com/platform/infra/gitops/-/merge_requests/7',
      state: 'open',
      draft: true,
      createdAt: '2026-01-01T09:00:00Z',
    });
    expect(await repository.findChange('epicshelter/qa')).toBeUndefined();
  });
});
