import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import environmentsPlugin from './index';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
  // Argo CD, Crossplane and the scaffolder know nothing of the environment
  http.get('*/api/epicshelter-argocd/*', () =>
    HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
  ),
  http.get('*/api/epicshelter-crossplane/*', () =>
    HttpResponse.json({ error: { message: 'down' } }, { status: 503 }),
  ),
  http.get('*/api/scaffolder/v2/tasks', () =>
    HttpResponse.json({ tasks: [], totalTasks: 0 }),
  ),
);

const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();

const spec = parseEnvironmentSpec({
  name: 'staging',
  owner: 'group:default/platform-team',
  target: 'local',
  provider: 'local',
  workloads: ['web'],
  workloadOverrides: { web: { imageTag: '1.0.0' } },
});

/**
 * The promotion matrix tells, per environment (and so per cell), whether a
 * change is open for it: for the local repository, a change branch
 * (`epicshelter/<env>`, as publish names it) not merged into main.
 */
describe('open changes in the promotion matrix (local repository)', () => {
  registerMswTestHooks(server);
  const dir = createMockDirectory();
  let repo: string;

  beforeEach(() => {
    dir.clear();
    repo = path.join(dir.path, 'gitops');
    fs.mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    for (const [p, content] of Object.entries(generateEnvironment(spec))) {
      fs.mkdirSync(path.dirname(path.join(repo, p)), { recursive: true });
      fs.writeFileSync(path.join(repo, p), content);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'Environment staging');
  });

  async function matrixColumn() {
    const { server: backend } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({
          entities: environmentEntities(spec, {
            kind: 'local',
            location: repo,
            branch: 'main',
            branchPrefix: 'epicshelter/',
          }),
        }),
        mockServices.rootConfig.factory({
          data: { gitops: { repository: repo } },
        }),
      ],
    });
    const res = await request(backend)
      .get('/api/environments/matrix')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body.matrix.columns[0];
  }

  const proposePromotion = () => {
    git(repo, 'checkout', '-qb', 'epicshelter/staging');
    const file = path.join(repo, 'environments/staging/environment.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('1.0.0', '1.1.0'),
    );
    git(repo, 'commit', '-qam', 'Environment staging: promote web from dev');
    git(repo, 'checkout', '-q', 'main');
    return git(repo, 'rev-parse', 'epicshelter/staging');
  };

  it('shows an unmerged change branch as the open change', async () => {
    const sha = proposePromotion();
    expect((await matrixColumn()).openChange).toEqual({
      kind: 'branch',
      branch: 'epicshelter/staging',
      sha,
    });
  });

  it('shows nothing once the branch is merged, or without one', async () => {
    expect(await matrixColumn()).not.toHaveProperty('openChange');
    proposePromotion();
    git(repo, 'merge', '-q', '--ff-only', 'epicshelter/staging');
    expect(await matrixColumn()).not.toHaveProperty('openChange');
  });
});
