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
import { holdTogether } from '../__testUtils__/holdTogether';
import { writeChangeRecord } from '../publish/changeRecord';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

function makeAction() {
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 'ghp_test_token' }] },
    gitops: {
      repository: 'https://github.com/epicshelter/gitops',
      defaultBranch: 'main',
      branchPrefix: 'gitops/',
    },
  });
  return createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    githubTuning: fastGithubTuning(),
  });
}

/**
 * A workspace as environment:create leaves it: the environment's files and
 * the record of the commit they were computed from.
 */
async function createdFrom(
  baseCommit: string,
  owner: string,
  options: { kind?: 'created' | 'changed'; record?: boolean } = {},
) {
  const dir = createMockDirectory();
  dir.setContent({
    'gitops/environments/shop/environment.yaml': `spec:\n  owner: ${owner}\n`,
    [`gitops/environments/shop/infrastructure/db-${owner}.yaml`]: 'kind: X\n',
  });
  if (options.record !== false) {
    await writeChangeRecord(dir.path, {
      baseCommit,
      paths: ['environments/shop'],
      kind: options.kind ?? 'created',
    });
  }
  return dir.path;
}

/**
 * Two publishers reach GitHub's branch write (`method` on the refs
 * endpoints) at the same moment, the window a re-check before a forced
 * update left open.
 */
function raceAt(method: 'POST' | 'PATCH' | 'DELETE') {
  holdTogether(
    server,
    method,
    'https://api.github.com/repos/epicshelter/gitops/git/refs*',
  );
}

/** Every branch update asked GitHub for a fast-forward (`force: false`). */
function expectOnlyFastForwards(gh: FakeGithub) {
  const updates = gh.exchanges.filter(
    e =>
      e.method === 'PATCH' &&
      e.operation === '/repos/{owner}/{repo}/git/refs/{ref}',
  );
  expect(updates.map(e => (e.request as any)?.force)).not.toContain(true);
}

const publish = (workspacePath: string) =>
  makeAction().handler(
    createMockActionContext({
      workspacePath,
      input: { environment: 'shop', sourcePath: 'gitops' } as any,
    }),
  );

/** Runs two publishes at once: the one that resolved and the one that failed. */
async function race(first: string, second: string) {
  const results = await Promise.allSettled([publish(first), publish(second)]);
  const won = results.filter(r => r.status === 'fulfilled');
  const lost = results.flatMap(r =>
    r.status === 'rejected' ? [r.reason] : [],
  );
  return { won, lost: lost as Error[] };
}

/** Requests that leave something visible: refs, commits on them, pull requests. */
const visibleWrites = (exchanges: FakeGithub['exchanges']) =>
  exchanges
    .filter(e => e.method !== 'GET' && e.operation !== '/graphql')
    .filter(e => !e.operation.endsWith('/git/trees'))
    .filter(e => !e.operation.endsWith('/git/commits'))
    .map(e => `${e.method} ${e.operation}`);

/** Every answer of the fake matches GitHub's OpenAPI description. */
function expectShapesMatchOpenApi(gh: FakeGithub) {
  expect(
    gh.exchanges
      .filter(e => e.status !== 0 && e.operation !== '/graphql')
      .flatMap(e => validateGithubResponse(e)),
  ).toEqual([]);
}

