import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { UserEntity } from '@backstage/catalog-model';
import { createGitOpsPublishAction } from './publish';
import { FakeGitlab } from '../__testUtils__/fakeGitlab';
import { holdTogether } from '../__testUtils__/holdTogether';
import { writeChangeRecord } from '../publish/changeRecord';

const server = setupServer();
registerMswTestHooks(server);

const TOKEN = 'glpat-test-token';
const REPOSITORY = 'https://gitlab.example.com/platform/infra/gitops';
const BOT = { name: 'Portal Bot', email: 'portal-bot@example.com' };

function makeAction(token = TOKEN) {
  const config = new ConfigReader({
    integrations: {
      gitlab: [
        {
          host: 'gitlab.example.com',
          apiBaseUrl: 'https://gitlab.example.com/api/v4',
          token,
        },
      ],
    },
    scaffolder: { defaultAuthor: BOT },
    gitops: {
      repository: REPOSITORY,
      defaultBranch: 'main',
      branchPrefix: 'gitops/',
      pullRequest: { labels: ['environment'], reviewers: ['alice'] },
    },
  });
  return createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    gitlabTuning: { retries: 3, retryBaseMs: 1 },
  });
}

const ENV_FILE = 'gitops/environments/team-a-dev/environment.yaml';

function workspace(content = 'name: team-a-dev\nsize: small\n') {
  const dir = createMockDirectory();
  dir.setContent({
    [ENV_FILE]: content,
    'gitops/environments/team-a-dev/infrastructure/kustomization.yaml':
      'resources: []\n',
  });
  return dir.path;
}

const alice: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice' },
  spec: { profile: { displayName: 'Alice Admin', email: 'alice@example.com' } },
};

function context(workspacePath: string, input: Record<string, unknown> = {}) {
  return createMockActionContext({
    workspacePath,
    input: { environment: 'team-a-dev', sourcePath: 'gitops', ...input } as any,
    user: { entity: alice, ref: 'user:default/alice' },
    task: { id: 'task-0042' },
  });
}

function outputs(ctx: ReturnType<typeof context>) {
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
}

