import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, HttpResponse, passthrough } from 'msw';
import {
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
);

function commit(dir: string, files: Record<string, string>, message: string) {
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
      { cwd: dir, encoding: 'utf8' },
    ).trim();
  for (const [p, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), content);
  }
  git('add', '-A');
  git('commit', '-q', '--allow-empty', '-m', message);
}

const spec = parseEnvironmentSpec({
  name: 'dev',
  owner: 'group:default/checkout-team',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api'],
});

/**
 * The promotion matrix computes each environment's snapshot (Argo CD,
 * Crossplane, template runs, Git) once per head commit of the GitOps branch
 * and caller, not on every request.
 */
describe('promotion matrix snapshots', () => {
  registerMswTestHooks(server);
  let tmp: string;
  let repoDir: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-matrix-'));
    repoDir = path.join(tmp, 'gitops');
    fs.mkdirSync(repoDir);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repoDir });
    commit(repoDir, generateEnvironment(spec), 'Add environment dev');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function start() {
    const calls = { argocd: 0, crossplane: 0, tasks: 0 };
    server.use(
      http.get(
        '*/api/epicshelter-argocd/entities/resource/default/dev/applications',
        () => {
          calls.argocd++;
          return HttpResponse.json({
            items: [],
            instances: [{ name: 'local', status: 'ok', sandbox: true }],
            sandbox: true,
            canAct: false,
          });
        },
      ),
      http.get(
        '*/api/epicshelter-crossplane/entity/resource/default/dev/resources',
        () => {
          calls.crossplane++;
          return HttpResponse.json({}, { status: 404 });
        },
      ),
      http.get('*/api/scaffolder/v2/tasks', () => {
        calls.tasks++;
        return HttpResponse.json({ tasks: [], totalTasks: 0 });
      }),
    );
    const { server: backend } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({
          entities: environmentEntities(spec, {
            kind: 'local' as const,
            location: repoDir,
            branch: 'main',
            branchPrefix: 'epicshelter/',
          }),
        }),
        mockServices.rootConfig.factory({
          data: { gitops: { repository: repoDir } },
        }),
      ],
    });
    const matrix = (user = 'user:default/mock') =>
      request(backend)
        .get('/api/environments/matrix')
        .set('authorization', mockCredentials.user.header(user));
    return { calls, matrix };
  }

  it('computes an environment once for two requests at the same head commit', async () => {
    const { calls, matrix } = await start();
    const first = await matrix();
    const second = await matrix();
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body.matrix.columns.map((c: any) => c.name)).toEqual(['dev']);
    expect(calls).toEqual({ argocd: 1, crossplane: 1, tasks: 1 });
  });

  it('computes again after a new commit on the GitOps branch', async () => {
    const { calls, matrix } = await start();
    await matrix();
    commit(repoDir, { 'README.md': 'changed\n' }, 'Another change');
    await matrix();
    expect(calls.argocd).toBe(2);
  });

  it('does not share one caller’s snapshot with another caller', async () => {
    const { calls, matrix } = await start();
    await matrix('user:default/alice');
    await matrix('user:default/bob');
    expect(calls.argocd).toBe(2);
  });
});
