import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { setupServer } from 'msw/node';
import { http, passthrough } from 'msw';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createFakeGitlabRepository } from '@epicshelter/plugin-gitops-node/testUtils';
import environmentsPlugin from './index';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);
registerMswTestHooks(server);

describe('environments backend on a GitLab GitOps repository', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'env-gitlab-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes gitops.repository on a GitLab host and reads the apps of its configured branch', async () => {
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
        { cwd: dir },
      );
    git('init', '-q', '-b', 'trunk');
    for (const app of ['storefront', 'orders-api']) {
      fs.mkdirSync(path.join(dir, 'apps', app, 'base'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'apps', app, 'base', 'kustomization.yaml'),
        'resources: []\n',
      );
    }
    git('add', '-A');
    git('commit', '-q', '-m', 'apps');
    const gitlab = createFakeGitlabRepository({ dir, token: 'glpat-read' });
    server.use(
      http.all(`${gitlab.apiBaseUrl}/*`, ({ request: r }) => gitlab.handle(r)),
    );
    const { server: backend } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            ...gitlab.config,
            gitops: { repository: gitlab.webUrl, defaultBranch: 'trunk' },
          },
        }),
      ],
    });
    const res = await request(backend)
      .get('/api/environments/apps')
      .set('authorization', 'Bearer mock-user-token');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ name: 'orders-api' }, { name: 'storefront' }],
    });
    expect(gitlab.requests[0]).toBe('GET /repository/commits/trunk');
  });
});
