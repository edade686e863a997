import fs from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import type { UserEntity } from '@backstage/catalog-model';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGitOpsPublishAction } from './publish';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { validateGithubResponse } from '../__testUtils__/githubOpenApi';
import { fastGithubTuning } from '../__testUtils__/tuning';
import { git } from '../__testUtils__/localRepo';

const server = setupServer();
registerMswTestHooks(server);

jest.setTimeout(30_000);

const ALICE: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alice', namespace: 'default' },
  spec: {
    profile: { displayName: 'Alice Liddell', email: 'alice@example.com' },
    memberOf: ['checkout-team'],
  },
};
const BOT = { name: 'Portal Bot', email: 'bot@example.com' };

function makeAction(repository: string) {
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token: 'ghp_test_token' }] },
    scaffolder: { defaultAuthor: BOT },
    gitops: { repository, defaultBranch: 'main' },
  });
  return createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    githubTuning: fastGithubTuning(),
    loadBlueprint: async () => [{ path: 'README.md', content: '# GitOps\n' }],
  });
}

function context(user?: { entity?: UserEntity; ref: string }) {
  const dir = createMockDirectory();
  dir.setContent({
    'gitops/environments/shop/environment.yaml': 'spec: {}\n',
  });
  return createMockActionContext({
    workspacePath: dir.path,
    input: { environment: 'shop', sourcePath: 'gitops' } as any,
    user,
    task: { id: 'task-0042' },
  } as any);
}

describe('epicshelter:gitops:publish names who asked and the task', () => {
  it('GitHub: the commit is authored by the requester, committed by scaffolder.defaultAuthor, with trailers; the pull request names both', async () => {
    const gh = new FakeGithub();
    server.use(...gh.handlers());
    await makeAction('https://github.com/epicshelter/gitops').handler(
      context({ entity: ALICE, ref: 'user:default/alice' }),
    );
    const commit = gh.exchanges.find(
      e => e.operation === '/repos/{owner}/{repo}/git/commits',
    )!;
    expect(commit.request).toMatchObject({
      author: { name: 'Alice Liddell', email: 'alice@example.com' },
      committer: BOT,
    });
    expect((commit.request as { message: string }).message).toBe(
      'Environment shop: GitOps change\n\nRequested-by: Alice Liddell <alice@example.com>\nScaffolder-Task: task-0042\nEpicshelter-Change: epicshelter/shop\n',
    );
    const pull = gh.exchanges.find(
      e => e.method === 'POST' && e.operation === '/repos/{owner}/{repo}/pulls',
    )!;
    expect((pull.request as { body: string }).body).toContain(
      'Requested by Alice Liddell <alice@example.com> (`user:default/alice`) in scaffolder task `task-0042`.',
    );
    expect(
      gh.exchanges
        .filter(e => e.operation !== '/graphql')
        .flatMap(e => validateGithubResponse(e)),
    ).toEqual([]);
  });

  it('local: author, committer and trailers in git log; a requester without e-mail is named in the trailer only', async () => {
    const root = createMockDirectory();
    const repo = path.join(root.path, 'gitops');
    await makeAction(repo).handler(
      context({ entity: ALICE, ref: 'user:default/alice' }),
    );
    expect(
      git(
        repo,
        'log',
        '-1',
        '--format=%an <%ae>|%cn <%ce>|%(trailers:only,unfold)',
      ),
    ).toBe(
      'Alice Liddell <alice@example.com>|Portal Bot <bot@example.com>|Requested-by: Alice Liddell <alice@example.com>\nScaffolder-Task: task-0042\nEpicshelter-Change: epicshelter/shop',
    );
    // the blueprint commit that created the repository is the portal's too
    expect(git(repo, 'log', '--format=%an|%cn', 'main~1')).toBe(
      'Portal Bot|Portal Bot',
    );

    const noEmail: UserEntity = {
      ...ALICE,
      metadata: { name: 'bob', namespace: 'default' },
      spec: { profile: { displayName: 'Bob' } },
    };
    const ctx = context({ entity: noEmail, ref: 'user:default/bob' });
    const dir = ctx.workspacePath;
    fs.writeFileSync(
      path.join(dir, 'gitops/environments/shop/environment.yaml'),
      'spec: {owner: bob}\n',
    );
    await makeAction(repo).handler(ctx);
    expect(
      git(
        repo,
        'log',
        '-1',
        '--format=%an|%(trailers:key=Requested-by,valueonly)',
      ),
    ).toBe('Portal Bot|Bob');
  });
});
