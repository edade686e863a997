import fs from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGitOpsPublishAction } from './publish';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { validateGithubResponse } from '../__testUtils__/githubOpenApi';
import { fastGithubTuning } from '../__testUtils__/tuning';

const server = setupServer();
registerMswTestHooks(server);

const REPO = 'github.com?owner=epicshelter&repo=gitops';

function makeAction(token = 'ghp_test_token') {
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token }] },
    gitops: {
      repository: 'https://github.com/epicshelter/gitops',
      defaultBranch: 'main',
      branchPrefix: 'gitops/',
      pullRequest: { labels: ['environment'] },
    },
  });
  return createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    githubTuning: fastGithubTuning(),
  });
}

function workspaceWith(count: number, env = 'team-a-dev') {
  const dir = createMockDirectory();
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[
      `gitops/environments/${env}/infrastructure/file-${i}.yaml`
    ] = `kind: ConfigMap\nmetadata:\n  name: f${i}\n`;
  }
  dir.setContent(files);
  return dir.path;
}

/** Gives the first file of a workspace of `workspaceWith` another name. */
function rewriteFile0(workspacePath: string, name: string) {
  fs.writeFileSync(
    path.join(
      workspacePath,
      'gitops/environments/team-a-dev/infrastructure/file-0.yaml',
    ),
    `kind: ConfigMap\nmetadata:\n  name: ${name}\n`,
  );
}

function context(workspacePath: string, input: Record<string, unknown> = {}) {
  return createMockActionContext({
    workspacePath,
    input: { environment: 'team-a-dev', sourcePath: 'gitops', ...input } as any,
  });
}

function expectShapesMatchOpenApi(gh: FakeGithub) {
  const problems = gh.exchanges
    .filter(e => e.status !== 0 && e.operation !== '/graphql')
    .flatMap(e => validateGithubResponse(e));
  expect(problems).toEqual([]);
}

/** Every branch update asked GitHub for a fast-forward (`force: false`). */
function expectNoForcedRefUpdate(gh: FakeGithub) {
  const updates = gh.exchanges.filter(
    e =>
      e.method === 'PATCH' &&
      e.operation === '/repos/{owner}/{repo}/git/refs/{ref}',
  );
  expect(updates.filter(e => (e.request as any)?.force !== false)).toEqual([]);
}

// Validating every response against GitHub's OpenAPI description is slow on
// a loaded 2-core machine.
jest.setTimeout(30_000);

