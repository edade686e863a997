import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import { describeWorkloads } from './services/workloads';
import environmentsPlugin from './index';

jest.setTimeout(30_000);

/** An app base as the blueprint has them (templates/gitops-repository/apps). */
function appBase(app: string, tag: string): Record<string, string> {
  return {
    [`apps/${app}/base/kustomization.yaml`]: [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - deployment.yaml',
      '',
    ].join('\n'),
    [`apps/${app}/base/deployment.yaml`]: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${app}`,
      'spec:',
      '  replicas: 5',
      '  selector:',
      `    matchLabels: { app: ${app} }`,
      '  template:',
      `    metadata: { labels: { app: ${app} } }`,
      '    spec:',
      '      containers:',
      '        - name: app',
      `          image: ghcr.io/epicshelter/${app}:${tag}`,
      '',
    ].join('\n'),
  };
}

const spec = parseEnvironmentSpec({
  name: 'staging',
  owner: 'group:default/platform-team',
  target: 'local',
  provider: 'local',
  workloads: ['orders-api', 'storefront'],
  workloadOverrides: { 'orders-api': { imageTag: '1.4.2', replicas: 3 } },
});

const files = {
  ...appBase('orders-api', '1.0.0'),
  ...appBase('storefront', '2.0.0'),
  ...generateEnvironment(spec),
};

describe('describeWorkloads', () => {
  it("gives each workload its replicas and images after the overlay, its app base and the overlay's patches", () => {
    expect(describeWorkloads(files, 'staging')).toEqual({
      overlay: 'environments/staging/workloads/kustomization.yaml',
      items: [
        {
          name: 'orders-api',
          kind: 'Deployment',
          replicas: 3,
          images: expect.arrayContaining([expect.stringMatching(/:1\.4\.2$/)]),
          base: 'apps/orders-api/base',
          patches: ['environments/staging/workloads/patches/orders-api.yaml'],
        },
        {
          name: 'storefront',
          kind: 'Deployment',
          // the overlay's patch (a local environment's default), not the base's 5
          replicas: 1,
          images: ['ghcr.io/epicshelter/storefront:2.0.0'],
          base: 'apps/storefront/base',
          patches: ['environments/staging/workloads/patches/storefront.yaml'],
        },
      ],
      problems: [],
    });
  });

  it('says so when the environment has no workloads overlay', () => {
    expect(describeWorkloads(appBase('orders-api', '1.0.0'), 'ghost')).toEqual({
      overlay: 'environments/ghost/workloads/kustomization.yaml',
      items: [],
      problems: [
        'environments/ghost/workloads has no kustomization: the environment deploys no workloads from this repository.',
      ],
    });
  });

  it('reports a missing app base as a problem', () => {
    const { problems } = describeWorkloads(
      { ...appBase('orders-api', '1.0.0'), ...generateEnvironment(spec) },
      'staging',
    );
    expect(problems.join(' ')).toMatch(/storefront/);
  });
});

describe('GET /environments/:name/workloads', () => {
  let tmp: string;
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads the overlay at the head of the GitOps branch', async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'env-workloads-'));
    const repoDir = path.join(tmp, 'gitops');
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args],
        { cwd: repoDir, encoding: 'utf8' },
      ).trim();
    fs.mkdirSync(repoDir);
    git('init', '-q', '-b', 'main');
    for (const [p, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(repoDir, p)), { recursive: true });
      fs.writeFileSync(path.join(repoDir, p), content);
    }
    git('add', '-A');
    git('commit', '-q', '-m', 'Add environment staging');
    const head = git('rev-parse', 'HEAD');
    const { server } = await startTestBackend({
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
    const get = (name: string) =>
      request(server)
        .get(`/api/environments/environments/${name}/workloads`)
        .set('authorization', mockCredentials.user.header());

    const res = await get('staging');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      environment: 'staging',
      commit: head,
      overlay: 'environments/staging/workloads/kustomization.yaml',
      problems: [],
    });
    expect(
      res.body.items.map((w: any) => [w.name, w.replicas, w.patches[0]]),
    ).toEqual([
      [
        'orders-api',
        3,
        'environments/staging/workloads/patches/orders-api.yaml',
      ],
      [
        'storefront',
        1,
        'environments/staging/workloads/patches/storefront.yaml',
      ],
    ]);

    const missing = await get('prod');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(
      /^No environment resource:default\/prod in the catalog/,
    );
  });
});
