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
async function createdFrom(baseCommit: string, owner: string) {
  const dir = createMockDirectory();
  dir.setContent({
    'gitops/environments/shop/environment.yaml': `spec:\n  owner: ${owner}\n`,
    [`gitops/environments/shop/infrastructure/db-${owner}.yaml`]: 'kind: X\n',
  });
  await writeChangeRecord(dir.path, {
    baseCommit,
    paths: ['environments/shop'],
    kind: 'created',
  });
  return dir.path;
}

const publish = (workspacePath: string) =>
  makeAction().handler(
    createMockActionContext({
      workspacePath,
      input: { environment: 'shop', sourcePath: 'gitops' } as any,
    }),
  );

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
});
