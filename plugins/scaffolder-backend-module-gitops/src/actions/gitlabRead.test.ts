import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  createMockDirectory,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { readTaskSnapshot } from '../repository';
import { git, seedRepository } from '../__testUtils__/localRepo';

const server = setupServer();
registerMswTestHooks(server);

const API = 'https://gitlab.example.com/api/v4';
const PROJECT = encodeURIComponent('platform/infra/gitops');

/**
 * The read path for a GitLab GitOps repository: the backend's real
 * GitlabUrlReader reading `<project>/-/tree/<branch>` from msw answers with
 * the fields GitLab documents (project, commits, archive as a real
 * `git archive` tar.gz).
 */
describe('reading a GitLab GitOps repository', () => {
  it('reads the branch through the GitLab URL reader; the commit is the one read', async () => {
    const root = createMockDirectory();
    const origin = path.join(root.path, 'origin');
    seedRepository(origin, {
      'environments/dev/environment.yaml': 'name: dev\n',
    });
    const sha = git(origin, 'rev-parse', 'HEAD');
    const seen: string[] = [];
    server.use(
      http.get(`${API}/projects/${PROJECT}`, ({ request }) => {
        seen.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json({
          id: 4711,
          path_with_namespace: 'platform/infra/gitops',
          default_branch: 'main',
          web_url: 'https://gitlab.example.com/platform/infra/gitops',
        });
      }),
      http.get(
        `${API}/projects/${PROJECT}/repository/commits`,
        ({ request }) => {
          expect(new URL(request.url).searchParams.get('ref_name')).toBe(
            'main',
          );
          return HttpResponse.json([{ id: sha, short_id: sha.slice(0, 8) }]);
        },
      ),
      http.get(`${API}/projects/${PROJECT}/repository/archive`, () => {
        const archive = execFileSync(
          'git',
          ['archive', '--format=tar.gz', `--prefix=gitops-${sha}-${sha}/`, sha],
          { cwd: origin },
        );
        return new HttpResponse(archive, {
          headers: { 'Content-Type': 'application/x-gzip' },
        });
      }),
    );
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
      {
        config,
        integrations: ScmIntegrations.fromConfig(config),
        urlReader: UrlReaders.default({
          config,
          logger: mockServices.logger.mock(),
        }),
      },
      {},
      mockServices.logger.mock(),
    );
    expect(snapshot).toEqual({
      files: { 'environments/dev/environment.yaml': 'name: dev\n' },
      commit: sha,
    });
    expect(seen).toEqual(['Bearer glpat-read']);
  });
});
