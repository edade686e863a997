import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { GitOpsEntityProvider } from './GitOpsEntityProvider';
import { environmentFiles, localSpec } from '../__testUtils__/gitRepo';

const server = setupServer();

/** A GitHub repository as the REST API serves it: commit status and tarballs. */
class FakeGitHubRepo {
  commits = new Map<string, Record<string, string>>();
  head = '';
  requests: string[] = [];

  constructor(private readonly tmp: string) {}

  push(sha: string, files: Record<string, string>) {
    this.commits.set(sha, files);
    this.head = sha;
  }

  tarball(sha: string): Buffer {
    const root = path.join(this.tmp, `acme-gitops-${sha}`);
    for (const [p, content] of Object.entries(this.commits.get(sha)!)) {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), content);
    }
    const file = path.join(this.tmp, `${sha}.tar.gz`);
    tar.create({ gzip: true, cwd: this.tmp, sync: true, file }, [
      `acme-gitops-${sha}`,
    ]);
    return fs.readFileSync(file);
  }

  handlers() {
    const api = 'https://api.github.com/repos/acme/gitops';
    return [
      http.get(`${api}/commits/main/status`, ({ request }) => {
        this.requests.push(`status ${request.headers.get('authorization')}`);
        return HttpResponse.json({
          sha: this.head,
          repository: {
            archive_url: `${api}/{archive_format}{/ref}`,
          },
        });
      }),
      http.get(`${api}/tarball/:sha`, ({ params }) => {
        this.requests.push(`tarball ${params.sha}`);
        return new HttpResponse(this.tarball(String(params.sha)), {
          headers: { 'content-type': 'application/x-gzip' },
        });
      }),
    ];
  }
}

describe('GitOpsEntityProvider (GitHub through the URL reader)', () => {
  registerMswTestHooks(server);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-github-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads environments with readTree, skips unchanged heads by etag and emits deltas', async () => {
    const repo = new FakeGitHubRepo(tmp);
    server.use(...repo.handlers());
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
    const reader = UrlReaders.default({ config, logger });
    const provider = GitOpsEntityProvider.fromConfig(config, {
      logger,
      reader,
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

    repo.push('a'.repeat(40), {
      'README.md': 'gitops',
      ...environmentFiles(localSpec('dev')),
      ...environmentFiles(localSpec('qa', { resources: {} })),
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
    expect(repo.requests).toEqual([
      'status Bearer ghp_secret',
      `tarball ${'a'.repeat(40)}`,
    ]);

    // Same head: one status request, no tarball, no mutation.
    repo.requests = [];
    expect(await provider.refresh()).toMatchObject({ type: 'unchanged' });
    expect(repo.requests).toEqual(['status Bearer ghp_secret']);
    expect(mutations).toHaveLength(1);

    // New head: qa deleted, dev unchanged, prod added.
    repo.push('b'.repeat(40), {
      ...environmentFiles(localSpec('dev')),
      ...environmentFiles(localSpec('prod', { resources: {} })),
    });
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