describe('epicshelter:gitops:publish on GitHub: changes computed from an old base', () => {
  let gh: FakeGithub;
  beforeEach(() => {
    gh = new FakeGithub();
    server.use(...gh.handlers());
  });

  /**
   * Two changes of shop computed from `merged` race at `method` on the refs
   * endpoints: exactly one is the branch (one commit on `merged`, the one
   * open pull request), the other is told the environment changed meanwhile.
   * Returns the winner's pull request.
   */
  async function raceTwoChangesAt(method: 'PATCH' | 'DELETE', merged: string) {
    const b = await createdFrom(merged, 'team-b', { kind: 'changed' });
    const c = await createdFrom(merged, 'team-c', { kind: 'changed' });
    raceAt(method);
    const { won, lost } = await race(b, c);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const head = gh.refs.get('gitops/shop')!;
    expect(lost[0].message).toBe(
      `Environment 'shop' was changed meanwhile by the pending change on branch gitops/shop (commit ${head.slice(
        0,
        7,
      )}); nothing was written. Run the template again to start from the current state, once that change is merged or closed.`,
    );
    expect(gh.commits.get(head)!.parents).toEqual([merged]);
    expect(gh.filesOf('gitops/shop')).toMatchObject({
      'environments/shop/environment.yaml':
        expect.stringMatching(/owner: team-[bc]/),
    });
    const open = gh.pulls.filter(p => p.state === 'open');
    expect(open).toHaveLength(1);
    expect(open[0].headSha).toBe(head);
    return open[0];
  }

  it('refuses the second of two creates of one environment: no branch update, no second pull request', async () => {
    const base = gh.refs.get('main')!;
    const first = await createdFrom(base, 'team-a');
    const second = await createdFrom(base, 'team-b');
    await publish(first);
    const branchHead = gh.refs.get('gitops/shop')!;
    const before = gh.exchanges.length;

    await expect(publish(second)).rejects.toThrow(
      `Environment 'shop' was created meanwhile by the pending change on branch gitops/shop (commit ${branchHead.slice(
        0,
        7,
      )}); nothing was written. Run the template again to start from the current state, once that change is merged or closed.`,
    );
    expect(gh.refs.get('gitops/shop')).toBe(branchHead);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.filesOf('gitops/shop')).toMatchObject({
      'environments/shop/environment.yaml': 'spec:\n  owner: team-a\n',
    });
    expect(visibleWrites(gh.exchanges.slice(before))).toEqual([]);
    expectShapesMatchOpenApi(gh);
  });

  it('refuses a create when the environment reached main meanwhile, naming the commit', async () => {
    const base = gh.refs.get('main')!;
    const late = await createdFrom(base, 'team-b');
    const merged = gh.pushCommit(
      'main',
      { 'environments/shop/environment.yaml': 'spec:\n  owner: team-a\n' },
      'Create environment shop',
    );
    await expect(publish(late)).rejects.toThrow(
      `Environment 'shop' was created meanwhile by another change (commit ${merged.slice(
        0,
        7,
      )}); nothing was written.`,
    );
    expect(gh.refs.has('gitops/shop')).toBe(false);
    expect(gh.pulls).toHaveLength(0);
    expect(visibleWrites(gh.exchanges)).toEqual([]);
    expectShapesMatchOpenApi(gh);
  });

  it('publishes when main moved only outside the environment', async () => {
    const base = gh.refs.get('main')!;
    const ws = await createdFrom(base, 'team-a');
    gh.pushCommit('main', { 'apps/web/base/x.yaml': 'a: 1\n' }, 'unrelated');
    await publish(ws);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.filesOf('gitops/shop')).toMatchObject({
      'apps/web/base/x.yaml': 'a: 1\n',
      'environments/shop/environment.yaml': 'spec:\n  owner: team-a\n',
    });
    expectShapesMatchOpenApi(gh);
  });

  it('reports success, changing nothing, when exactly this change is already on its branch (a retried task)', async () => {
    const base = gh.refs.get('main')!;
    const ws = await createdFrom(base, 'team-a');
    await publish(ws);
    const head = gh.refs.get('gitops/shop');
    gh.pushCommit('main', { 'apps/web/base/x.yaml': 'a: 1\n' }, 'unrelated');
    await publish(ws);
    expect(gh.refs.get('gitops/shop')).toBe(head);
    expect(gh.pulls).toHaveLength(1);
    expectShapesMatchOpenApi(gh);
  });

  it('two publishers creating one branch at the same moment: exactly one wins, the other is told and overwrites nothing', async () => {
    const base = gh.refs.get('main')!;
    // no recorded base: only GitHub's atomic ref creation decides
    const a = await createdFrom(base, 'team-a', { record: false });
    const b = await createdFrom(base, 'team-b', { record: false });
    raceAt('POST');
    const { won, lost } = await race(a, b);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const head = gh.refs.get('gitops/shop')!;
    const owner =
      gh.filesOf('gitops/shop')['environments/shop/environment.yaml'];
    expect(owner).toMatch(/owner: team-[ab]/);
    expect(lost[0].message).toBe(
      `Branch gitops/shop in epicshelter/gitops holds another change for 'shop' (commit ${head.slice(
        0,
        7,
      )}) that is not in main yet; it is never overwritten, and nothing was changed. Merge or close its pull request and delete the branch, then run the template again.`,
    );
    // the winner's commit is the branch, its pull request the only one
    expect(gh.commits.get(head)!.parents).toEqual([base]);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0].headSha).toBe(head);
    expectOnlyFastForwards(gh);
    expectShapesMatchOpenApi(gh);
  });

  it('two publishers moving a merged branch at the same moment: exactly one fast-forward wins, the other is told the environment changed meanwhile', async () => {
    // shop was created, merged (the branch kept) and its pull request closed
    await publish(await createdFrom(gh.refs.get('main')!, 'team-a'));
    gh.refs.set('main', gh.refs.get('gitops/shop')!);
    gh.pulls[0].state = 'closed';
    const winner = await raceTwoChangesAt('PATCH', gh.refs.get('main')!);
    expect(winner.number).toBe(2);
    expectOnlyFastForwards(gh);
    expectShapesMatchOpenApi(gh);
  });

  describe('a branch left from a merged or closed pull request', () => {
    /** shop created by team-a, its pull request squash-merged, the branch kept. */
    async function squashMerged() {
      await publish(await createdFrom(gh.refs.get('main')!, 'team-a'));
      const stale = gh.refs.get('gitops/shop')!;
      const merged = gh.squashMerge(1);
      return { stale, merged };
    }

    it('after a squash merge, the next change of the environment gets a new branch and a new pull request', async () => {
      const { stale, merged } = await squashMerged();
      expect(gh.filesOf('main')).toMatchObject({
        'environments/shop/environment.yaml': 'spec:\n  owner: team-a\n',
      });
      await publish(await createdFrom(merged, 'team-b', { kind: 'changed' }));
      const head = gh.refs.get('gitops/shop')!;
      expect(head).not.toBe(stale);
      expect(gh.commits.get(head)!.parents).toEqual([merged]);
      expect(gh.filesOf('gitops/shop')).toMatchObject({
        'environments/shop/environment.yaml': 'spec:\n  owner: team-b\n',
      });
      expect(gh.pulls.map(p => [p.number, p.state, p.headSha])).toEqual([
        [1, 'closed', stale],
        [2, 'open', head],
      ]);
      expectOnlyFastForwards(gh);
      expectShapesMatchOpenApi(gh);
    });

    it('after a pull request closed without merging, the next change gets a new branch and a new pull request', async () => {
      const base = gh.refs.get('main')!;
      await publish(await createdFrom(base, 'team-a'));
      const stale = gh.refs.get('gitops/shop')!;
      gh.pulls[0].state = 'closed';
      await publish(await createdFrom(base, 'team-b'));
      const head = gh.refs.get('gitops/shop')!;
      expect(head).not.toBe(stale);
      expect(gh.commits.get(head)!.parents).toEqual([base]);
      expect(gh.filesOf('gitops/shop')).toMatchObject({
        'environments/shop/environment.yaml': 'spec:\n  owner: team-b\n',
      });
      expect(gh.pulls.map(p => [p.number, p.state])).toEqual([
        [1, 'closed'],
        [2, 'open'],
      ]);
      expect(gh.pulls[1].headSha).toBe(head);
      // re-running the task is idempotent: same branch, same pull request
      await publish(await createdFrom(base, 'team-b'));
      expect(gh.refs.get('gitops/shop')).toBe(head);
      expect(gh.pulls).toHaveLength(2);
      expectShapesMatchOpenApi(gh);
    });

    it('two runs replacing one stale branch at the same moment: exactly one wins, the other is told and overwrites nothing', async () => {
      const { merged } = await squashMerged();
      const winner = await raceTwoChangesAt('DELETE', merged);
      expect(winner.number).toBe(2);
      expectOnlyFastForwards(gh);
      expectShapesMatchOpenApi(gh);
    });

    it('refuses, changing nothing, when the branch moved after its pull request was merged', async () => {
      const { merged } = await squashMerged();
      const moved = gh.pushCommit(
        'gitops/shop',
        { 'environments/shop/notes.md': 'later\n' },
        'a fix after the merge',
      );
      const before = gh.exchanges.length;
      // without a recorded base: the branch placement refuses
      await expect(
        publish(await createdFrom(merged, 'team-b', { record: false })),
      ).rejects.toThrow(
        `Branch gitops/shop in epicshelter/gitops already exists and holds commits that this action did not make (head ${moved}).`,
      );
      // with one: the check before the commit already does
      await expect(
        publish(await createdFrom(merged, 'team-b', { kind: 'changed' })),
      ).rejects.toThrow(
        `Environment 'shop' was changed meanwhile by the pending change on branch gitops/shop (commit ${moved.slice(
          0,
          7,
        )}); nothing was written.`,
      );
      expect(gh.refs.get('gitops/shop')).toBe(moved);
      expect(gh.pulls).toHaveLength(1);
      // what was asked of GitHub was refused by it (atomic create, fast-forward only)
      const after = gh.exchanges.slice(before);
      expect(visibleWrites(after.filter(e => e.status < 400))).toEqual([]);
      expect(after.filter(e => e.method === 'DELETE')).toEqual([]);
      expectShapesMatchOpenApi(gh);
    });
  });
});