describe('epicshelter:gitops:publish on GitHub', () => {
  let gh: FakeGithub;
  beforeEach(() => {
    gh = new FakeGithub();
    server.use(...gh.handlers());
  });

  it('publishes one commit and one pull request in 6 requests, for 12 and for 60 files', async () => {
    for (const count of [12, 60]) {
      gh = new FakeGithub();
      server.resetHandlers(...gh.handlers());
      const ctx = context(workspaceWith(count));
      await makeAction().handler(ctx);
      expect(gh.exchanges).toHaveLength(6);
      expect(gh.pulls).toHaveLength(1);
      expect(gh.pulls[0]).toMatchObject({
        head: 'gitops/team-a-dev',
        base: 'main',
        labels: ['environment'],
      });
      const files = gh.filesOf('gitops/team-a-dev');
      expect(Object.keys(files)).toHaveLength(count + 1);
      const head = gh.commits.get(gh.refs.get('gitops/team-a-dev')!)!;
      expect(head.parents).toEqual([gh.refs.get('main')]);
      expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 1);
      expect(ctx.output).toHaveBeenCalledWith(
        'pullRequestUrl',
        'https://github.com/epicshelter/gitops/pull/1',
      );
      expect(ctx.output).toHaveBeenCalledWith('commitSha', head.sha);
      expectShapesMatchOpenApi(gh);
    }
  });

  it('writes a pull request body with the summary, the files and a checklist, and asks reviewers', async () => {
    const ctx = context(workspaceWith(2), {
      repository: REPO,
      description: 'Environment team-a-dev: postgres 16',
      reviewers: ['alice'],
      draft: true,
    });
    await makeAction().handler(ctx);
    const pull = gh.pulls[0];
    expect(pull.body).toContain('Environment team-a-dev: postgres 16');
    expect(pull.body).toContain(
      '`environments/team-a-dev/infrastructure/file-0.yaml`',
    );
    expect(pull.body).toContain('### Checklist');
    expect(pull.draft).toBe(true);
    expect(pull.reviewers).toEqual(['alice']);
    expectShapesMatchOpenApi(gh);
  });

  it('is idempotent: a second run leaves the branch and the pull request as they are', async () => {
    const ws = workspaceWith(3);
    await makeAction().handler(context(ws));
    const first = gh.refs.get('gitops/team-a-dev');
    await makeAction().handler(context(ws));
    expect(gh.pulls).toHaveLength(1);
    expect(gh.refs.get('gitops/team-a-dev')).toBe(first);
    expect(gh.pulls[0].headSha).toBe(first);
    expectNoForcedRefUpdate(gh);
    expectShapesMatchOpenApi(gh);
  });

  it('never replaces its own pending change: a different change is refused in a sentence while the first is open', async () => {
    const ws = workspaceWith(3);
    await makeAction().handler(context(ws));
    const first = gh.refs.get('gitops/team-a-dev')!;
    rewriteFile0(ws, 'changed');
    await expect(makeAction().handler(context(ws))).rejects.toThrow(
      `Branch gitops/team-a-dev in epicshelter/gitops holds another change for 'team-a-dev' (commit ${first.slice(
        0,
        7,
      )}) that is not in main yet; it is never overwritten, and nothing was changed. Merge or close its pull request and delete the branch, then run the template again.`,
    );
    expect(gh.refs.get('gitops/team-a-dev')).toBe(first);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0].headSha).toBe(first);
    expectNoForcedRefUpdate(gh);
    expectShapesMatchOpenApi(gh);
  });

  it('leaves its own change as it is when the base branch moved: the pull request still shows exactly this change', async () => {
    const ws = workspaceWith(2);
    await makeAction().handler(context(ws));
    const first = gh.refs.get('gitops/team-a-dev')!;
    const oldBase = gh.refs.get('main');
    gh.pushCommit('main', { 'other.yaml': 'a: 1\n' }, 'someone else');
    const ctx = context(ws);
    await makeAction().handler(ctx);
    expect(gh.refs.get('gitops/team-a-dev')).toBe(first);
    expect(gh.commits.get(first)!.parents).toEqual([oldBase]);
    expect(ctx.output).toHaveBeenCalledWith('commitSha', first);
    expect(gh.pulls).toHaveLength(1);
    expectNoForcedRefUpdate(gh);
    expectShapesMatchOpenApi(gh);
  });

  it('moves a branch whose change is merged already to the new change as a fast-forward, with a new pull request', async () => {
    const ws = workspaceWith(2);
    await makeAction().handler(context(ws));
    // merged (fast-forward) and the pull request closed; the branch is kept
    gh.refs.set('main', gh.refs.get('gitops/team-a-dev')!);
    gh.pulls[0].state = 'closed';
    rewriteFile0(ws, 'second');
    await makeAction().handler(context(ws));
    const head = gh.commits.get(gh.refs.get('gitops/team-a-dev')!)!;
    expect(head.parents).toEqual([gh.refs.get('main')]);
    expect(gh.pulls.map(p => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
    expect(gh.pulls[1].headSha).toBe(head.sha);
    expectNoForcedRefUpdate(gh);
    expectShapesMatchOpenApi(gh);
  });

  it('reports a branch that holds commits of others instead of overwriting it', async () => {
    const ws = workspaceWith(2);
    await makeAction().handler(context(ws));
    const foreign = gh.pushCommit(
      'gitops/team-a-dev',
      { 'x.yaml': 'x: 1\n' },
      'manual fix',
    );
    await expect(makeAction().handler(context(ws))).rejects.toThrow(
      /already exists and holds commits that this action did not make/,
    );
    expect(gh.refs.get('gitops/team-a-dev')).toBe(foreign);
  });

  it('retries a 502 and ends with one commit and one pull request', async () => {
    gh.faults.push({
      method: 'POST',
      operation: '/repos/{owner}/{repo}/git/trees',
      times: 1,
      kind: { type: 'status', status: 502 },
    });
    gh.faults.push({
      method: 'POST',
      operation: '/repos/{owner}/{repo}/pulls',
      times: 1,
      kind: { type: 'status', status: 502 },
    });
    await makeAction().handler(context(workspaceWith(4)));
    expect(gh.pulls).toHaveLength(1);
    const head = gh.commits.get(gh.refs.get('gitops/team-a-dev')!)!;
    expect(head.parents).toEqual([gh.refs.get('main')]);
    expect(gh.exchanges.filter(e => e.status === 502)).toHaveLength(2);
  });

  it('waits out a 403 secondary rate limit with retry-after and succeeds', async () => {
    gh.faults.push({
      method: 'POST',
      operation: '/repos/{owner}/{repo}/git/commits',
      times: 1,
      kind: {
        type: 'status',
        status: 403,
        headers: { 'retry-after': '1' },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          status: '403',
        },
      },
    });
    await makeAction().handler(context(workspaceWith(2)));
    expect(gh.pulls).toHaveLength(1);
    expect(gh.exchanges.filter(e => e.status === 403)).toHaveLength(1);
    expectShapesMatchOpenApi(gh);
  });

  it('reuses the branch when creating it answers 422 "Reference already exists"', async () => {
    // The ref was created, but the answer got lost: the retry sees 422.
    gh.faults.push({
      method: 'POST',
      operation: '/repos/{owner}/{repo}/git/refs',
      times: 1,
      kind: { type: 'reset-after' },
    });
    await makeAction().handler(context(workspaceWith(2)));
    expect(
      gh.exchanges.some(
        e =>
          e.operation === '/repos/{owner}/{repo}/git/refs' && e.status === 422,
      ),
    ).toBe(true);
    expect([...gh.refs.keys()].sort()).toEqual(['gitops/team-a-dev', 'main']);
    expect(gh.pulls).toHaveLength(1);
    expectShapesMatchOpenApi(gh);
  });

  it('after a network reset mid-way, re-running the task ends with one branch and one pull request', async () => {
    // The pull request is created but every answer is lost; retries exhaust.
    gh.faults.push({
      method: 'POST',
      operation: '/repos/{owner}/{repo}/pulls',
      times: 1,
      kind: { type: 'reset-after' },
    });
    gh.faults.push({
      method: 'POST',
      operation: '/repos/{owner}/{repo}/pulls',
      times: 10,
      kind: { type: 'reset-before' },
    });
    const ws = workspaceWith(3);
    await expect(makeAction().handler(context(ws))).rejects.toThrow();
    gh.faults.length = 0;
    await makeAction().handler(context(ws));
    expect([...gh.refs.keys()].sort()).toEqual(['gitops/team-a-dev', 'main']);
    expect(gh.pulls.filter(p => p.state === 'open')).toHaveLength(1);
    expect(gh.pulls[0].headSha).toBe(gh.refs.get('gitops/team-a-dev'));
  });

  it('resumes from checkpoints when the task is retried', async () => {
    const ws = workspaceWith(2);
    const store = new Map<string, any>();
    const ctx = context(ws);
    ctx.checkpoint = async ({ key, fn }: any) => {
      if (!store.has(key)) store.set(key, await fn());
      return store.get(key);
    };
    await makeAction().handler(ctx);
    const writes = gh.writes().length;
    await makeAction().handler(ctx);
    expect(gh.writes()).toHaveLength(writes);
    expect(gh.pulls).toHaveLength(1);
  });

  it('names the integration on 401', async () => {
    await expect(
      makeAction('ghp_revoked').handler(context(workspaceWith(1))),
    ).rejects.toThrow(
      /integrations\.github \(host github\.com\).*Bad credentials/,
    );
    expect(gh.writes().filter(e => e.status !== 401)).toEqual([]);
    expect(gh.refs.size).toBe(1);
  });

  it('makes no request on bad input and in a dry run', async () => {
    const ws = workspaceWith(2);
    await expect(
      makeAction().handler(context(ws, { environment: 'Team_A' })),
    ).rejects.toThrow(/environment "Team_A" must be a DNS-1123 label/);
    await expect(
      makeAction().handler(context(ws, { sourcePath: 'missing' })),
    ).rejects.toThrow(/nothing to publish/);
    await expect(
      makeAction().handler(context(ws, { sourcePath: '../..' })),
    ).rejects.toThrow();
    await expect(
      makeAction().handler(
        context(ws, { repository: 'gitlab.example.com?owner=a&repo=b' }),
      ),
    ).rejects.toThrow();
    const dry = { ...context(ws), isDryRun: true };
    await makeAction().handler(dry);
    expect(dry.output).toHaveBeenCalledWith('commitSha', 'dry-run');
    expect(gh.exchanges).toEqual([]);
  });
});
