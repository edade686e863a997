import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { http } from 'msw';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { createFakeGithubRepository } from '@epicshelter/plugin-gitops-node/testUtils';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { GitOpsEntityProvider } from './GitOpsEntityProvider';
import {
  TestRepo,
  environmentFiles,
  localSpec,
} from '../__testUtils__/gitRepo';

const server = setupServer();

describe('GitOpsEntityProvider (GitHub through the GitOps repository service)', () => {
  registerMswTestHooks(server);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-github-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads environments at the branch head, skips unchanged heads with one request and emits deltas', async () => {
    const repo = TestRepo.init(path.join(tmp, 'gitops'));
    const github = createFakeGithubRepository({
      dir: repo.dir,
      token: 'ghp_secret',
    });
    server.use(
      http.all(`${github.apiBaseUrl}/repos/acme/gitops/*`, ({ request }) =>
        github.handle(request),
      ),
    );
    const config = new ConfigReader({
      integrations: { github: [{ host: 'github.com', token: 'ghp_secret' }] },
      gitops: { repository: 'https://github.com/acme/gitops' },
      argocd: {
        instances: [
          {
            name: 'local',
            url: 'http://argocd.local',
            externalUrl: 'https://argocd.example.com',
          },
          // the cloud cluster's Argo CD: not linked from a local environment
          { name: 'cloud', url: 'https://argocd-cloud.example.com' },
        ],
      },
    });
    const logger = mockServices.logger.mock();
    const provider = GitOpsEntityProvider.fromConfig(config, {
      logger,
      gitopsRepository: DefaultGitOpsRepositoryService.fromConfig(config),
      scheduler: mockServices.scheduler.mock(),
    })!;
    const mutations: EntityProviderMutation[] = [];
    const connection: EntityProviderConnection = {
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    };
    await provider.connect(connection);

    repo
      .write({
        'README.md': 'gitops',
        ...environmentFiles(localSpec('dev')),
        ...environmentFiles(localSpec('qa', { resources: {} })),
      })
      .commit('dev and qa');
    expect(await provider.refresh()).toMatchObject({
      type: 'full',
      emitted: ['dev', 'qa'],
    });
    const full = mutations[0] as Extract<
      EntityProviderMutation,
      { type: 'full' }
    >;
    expect(full.entities.map(e => stringifyEntityRef(e.entity)).sort()).toEqual(
      [
        'resource:default/dev',
        'resource:default/dev-orders-db',
        'resource:default/qa',
        'system:default/environments',
      ],
    );
    const dev = full.entities.find(e => e.entity.metadata.name === 'dev')!;
    expect(dev.locationKey).toBe(
      'epicshelter-gitops:https://github.com/acme/gitops',
    );
    expect(dev.entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/gitops/blob/main/environments/dev/environment.yaml',
      'backstage.io/source-location':
        'url:https://github.com/acme/gitops/tree/main/environments/dev/',
      'backstage.io/view-url':
        'https://github.com/acme/gitops/blob/main/environments/dev/environment.yaml',
    });
    expect(dev.entity.metadata.links).toEqual([
      {
        url: 'https://github.com/acme/gitops/tree/main/environments/dev',
        title: 'GitOps folder',
        icon: 'github',
        type: 'gitops-folder',
      },
      {
        url: 'https://github.com/acme/gitops/pulls?q=is%3Apr%20head%3Aepicshelter%2Fdev',
        title: 'Pull requests',
        icon: 'github',
        type: 'gitops-pull-requests',
      },
      {
        url: 'https://argocd.example.com/applications/argocd/dev-workloads',
        title: 'Argo CD local: workloads',
        icon: 'dashboard',
        type: 'argocd-application',
      },
      {
        url: 'https://argocd.example.com/applications/argocd/dev-infrastructure',
        title: 'Argo CD local: infrastructure',
        icon: 'dashboard',
        type: 'argocd-application',
      },
    ]);
    expect(github.requests[0]).toBe('GET /commits/main');

    // Same head: one request, no mutation.
    github.requests.length = 0;
    expect(await provider.refresh()).toMatchObject({ type: 'unchanged' });
    expect(github.requests).toEqual(['GET /commits/main']);
    expect(mutations).toHaveLength(1);

    // New head: qa deleted, dev unchanged, prod added.
    repo
      .remove('environments/qa')
      .write(environmentFiles(localSpec('prod', { resources: {} })))
      .commit('prod, no qa');
    expect(await provider.refresh()).toMatchObject({
      type: 'delta',
      emitted: ['prod'],
      removed: ['qa'],
    });
    expect(mutations[1]).toEqual({
      type: 'delta',
      added: [
        expect.objectContaining({
          entity: expect.objectContaining({
            metadata: expect.objectContaining({ name: 'prod' }),
          }),
        }),
      ],
      removed: [
        {
          entityRef: 'resource:default/qa',
          locationKey: 'epicshelter-gitops:https://github.com/acme/gitops',
        },
      ],
    });
  });
});
