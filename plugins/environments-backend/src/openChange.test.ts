import request from 'supertest';
import type { JsonObject } from '@backstage/types';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import { parseEnvironmentSpec } from '@epicshelter/plugin-gitops-common';
import {
  createFakeGithubRepository,
  createFakeGitlabRepository,
} from '@epicshelter/plugin-gitops-node/testUtils';
import {
  githubPullRequest,
  validateGithubResponse,
} from '@epicshelter/gitops-test-utils';
import environmentsPlugin from './index';
import {
  git,
  initEnvironmentRepository,
  portalWithoutLiveState,
  startLocalEnvironmentsBackend,
  writeEnvironment,
} from './__testUtils__/environmentRepository';

jest.setTimeout(30_000);

const server = setupServer(...portalWithoutLiveState);

const spec = parseEnvironmentSpec({
  name: 'staging',
  owner: 'group:default/platform-team',
  target: 'local',
  provider: 'local',
  workloads: ['api', 'web'],
  workloadOverrides: {
    api: { imageTag: '2.0.0' },
    web: { imageTag: '1.0.0' },
  },
});

/** Proposes web 1.1.0 on the change branch, as promote writes it (api untouched). */
function proposePromotion(repo: string): string {
  git(repo, 'checkout', '-qb', 'epicshelter/staging');
  writeEnvironment(
    repo,
    parseEnvironmentSpec({
      ...spec,
      workloadOverrides: {
        ...spec.workloadOverrides,
        web: { imageTag: '1.1.0' },
      },
    }),
  );
  git(repo, 'commit', '-qam', 'Environment staging: promote web from dev');
  git(repo, 'checkout', '-q', 'main');
  return git(repo, 'rev-parse', 'epicshelter/staging');
}

/** Proposes the environment's removal on the change branch, as decommission writes it. */
function proposeDecommission(repo: string) {
  git(repo, 'checkout', '-qb', 'epicshelter/staging');
  git(repo, 'rm', '-rq', 'environments/staging');
  git(repo, 'commit', '-qm', 'Environment staging: decommission');
  git(repo, 'checkout', '-q', 'main');
}

