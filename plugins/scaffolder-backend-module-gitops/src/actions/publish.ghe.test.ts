import path from 'node:path';
import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGitOpsPublishAction } from './publish';
import { readTaskSnapshot } from '../repository';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { createFakeGithubRepository } from '@epicshelter/plugin-gitops-node/testUtils';
import { http } from 'msw';
import { validateGithubResponse } from '../__testUtils__/githubOpenApi';
import { git, seedRepository } from '../__testUtils__/localRepo';
import { fastGithubTuning } from '../__testUtils__/tuning';

const server = setupServer();
registerMswTestHooks(server);

const GHE = {
  api: 'https://ghe.example.com/api/v3',
  web: 'https://ghe.example.com',
};
const GHE_TOKEN = 'ghe_test_token';

function config() {
  return new ConfigReader({
    integrations: {
      github: [
        { host: 'github.com', token: 'ghp_public_token' },
        { host: 'ghe.example.com', apiBaseUrl: GHE.api, token: GHE_TOKEN },
      ],
    },
    gitops: {
      repository: 'https://ghe.example.com/epicshelter/gitops',
      defaultBranch: 'main',
      branchPrefix: 'gitops/',
    },
  });
}

// Real git archives on a loaded 2-core machine.
jest.setTimeout(30_000);

describe('a GitOps repository on GitHub Enterprise (ghe.example.com)', () => {
  it('publishes through the host’s API with its token; the links point to the host', async () => {
    const gh = new FakeGithub(undefined, GHE);
    gh.validTokens = new Set([GHE_TOKEN]);
    server.use(...gh.handlers());
    const c = config();
    const action = createGitOpsPublishAction({
      config: c,
      integrations: ScmIntegrations.fromConfig(c),
      githubTuning: fastGithubTuning(),
    });
    const dir = createMockDirectory();
    dir.setContent({
      'gitops/environments/team-a-dev/environment.yaml': 'name: team-a-dev\n',
    });
    const ctx = createMockActionContext({
      workspacePath: dir.path,
      input: { environment: 'team-a-dev', sourcePath: 'gitops' },
    });
    await action.handler(ctx);
    expect(gh.pulls).toHaveLength(1);
    expect(gh.exchanges.every(e => e.status > 0 && e.status < 400)).toBe(true);
    expect(ctx.output).toHaveBeenCalledWith('repositoryType', 'github');
    expect(ctx.output).toHaveBeenCalledWith(
      'pullRequestUrl',
      'https://ghe.example.com/epicshelter/gitops/pull/1',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      'https://ghe.example.com/epicshelter/gitops/pull/1',
    );
  });

  it('reads the repository through the API of the host', async () => {
    const root = createMockDirectory();
    const origin = path.join(root.path, 'origin');
    seedRepository(origin, {
      'environments/dev/environment.yaml': 'name: dev\n',
    });
    const gh = createFakeGithubRepository({
      dir: origin,
      apiBaseUrl: GHE.api,
      webBaseUrl: 'https://ghe.example.com',
      owner: 'epicshelter',
      token: GHE_TOKEN,
      validate: validateGithubResponse,
    });
    server.use(
      http.all(`${GHE.api}/repos/epicshelter/gitops/*`, ({ request }) =>
        gh.handle(request),
      ),
    );
    const c = config();
    const snapshot = await readTaskSnapshot(
      {
        config: c,
        integrations: ScmIntegrations.fromConfig(c),
      },
      {},
      mockServices.logger.mock(),
    );
    expect(snapshot.files).toEqual({
      'environments/dev/environment.yaml': 'name: dev\n',
    });
    expect(snapshot.commit).toBe(git(origin, 'rev-parse', 'main'));
    expect(gh.requests[0]).toBe('GET /commits/main');
    expect(gh.invalid).toEqual([]);
  });
});
