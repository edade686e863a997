import path from 'node:path';
import { setupServer } from 'msw/node';
import { http } from 'msw';
import {
  createMockDirectory,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { createFakeGitlabRepository } from '@epicshelter/plugin-gitops-node/testUtils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { readTaskSnapshot } from '../repository';
import { git, seedRepository } from '../__testUtils__/localRepo';

const server = setupServer();
registerMswTestHooks(server);

const API = 'https://gitlab.example.com/api/v4';

/**
 * The read path for a GitLab GitOps repository: the GitOps repository
 * service of gitops-node reading the branch head, tree and blobs from an msw
 * GitLab (gitops-node's fake: the fields and headers GitLab documents)
 * serving a seeded git repository.
 */
describe('reading a GitLab GitOps repository', () => {
  it('reads the branch through the GitLab API; the commit is the one read', async () => {
    const root = createMockDirectory();
    const origin = path.join(root.path, 'origin');
    seedRepository(origin, {
      'environments/dev/environment.yaml': 'name: dev\n',
    });
    const sha = git(origin, 'rev-parse', 'HEAD');
    const gitlab = createFakeGitlabRepository({
      dir: origin,
      token: 'glpat-read',
    });
    server.use(http.all(`${API}/*`, ({ request }) => gitlab.handle(request)));
    const config = new ConfigReader({
      integrations: {
        gitlab: [
          { host: 'gitlab.example.com', apiBaseUrl: API, token: 'glpat-read' },
        ],
      },
      gitops: {
        repository: 'https://gitlab.example.com/platform/infra/gitops',
        defaultBranch: 'main',
      },
    });
    const snapshot = await readTaskSnapshot(
      { config, integrations: ScmIntegrations.fromConfig(config) },
      {},
      mockServices.logger.mock(),
    );
    expect(snapshot).toEqual({
      files: { 'environments/dev/environment.yaml': 'name: dev\n' },
      commit: sha,
    });
    expect(gitlab.requests[0]).toBe('GET /repository/commits/main');
  });
});