describe('epicshelter:gitops:publish on GitLab', () => {
  let gl: FakeGitlab;
  beforeEach(() => {
    gl = new FakeGitlab();
    server.use(...gl.handlers());
  });

  it('opens one merge request with one commit authored by the requester, with the trailers', async () => {
    const ctx = context(workspace(), { description: 'Environment team-a-dev' });
    await makeAction().handler(ctx);

    const head = gl.headOf('gitops/team-a-dev');
    expect(head.parent_ids).toEqual([gl.branches.get('main')]);
    expect(gl.filesOf('gitops/team-a-dev')).toEqual({
      'README.md': '# GitOps\n',
      'environments/team-a-dev/environment.yaml':
        'name: team-a-dev\nsize: small\n',
      'environments/team-a-dev/infrastructure/kustomization.yaml':
        'resources: []\n',
    });
    expect(head).toMatchObject({
      author_name: 'Alice Admin',
      author_email: 'alice@example.com',
    });
    expect(head.message).toContain(
      'Requested-by: Alice Admin <alice@example.com>',
    );
    expect(head.message).toContain('Scaffolder-Task: task-0042');
    expect(head.message).toContain('Epicshelter-Change: gitops/team-a-dev');
    const commitRequest = gl.writes()[0].request as any;
    expect(commitRequest.actions.map((a: any) => a.action)).toEqual([
      'create',
      'create',
    ]);
    expect(commitRequest.start_sha).toBe(gl.branches.get('main'));

    expect(gl.mergeRequests).toHaveLength(1);
    expect(gl.mergeRequests[0]).toMatchObject({
      source_branch: 'gitops/team-a-dev',
      target_branch: 'main',
      title: 'Environment team-a-dev: GitOps change',
      labels: ['environment'],
      reviewers: [{ id: 7, username: 'alice' }],
    });
    expect(gl.mergeRequests[0].description).toContain('Environment team-a-dev');
    expect(gl.mergeRequests[0].description).toContain('task-0042');
    // one commit, one merge request: nothing else written
    expect(gl.writes().map(w => `${w.method} ${w.path}`)).toEqual([
      'POST /projects/platform/infra/gitops/repository/commits',
      'POST /projects/platform/infra/gitops/merge_requests',
    ]);
    expect(outputs(ctx)).toMatchObject({
      repositoryType: 'gitlab',
      commitSha: head.id,
      branch: 'gitops/team-a-dev',
      remoteUrl: `${REPOSITORY}/-/merge_requests/1`,
      pullRequestUrl: `${REPOSITORY}/-/merge_requests/1`,
      pullRequestNumber: 1,
    });
  });

  it('updates only files that differ and marks a draft', async () => {
    gl = new FakeGitlab({
      files: {
        'environments/team-a-dev/infrastructure/kustomization.yaml':
          'resources: []\n',
        'environments/team-a-dev/environment.yaml': 'name: team-a-dev\n',
      },
    });
    server.resetHandlers(...gl.handlers());
    await makeAction().handler(context(workspace(), { draft: true }));
    const commitRequest = gl.writes()[0].request as any;
    expect(commitRequest.actions).toEqual([
      {
        action: 'update',
        file_path: 'environments/team-a-dev/environment.yaml',
        content: 'name: team-a-dev\nsize: small\n',
        encoding: 'text',
      },
    ]);
    expect(gl.mergeRequests[0].draft).toBe(true);
    expect(gl.mergeRequests[0].title).toMatch(/^Draft: /);
  });

  it('re-running the same change finds the branch and merge request and writes nothing', async () => {
    const first = context(workspace());
    await makeAction().handler(first);
    const writes = gl.writes().length;
    const second = context(workspace());
    await makeAction().handler(second);
    expect(gl.writes()).toHaveLength(writes);
    expect(gl.mergeRequests).toHaveLength(1);
    expect(outputs(second)).toEqual(outputs(first));
  });

  it('never replaces its own pending change: a different change is refused in a sentence while its merge request is open', async () => {
    await makeAction().handler(context(workspace()));
    const before = gl.headOf('gitops/team-a-dev').id;
    const writes = gl.writes().length;
    await expect(
      makeAction().handler(
        context(workspace('name: team-a-dev\nsize: large\n')),
      ),
    ).rejects.toThrow(
      `Branch gitops/team-a-dev in platform/infra/gitops holds another change for 'team-a-dev' (commit ${before.slice(
        0,
        7,
      )}) that is not in main yet; it is never overwritten, and nothing was changed. Merge or close its merge request and delete the branch, then run the template again.`,
    );
    expect(gl.headOf('gitops/team-a-dev').id).toBe(before);
    expect(gl.writes()).toHaveLength(writes);
    expect(gl.mergeRequests).toHaveLength(1);
  });

  it('never overwrites a branch holding someone else’s commits', async () => {
    gl.branches.set('gitops/team-a-dev', gl.branches.get('main')!);
    gl.pushCommit('gitops/team-a-dev', { 'x.txt': 'x\n' }, 'manual work');
    await expect(makeAction().handler(context(workspace()))).rejects.toThrow(
      /Branch gitops\/team-a-dev .* already exists and holds commits that this action did not make/,
    );
    expect(gl.writes()).toEqual([]);
  });

  it('accepts a branch another run created meanwhile with exactly this change', async () => {
    let raced = false;
    gl.beforeRequest = (method, path, body) => {
      if (!raced && method === 'POST' && path.endsWith('/repository/commits')) {
        raced = true;
        gl.createCommit(body); // the other run's identical commit lands first
      }
    };
    const ctx = context(workspace());
    await makeAction().handler(ctx);
    const head = gl.headOf('gitops/team-a-dev');
    expect(head.parent_ids).toEqual([gl.branches.get('main')]);
    expect(outputs(ctx).commitSha).toBe(head.id);
    expect(gl.mergeRequests).toHaveLength(1);
    expect(
      gl.exchanges
        .filter(e => e.path.endsWith('/repository/commits'))
        .map(e => e.status),
    ).toEqual([400]);
  });

  it('refuses when another run created the branch meanwhile with a different change', async () => {
    let raced = false;
    gl.beforeRequest = (method, path, body) => {
      if (!raced && method === 'POST' && path.endsWith('/repository/commits')) {
        raced = true;
        gl.createCommit({
          ...body,
          actions: [
            { ...body.actions[0], content: 'name: team-a-dev\nsize: huge\n' },
          ],
        });
      }
    };
    await expect(makeAction().handler(context(workspace()))).rejects.toThrow(
      /Branch gitops\/team-a-dev in platform\/infra\/gitops was created meanwhile by another run with a different change/,
    );
    expect(gl.mergeRequests).toHaveLength(0);
  });

  it('retries 429 and 5xx answers with backoff', async () => {
    gl.faults.push(
      {
        method: 'POST',
        path: /\/repository\/commits$/,
        status: 429,
        times: 1,
        headers: { 'Retry-After': '0' },
      },
      { method: 'GET', path: /\/merge_requests$/, status: 502, times: 2 },
    );
    const ctx = context(workspace());
    await makeAction().handler(ctx);
    const statuses = gl.exchanges
      .filter(e => /commits$|merge_requests$/.test(e.path))
      .map(e => `${e.method} ${e.status}`);
    expect(statuses).toEqual([
      'POST 429',
      'POST 201',
      'GET 502',
      'GET 502',
      'GET 200',
      'POST 201',
    ]);
    expect(gl.mergeRequests).toHaveLength(1);
  });

  it('gives up after the retries with a clear error', async () => {
    gl.faults.push({
      method: 'POST',
      path: /\/repository\/commits$/,
      status: 503,
      times: 10,
    });
    await expect(makeAction().handler(context(workspace()))).rejects.toThrow(
      /GitLab failed while creating the commit in platform\/infra\/gitops \(HTTP 503\)/,
    );
    expect(
      gl.exchanges.filter(e => e.method === 'POST').map(e => e.status),
    ).toEqual([503, 503, 503, 503]);
  });

  it("refuses a change whose environment was created meanwhile ('created meanwhile'), writing nothing", async () => {
    const base = gl.branches.get('main')!;
    const winner = gl.pushCommit(
      'main',
      { 'environments/team-a-dev/environment.yaml': 'name: team-a-dev\n' },
      'someone else creates team-a-dev',
    );
    // what epicshelter:environment:create records in the workspace
    const workspacePath = workspace();
    await writeChangeRecord(workspacePath, {
      baseCommit: base,
      paths: ['environments/team-a-dev'],
      kind: 'created',
    });
    await expect(makeAction().handler(context(workspacePath))).rejects.toThrow(
      `Environment 'team-a-dev' was created meanwhile by another change (commit ${winner.slice(
        0,
        7,
      )}); nothing was written.`,
    );
    expect(gl.writes()).toEqual([]);
  });

  it('publishes when only other paths changed since the base commit, and a retry of the same guarded change succeeds', async () => {
    const base = gl.branches.get('main')!;
    gl.pushCommit('main', { 'other/file.yaml': 'a: 1\n' }, 'unrelated');
    const input = { baseCommit: base, guardPaths: ['environments/team-a-dev'] };
    const first = context(workspace(), input);
    await makeAction().handler(first);
    const writes = gl.writes().length;
    const retry = context(workspace(), input);
    await makeAction().handler(retry);
    expect(gl.writes()).toHaveLength(writes);
    expect(outputs(retry).commitSha).toBe(outputs(first).commitSha);
  });

  it('keeps the token out of logs, outputs and errors', async () => {
    const secret = 'glpat-SECRET-do-not-leak';
    gl.validTokens = new Set([secret]);
    const ctx = context(workspace());
    const logged: string[] = [];
    for (const level of ['info', 'warn'] as const) {
      jest.spyOn(ctx.logger, level).mockImplementation((...args: unknown[]) => {
        logged.push(JSON.stringify(args));
      });
    }
    await makeAction(secret).handler(ctx);
    expect(JSON.stringify(outputs(ctx))).not.toContain(secret);
    expect(logged.join('\n')).not.toContain(secret);
    expect(logged.length).toBeGreaterThan(0);

    // a rejected token: the error names the integration, not the token
    gl.validTokens = new Set(['another']);
    const failing = context(workspace('name: team-a-dev\nsize: large\n'));
    const error = await makeAction(secret)
      .handler(failing)
      .catch((e: Error) => e);
    expect(String((error as Error).message)).toMatch(
      /GitLab rejected the credentials of integrations.gitlab \(host gitlab.example.com\)/,
    );
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(String((error as Error).message)).not.toContain(secret);
    expect(String((error as Error).stack)).not.toContain(secret);
  });

  it('refuses mode "direct" for a GitLab project', async () => {
    await expect(
      makeAction().handler(context(workspace(), { mode: 'direct' })),
    ).rejects.toThrow(/GitLab changes are always merge requests/);
    expect(gl.exchanges).toEqual([]);
  });

  it('two publishers creating one branch at the same moment: exactly one wins, the other is told and overwrites nothing', async () => {
    holdTogether(
      server,
      'POST',
      'https://gitlab.example.com/api/v4/projects/*/repository/commits',
    );
    const results = await Promise.allSettled([
      makeAction().handler(context(workspace())),
      makeAction().handler(
        context(workspace('name: team-a-dev\nsize: huge\n')),
      ),
    ]);
    const lost = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason as Error] : [],
    );
    expect(lost).toHaveLength(1);
    const head = gl.headOf('gitops/team-a-dev');
    expect(lost[0].message).toBe(
      `Branch gitops/team-a-dev in platform/infra/gitops was created meanwhile by another run with a different change (head ${head.id}); nothing was written. Run the template again.`,
    );
    expect(head.parent_ids).toEqual([gl.branches.get('main')]);
    expect(gl.mergeRequests).toHaveLength(1);
    expect(gl.writes().filter(e => (e.request as any)?.force)).toEqual([]);
  });

  describe('a branch left from a merged or closed merge request', () => {
    const BRANCH = 'gitops/team-a-dev';
    const larger = () => workspace('name: team-a-dev\nsize: large\n');
    /** No request asked GitLab to replace a branch (`force`). */
    const expectNoForce = () =>
      expect(gl.writes().filter(e => (e.request as any)?.force)).toEqual([]);

    it('after a squash merge, the next change gets a new branch and a new merge request', async () => {
      await makeAction().handler(context(workspace()));
      const stale = gl.headOf(BRANCH).id;
      gl.endMergeRequest(1, 'squash-merged');
      const ctx = context(larger());
      await makeAction().handler(ctx);
      const head = gl.headOf(BRANCH);
      expect(head.id).not.toBe(stale);
      expect(head.parent_ids).toEqual([gl.branches.get('main')]);
      expect(
        gl.filesOf(BRANCH)['environments/team-a-dev/environment.yaml'],
      ).toBe('name: team-a-dev\nsize: large\n');
      expect(gl.mergeRequests.map(m => [m.iid, m.state])).toEqual([
        [1, 'merged'],
        [2, 'opened'],
      ]);
      expect(outputs(ctx).pullRequestNumber).toBe(2);
      expectNoForce();
    });

    it('after a merge request closed without merging, the next change gets a new branch and merge request; a re-run writes nothing', async () => {
      await makeAction().handler(context(workspace()));
      gl.endMergeRequest(1, 'closed');
      await makeAction().handler(context(larger()));
      const head = gl.headOf(BRANCH);
      expect(head.parent_ids).toEqual([gl.branches.get('main')]);
      expect(gl.mergeRequests.map(m => [m.iid, m.state])).toEqual([
        [1, 'closed'],
        [2, 'opened'],
      ]);
      const writes = gl.writes().length;
      await makeAction().handler(context(larger()));
      expect(gl.writes()).toHaveLength(writes);
      expect(gl.headOf(BRANCH).id).toBe(head.id);
      expectNoForce();
    });

    it('two publishers replacing one stale branch at the same moment: exactly one wins, the other is told and overwrites nothing', async () => {
      await makeAction().handler(context(workspace()));
      gl.endMergeRequest(1, 'squash-merged');
      holdTogether(server, 'DELETE', 'https://gitlab.example.com/api/v4/*');
      const results = await Promise.allSettled([
        makeAction().handler(context(larger())),
        makeAction().handler(
          context(workspace('name: team-a-dev\nsize: huge\n')),
        ),
      ]);
      const lost = results.flatMap(r =>
        r.status === 'rejected' ? [r.reason as Error] : [],
      );
      expect(lost).toHaveLength(1);
      const head = gl.headOf(BRANCH);
      expect(lost[0].message).toBe(
        `Branch ${BRANCH} in platform/infra/gitops was created meanwhile by another run with a different change (head ${head.id}); nothing was written. Run the template again.`,
      );
      expect(head.parent_ids).toEqual([gl.branches.get('main')]);
      const open = gl.mergeRequests.filter(m => m.state === 'opened');
      expect(open).toHaveLength(1);
      expect(
        gl.exchanges
          .filter(e => e.path.endsWith('/repository/commits'))
          .map(e => e.status)
          .sort(),
      ).toEqual([201, 201, 400]);
      expectNoForce();
    });

    it('refuses, writing nothing, when the branch moved after its merge request was merged', async () => {
      await makeAction().handler(context(workspace()));
      gl.endMergeRequest(1, 'squash-merged');
      const moved = gl.pushCommit(BRANCH, { 'x.txt': 'x\n' }, 'after merge');
      const writes = gl.writes().length;
      await expect(makeAction().handler(context(larger()))).rejects.toThrow(
        `Branch ${BRANCH} in platform/infra/gitops already exists and holds commits that this action did not make (head ${moved}).`,
      );
      expect(gl.writes()).toHaveLength(writes);
      expect(gl.headOf(BRANCH).id).toBe(moved);
      expect(gl.mergeRequests).toHaveLength(1);
    });
  });
});
