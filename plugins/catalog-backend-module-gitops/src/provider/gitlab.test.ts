import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupServer } from 'msw/node';
import { http } from 'msw';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import { DefaultGitOpsRepositoryService } from '@epicshelter/plugin-gitops-node';
import { createFakeGitlabRepository } from '@epicshelter/plugin-gitops-node/testUtils';
import { GitOpsEntityProvider } from './GitOpsEntityProvider';
import {
  TestRepo,
  environmentFiles,
  localSpec,
} from '../__testUtils__/gitRepo';

const server = setupServer();
registerMswTestHooks(server);

describe('GitOpsEntityProvider on a GitLab GitOps repository', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-gitlab-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('takes gitops.repository on a GitLab host and emits the environments of its configured branch, linked to GitLab', async () => {
    const repo = TestRepo.init(path.join(tmp, 'gitops'), 'trunk');
    repo
      .write({
        ...environmentFiles(localSpec('dev')),
        ...environmentFiles(localSpec('qa', { resources: {} })),
      })
      .commit('dev and qa');
    const gitlab = createFakeGitlabRepository({
      dir: repo.dir,
      token: 'glpat-read',
    });
    server.use(
      http.all(`${gitlab.apiBaseUrl}/*`, ({ request }) =>
        gitlab.handle(request),
      ),
    );
    const config = new ConfigReader({
      integrations: {
        gitlab: [
          {
            host: 'gitlab.example.com',
            apiBaseUrl: gitlab.apiBaseUrl,
            token: 'glpat-read',
          },
        ],
      },
      gitops: { repository: gitlab.webUrl, defaultBranch: 'trunk' },
    });
    const provider = GitOpsEntityProvider.fromConfig(config, {
      logger: mockServices.logger.mock(),
      scheduler: mockServices.scheduler.mock(),
      gitopsRepository: DefaultGitOpsRepositoryService.fromConfig(config),
    })!;
    const mutations: EntityProviderMutation[] = [];
    await provider.connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
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
    const web = 'https://gitlab.example.com/platform/infra/gitops';
    const dev = full.entities.find(e => e.entity.metadata.name === 'dev')!;
    expect(dev.entity.metadata.annotations).toMatchObject({
      'backstage.io/managed-by-location': `url:${web}/-/blob/trunk/environments/dev/environment.yaml`,
      'backstage.io/source-location': `url:${web}/-/tree/trunk/environments/dev/`,
      'backstage.io/view-url': `${web}/-/blob/trunk/environments/dev/environment.yaml`,
    });
    expect(dev.entity.metadata.links?.slice(0, 2)).toEqual([
      {
        url: `${web}/-/tree/trunk/environments/dev`,
        title: 'GitOps folder',
        type: 'gitops-folder',
      },
      {
        url: `${web}/-/merge_requests?scope=all&state=all&source_branch=epicshelter%2Fdev`,
        title: 'Merge requests',
        type: 'gitops-pull-requests',
      },
    ]);
    expect(gitlab.requests[0]).toBe('GET /repository/commits/trunk');

    // Same head: one request, no mutation.
    gitlab.requests.length = 0;
    expect(await provider.refresh()).toMatchObject({ type: 'unchanged' });
    expect(gitlab.requests).toEqual(['GET /repository/commits/trunk']);
  });
});
