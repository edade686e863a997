import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { validateRepository } from '@epicshelter/plugin-gitops-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import gitopsModule from './index';
import { git } from './__testUtils__/localRepo';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';

jest.setTimeout(120_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates');

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * The real scaffolder backend with this module and the catalog, the local
 * GitOps default (created from the blueprint on first use), running the
 * "Create environment" template through the scaffolder REST API.
 */
describe('Create environment end to end', () => {
  const dir = createMockDirectory();

  it('runs the template and commits a valid environment to the local GitOps repository', async () => {
    const repo = path.join(dir.path, 'gitops');
    const { server } = await startTestBackend({
      features: [
        testDatabaseServiceFactory,
        scaffolderPlugin,
        catalogPlugin,
        scaffolderEntityModel,
        gitopsModule,
        mockServices.rootConfig.factory({
          data: {
            gitops: { repository: repo, defaultBranch: 'main' },
            catalog: {
              rules: [{ allow: ['Template'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(
                    TEMPLATES,
                    'create-environment/template.yaml',
                  ),
                },
              ],
            },
          },
        }),
      ],
    });
    const auth = {
      Authorization: mockCredentials.user.header('user:default/alice'),
    };

    // wait for the catalog to ingest the template
    for (let i = 0; ; i++) {
      const res = await request(server)
        .get(
          '/api/catalog/entities/by-name/template/default/create-environment',
        )
        .set(auth);
      if (res.status === 200) break;
      if (i > 200)
        throw new Error(
          `template never appeared in the catalog: ${res.status}`,
        );
      await sleep(100);
    }

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set(auth)
      .send({
        templateRef: 'template:default/create-environment',
        values: {
          name: 'team-a-dev',
          owner: 'group:default/team-a',
          target: 'local',
          provider: 'local',
          crossplaneApi: 'v2',
          workloads: ['storefront'],
          databases: [
            { name: 'main', engine: 'postgres', version: '16', size: 'small' },
          ],
          buckets: [{ name: 'assets', versioning: false }],
          caches: [],
        },
      });
    expect(created.status).toBe(201);
    const taskId = created.body.id;

    let task: any;
    for (let i = 0; ; i++) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set(auth)
      ).body;
      if (task.status === 'completed' || task.status === 'failed') break;
      if (i > 600) throw new Error(`task did not finish: ${task.status}`);
      await sleep(100);
    }
    if (task.status !== 'completed') {
      const events = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
          .set(auth)
      ).body;
      throw new Error(
        `task ${task.status}: ${events
          .filter((e: any) => e.body?.message)
          .map((e: any) => e.body.message)
          .slice(-8)
          .join('\n')}`,
      );
    }

    // the commit, checked with git
    const sha = git(repo, 'rev-parse', 'main');
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe(
      'Create environment team-a-dev',
    );
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const changed = git(repo, 'show', '--name-only', '--format=', sha).split(
      '\n',
    );
    expect(changed).toContain('environments/team-a-dev/environment.yaml');
    expect(changed.every(f => f.startsWith('environments/team-a-dev/'))).toBe(
      true,
    );

    // the core validator passes on the new tree
    const tree: Record<string, string> = {};
    for (const f of git(repo, 'ls-tree', '-r', '--name-only', 'main').split(
      '\n',
    )) {
      tree[f] = fs.readFileSync(path.join(repo, f), 'utf8');
    }
    expect(validateRepository(tree).issues).toEqual([]);

    // the task output links to the commit and the environment entity
    const events = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${taskId}/events`)
        .set(auth)
    ).body;
    const completion = events.find((e: any) => e.type === 'completion');
    expect(completion.body.output.links).toEqual([
      { title: 'Change (pull request or repository)', url: `file://${repo}` },
      {
        title: 'Environment in the catalog',
        icon: 'catalog',
        entityRef: 'resource:default/team-a-dev',
      },
    ]);
    expect(completion.body.output.text[0].content).toContain(sha);
  });
});
