import fs from 'node:fs';
import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createEnvironmentCreateAction } from './createEnvironment';
import { createEnvironmentAddResourceAction } from './addResource';
import { createGitOpsPublishAction } from './publish';
import { allowEveryone } from '../__testUtils__/authorizers';
import { git, seedRepository } from '../__testUtils__/localRepo';
import { platformFixture } from '../__testUtils__/platformFixture';
import { environmentSpec } from '../__testUtils__/gitopsBackend';

jest.setTimeout(60_000);

/**
 * Changes computed from the same commit of a real local repository and then
 * published at the same time, as two tasks racing each other would.
 */
describe('publishing to a local repository: no lost writes', () => {
  const root = createMockDirectory();
  let repo: string;
  let options: ReturnType<typeof setup>;

  function setup(localMode: 'direct' | 'branch') {
    const config = new ConfigReader({
      gitops: { repository: repo, defaultBranch: 'main', localMode },
    });
    const integrations = ScmIntegrations.fromConfig(config);
    return { config, integrations, authorizer: allowEveryone };
  }

  beforeEach(() => {
    root.clear();
    repo = path.join(root.path, 'gitops');
    seedRepository(repo, platformFixture());
    options = setup('direct');
  });

  /** Runs environment:create into a fresh workspace; returns it. */
  async function render(owner: string, name = 'shop') {
    const workspacePath = fs.mkdtempSync(path.join(root.path, 'ws-'));
    await createEnvironmentCreateAction(options).handler(
      createMockActionContext({
        workspacePath,
        input: { spec: environmentSpec(name, owner) } as any,
      }),
    );
    return workspacePath;
  }

  function publish(workspacePath: string, environment = 'shop') {
    const ctx = createMockActionContext({
      workspacePath,
      input: { environment, sourcePath: 'gitops' } as any,
    });
    return createGitOpsPublishAction(options)
      .handler(ctx)
      .then(() => ctx);
  }

  const outputOf = (ctx: any, name: string) =>
    (ctx.output as jest.Mock).mock.calls.find(c => c[0] === name)?.[1];

  it('publishes one of two concurrent creates of the same environment; the other writes nothing', async () => {
    const base = git(repo, 'rev-parse', 'main');
    const teamA = await render('group:default/team-a');
    const teamB = await render('group:default/team-b');

    const results = await Promise.allSettled([publish(teamA), publish(teamB)]);
    const won = results.filter(r => r.status === 'fulfilled');
    const lost = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);

    const winner = git(repo, 'rev-parse', 'main');
    expect(git(repo, 'rev-list', '--count', `${base}..main`)).toBe('1');
    expect(lost[0].reason.name).toBe('ConflictError');
    expect(lost[0].reason.message).toBe(
      `Environment 'shop' was created meanwhile by another change (commit ${winner.slice(
        0,
        7,
      )}); nothing was written. Run the template again to start from the current state.`,
    );
    // the winner's environment, whole: its owner and no file of the loser
    const owner = fs.readFileSync(
      path.join(repo, 'environments/shop/environment.yaml'),
      'utf8',
    );
    const winnerWs = results[0].status === 'fulfilled' ? teamA : teamB;
    const files = git(
      repo,
      'ls-tree',
      '-r',
      '--name-only',
      'main',
      'environments/shop',
    );
    expect(owner).toContain(
      winnerWs === teamA ? 'group:default/team-a' : 'group:default/team-b',
    );
    expect(files.split('\n').sort()).toEqual(
      fs
        .readdirSync(path.join(winnerWs, 'gitops/environments/shop'), {
          recursive: true,
          withFileTypes: true,
        })
        .filter(e => e.isFile())
        .map(e =>
          path
            .relative(
              path.join(winnerWs, 'gitops'),
              path.join(e.parentPath, e.name),
            )
            .split(path.sep)
            .join('/'),
        )
        .sort(),
    );
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses the second of two concurrent resource additions to one environment', async () => {
    await publish(await render('group:default/team-a'));
    const add = async (name: string) => {
      const workspacePath = fs.mkdtempSync(path.join(root.path, 'ws-'));
      await createEnvironmentAddResourceAction(options).handler(
        createMockActionContext({
          workspacePath,
          input: {
            environment: 'shop',
            type: 'cache',
            resource: { name, engine: 'redis', version: '7.2', size: 'small' },
          } as any,
        }),
      );
      return workspacePath;
    };
    const [sessions, tokens] = [await add('sessions'), await add('tokens')];
    const base = git(repo, 'rev-parse', 'main');
    const results = await Promise.allSettled([
      publish(sessions),
      publish(tokens),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    )!;
    expect(lost.reason.message).toMatch(
      /^Environment 'shop' was changed meanwhile by another change \(commit [0-9a-f]{7}\); nothing was written\./,
    );
    expect(git(repo, 'rev-list', '--count', `${base}..main`)).toBe('1');
  });

  it('publishes a change whose environment did not change meanwhile, on top of the newer commit', async () => {
    const ws = await render('group:default/team-a');
    const other = await render('group:default/team-b', 'other');
    await publish(other, 'other');
    await publish(ws);
    expect(git(repo, 'log', '--format=%s', '-2', 'main').split('\n')).toEqual([
      'Environment shop: GitOps change',
      'Environment other: GitOps change',
    ]);
  });

  it('reports success when the same change is published again (a retried task), committing nothing', async () => {
    const ws = await render('group:default/team-a');
    const first = await publish(ws);
    const head = git(repo, 'rev-parse', 'main');
    await publish(await render('group:default/team-b', 'other'), 'other');
    const again = await publish(ws);
    expect(outputOf(again, 'commitSha')).toBe(git(repo, 'rev-parse', 'main'));
    expect(outputOf(first, 'commitSha')).toBe(head);
    expect(
      git(repo, 'log', '--format=%s', 'main', '--', 'environments/shop'),
    ).toBe('Environment shop: GitOps change');
  });

  it('branch mode: refuses to replace another task’s pending branch for the environment, accepts its own retry', async () => {
    options = setup('branch');
    const teamA = await render('group:default/team-a');
    const teamB = await render('group:default/team-b');
    await publish(teamA);
    const pending = git(repo, 'rev-parse', 'epicshelter/shop');
    await expect(publish(teamB)).rejects.toThrow(
      `Environment 'shop' was created meanwhile by the pending change on branch epicshelter/shop (commit ${pending.slice(
        0,
        7,
      )}); nothing was written. Run the template again to start from the current state, once that change is merged or closed.`,
    );
    expect(git(repo, 'rev-parse', 'epicshelter/shop')).toBe(pending);
    git(
      repo,
      '-c',
      'user.name=x',
      '-c',
      'user.email=x@x',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'main moves',
    );
    await publish(teamA);
    expect(git(repo, 'rev-parse', 'epicshelter/shop')).toBe(pending);
  });

  it('a retried task (its checkpoints kept) reports success instead of "already exists"; a new task is told the name is taken', async () => {
    const checkpoints = new Map<string, unknown>();
    const checkpoint = async ({ key, fn }: { key: string; fn: () => any }) => {
      if (!checkpoints.has(key)) checkpoints.set(key, await fn());
      return checkpoints.get(key);
    };
    const runTask = async () => {
      // a retry starts from a fresh workspace, with the task's checkpoints
      const workspacePath = fs.mkdtempSync(path.join(root.path, 'ws-'));
      const create = createMockActionContext({
        workspacePath,
        input: { spec: environmentSpec('shop', 'group:default/team-a') } as any,
      });
      const publishCtx = createMockActionContext({
        workspacePath,
        input: { environment: 'shop', sourcePath: 'gitops' } as any,
      });
      create.checkpoint = checkpoint as any;
      publishCtx.checkpoint = checkpoint as any;
      await createEnvironmentCreateAction(options).handler(create);
      await createGitOpsPublishAction(options).handler(publishCtx);
      return outputOf(publishCtx, 'commitSha');
    };
    const first = await runTask();
    await publish(await render('group:default/team-b', 'other'), 'other');
    expect(await runTask()).toBe(first);
    expect(
      git(repo, 'log', '--format=%H', 'main', '--', 'environments/shop'),
    ).toBe(first);

    await expect(render('group:default/team-a')).rejects.toThrow(
      'Invalid environment: spec.name: environment "shop" already exists in the repository (environments/shop); choose another name',
    );
  });
});
