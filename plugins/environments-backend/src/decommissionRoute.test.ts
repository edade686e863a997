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
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import environmentsPlugin from './index';

jest.setTimeout(30_000);

const server = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
);

describe('GET /environments/:name/decommission', () => {
  registerMswTestHooks(server);
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-decommission-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: tmp });
    fs.writeFileSync(path.join(tmp, 'README.md'), 'gitops\n');
    execFileSync('git', ['add', '-A'], { cwd: tmp });
    execFileSync(
      'git',
      [
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'commit',
        '-qm',
        'init',
      ],
      { cwd: tmp },
    );
    server.use(
      http.all('*/api/epicshelter-argocd/*', () =>
        HttpResponse.json({ message: 'not found' }, { status: 404 }),
      ),
      http.all('*/api/epicshelter-crossplane/*', () =>
        HttpResponse.json({ message: 'not found' }, { status: 404 }),
      ),
    );
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function start(permissions?: AuthorizeResult.DENY) {
    const { server: backend } = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: { gitops: { repository: tmp } },
        }),
        ...(permissions
          ? [mockServices.permissions.factory({ result: permissions })]
          : []),
      ],
    });
    return (p: string) =>
      request(backend)
        .get(`/api/environments${p}`)
        .set('authorization', mockCredentials.user.header());
  }

  it('answers the decommission lifecycle of an environment the repository does not hold', async () => {
    const get = await start();
    const res = await get('/environments/gone/decommission');
    expect(res.status).toBe(200);
    expect(res.body.steps.map((s: { id: string }) => s.id)).toEqual([
      'proposed',
      'merged',
      'pruned',
      'resources-gone',
      'entity-removed',
    ]);
    expect(res.body.steps[4]).toMatchObject({ state: 'done' });
  });

  it('answers 404 to a user who is neither the requester, an owner at decommission time nor a platform admin', async () => {
    const get = await start(AuthorizeResult.DENY);
    const res = await get('/environments/gone/decommission');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({
      name: 'NotFoundError',
      message:
        "No decommission of environment 'gone' that you may follow: only its requester, its owners at decommission time and platform admins may follow it once the catalog has removed it",
    });
  });

  it('refuses a name that is not a DNS-1123 label', async () => {
    const get = await start();
    const res = await get('/environments/Not_A_Name/decommission');
    expect(res.status).toBe(400);
  });
});