async function matrixOf(backend: Parameters<typeof request>[0]) {
  const res = await request(backend)
    .get('/api/environments/matrix')
    .set('authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  const { columns, rows } = res.body.matrix;
  return {
    column: columns[0],
    /** The open change of each workload's cell. */
    cells: Object.fromEntries(
      rows.map((r: { workload: string; cells: any[] }) => [
        r.workload,
        r.cells[0]?.openChange,
      ]),
    ),
  };
}

/**
 * The promotion matrix tells, per cell, whether a change is open that
 * touches that workload in that environment: for the local repository, a
 * change branch (`epicshelter/<env>`, as publish names it) not merged into
 * main, whose files since the merge base say which workloads it changes.
 */
describe('open changes in the promotion matrix (local repository)', () => {
  registerMswTestHooks(server);
  const dir = createMockDirectory();
  let repo: string;

  beforeEach(() => {
    dir.clear();
    repo = initEnvironmentRepository(dir.path, spec);
  });

  async function matrix() {
    return matrixOf(await startLocalEnvironmentsBackend(repo, spec));
  }

  it('shows an unmerged change branch in the cells of the workloads it changes only', async () => {
    const sha = proposePromotion(repo);
    const open = {
      kind: 'branch',
      branch: 'epicshelter/staging',
      sha,
      workloads: ['web'],
      removesEnvironment: false,
    };
    const { column, cells } = await matrix();
    expect(column.openChange).toEqual(open);
    expect(cells).toEqual({ api: undefined, web: open });
  });

  it('shows a decommission in every cell of the environment', async () => {
    proposeDecommission(repo);
    const { column, cells } = await matrix();
    expect(column.openChange).toMatchObject({
      workloads: ['api', 'web'],
      removesEnvironment: true,
    });
    expect(cells.api).toEqual(column.openChange);
    expect(cells.web).toEqual(column.openChange);
  });

  it('shows nothing once the branch is merged, or without one', async () => {
    expect((await matrix()).column).not.toHaveProperty('openChange');
    proposePromotion(repo);
    git(repo, 'merge', '-q', '--ff-only', 'epicshelter/staging');
    const { column, cells } = await matrix();
    expect(column).not.toHaveProperty('openChange');
    expect(cells).toEqual({ api: undefined, web: undefined });
  });
});

/** The environments backend on a hosted GitOps repository (`config`), with staging in the catalog. */
async function startHostedBackend(
  kind: 'github' | 'gitlab',
  config: JsonObject,
) {
  const { server: backend } = await startTestBackend({
    features: [
      environmentsPlugin,
      catalogServiceMock.factory({
        entities: environmentEntities(spec, {
          kind,
          location: (config.gitops as { repository: string }).repository,
          branch: 'main',
          branchPrefix: 'epicshelter/',
        }),
      }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  return backend;
}

/**
 * On GitHub the open pull request's branch is compared with main (one
 * compare request, which lists the files) and the environment document is
 * read at the merge base and the branch head; all of it is cached by
 * commit, so a second matrix asks GitHub only what may have moved.
 */
describe('open changes in the promotion matrix (GitHub)', () => {
  registerMswTestHooks(server);
  const dir = createMockDirectory();
  const API = 'https://api.github.com/repos/acme/gitops';

  it('marks only the promoted workload’s cell, with a bounded, cached number of GitHub requests', async () => {
    dir.clear();
    const repo = initEnvironmentRepository(dir.path, spec);
    proposePromotion(repo);
    const fake = createFakeGithubRepository({
      dir: repo,
      token: 'ghp_read',
      validate: validateGithubResponse,
    });
    // The pull request list: GitHub's own example answer, made this PR's.
    const pull = githubPullRequest({
      number: 12,
      head: 'epicshelter/staging',
      state: 'open',
      createdAt: '2026-12-06T09:00:00Z',
    });
    const invalid = validateGithubResponse({
      method: 'GET',
      operation: '/repos/{owner}/{repo}/pulls',
      status: 200,
      body: [pull],
    });
    const pullRequests: string[] = [];
    server.use(
      http.get(`${API}/pulls`, ({ request: req }) => {
        const head = new URL(req.url).searchParams.get('head');
        pullRequests.push(head ?? '');
        return HttpResponse.json(
          head === 'acme:epicshelter/staging' ? [pull] : [],
        );
      }),
      http.all(`${API}/*`, ({ request: req }) => fake.handle(req)),
    );
    const backend = await startHostedBackend('github', fake.config);

    const open = {
      kind: 'pull-request',
      number: 12,
      url: 'https://github.com/acme/gitops/pull/12',
      workloads: ['web'],
      removesEnvironment: false,
    };
    expect(await matrixOf(backend)).toEqual({
      column: expect.objectContaining({ openChange: open }),
      cells: { api: undefined, web: open },
    });
    // The open change costs the branch head, one comparison and the
    // document at two commits (three tree levels and a blob each).
    const first = [...fake.requests];
    const forTheChange = first.slice(
      first.indexOf('GET /commits/epicshelter%2Fstaging'),
    );
    expect(forTheChange).toHaveLength(10);
    expect(
      forTheChange.filter(r => r.startsWith('GET /compare/')),
    ).toHaveLength(1);
    // The second matrix reads the same commits: only the heads are asked again.
    expect(await matrixOf(backend)).toMatchObject({ cells: { web: open } });
    expect(fake.requests.slice(first.length)).toEqual([
      'GET /commits/main',
      'GET /commits/epicshelter%2Fstaging',
    ]);
    expect([...invalid, ...fake.invalid]).toEqual([]);
    expect(pullRequests.length).toBeGreaterThan(0);
  });

  it('shows a change of more files than GitHub lists on the environment, not on guessed workloads', async () => {
    dir.clear();
    const repo = initEnvironmentRepository(dir.path, spec);
    proposePromotion(repo);
    git(repo, 'checkout', '-q', 'epicshelter/staging');
    // 300 files sort before the environment's document, which GitHub leaves out
    dir.addContent({
      gitops: {
        apps: Object.fromEntries(
          Array.from({ length: 300 }, (_, i) => [`app-${i}.yaml`, `${i}\n`]),
        ),
      },
    });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'Many files');
    git(repo, 'checkout', '-q', 'main');
    const fake = createFakeGithubRepository({
      dir: repo,
      token: 'ghp_read',
      validate: validateGithubResponse,
      pullRequests: [
        githubPullRequest({
          number: 13,
          head: 'epicshelter/staging',
          state: 'open',
          createdAt: '2026-12-06T09:00:00Z',
        }),
      ],
    });
    server.use(http.all(`${API}/*`, ({ request: req }) => fake.handle(req)));
    const backend = await startHostedBackend('github', fake.config);
    const open = {
      kind: 'pull-request',
      number: 13,
      url: 'https://github.com/acme/gitops/pull/13',
    };
    const { column, cells } = await matrixOf(backend);
    expect(column.openChange).toEqual(open);
    expect(cells).toEqual({ api: undefined, web: undefined });
    expect(fake.invalid).toEqual([]);
  });
});

/** On GitLab the merge request's branch is compared through merge_base and compare (its diffs). */
describe('open changes in the promotion matrix (GitLab)', () => {
  registerMswTestHooks(server);
  const dir = createMockDirectory();

  it('marks only the promoted workload’s cell for an open merge request', async () => {
    dir.clear();
    const repo = initEnvironmentRepository(dir.path, spec);
    proposePromotion(repo);
    const gitlab = createFakeGitlabRepository({
      dir: repo,
      token: 'glpat-read',
      mergeRequests: [
        {
          iid: 7,
          source_branch: 'epicshelter/staging',
          target_branch: 'main',
          state: 'opened',
          draft: false,
          created_at: '2026-12-06T09:00:00.000Z',
          merged_at: null,
        },
      ],
    });
    server.use(
      http.all(`${gitlab.apiBaseUrl}/*`, ({ request: req }) =>
        gitlab.handle(req),
      ),
    );
    const backend = await startHostedBackend('gitlab', gitlab.config);
    const open = {
      kind: 'pull-request',
      number: 7,
      url: `${gitlab.webUrl}/-/merge_requests/7`,
      workloads: ['web'],
      removesEnvironment: false,
    };
    expect((await matrixOf(backend)).cells).toEqual({
      api: undefined,
      web: open,
    });
  });
});
