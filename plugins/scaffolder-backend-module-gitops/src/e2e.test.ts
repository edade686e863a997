import fs from 'node:fs';
import path from 'node:path';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { validateRepository } from '@epicshelter/plugin-gitops-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import gitopsModule from './index';
import { git } from './__testUtils__/localRepo';
import {
  lastMessages,
  runTask,
  waitForEntity,
} from './__testUtils__/scaffolderBackend';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';

jest.setTimeout(120_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates');

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
              rules: [{ allow: ['Template', 'User', 'Group', 'Resource'] }],
              locations: [
                // alice and her team, checkout-team, the environment's owner
                {
                  type: 'file',
                  target: path.resolve(__dirname, '__fixtures__/org.yaml'),
                },
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
    // wait for the catalog to ingest the template
    await waitForEntity(server, 'template', 'create-environment');

    const { status, events } = await runTask(
      server,
      'template:default/create-environment',
      {
        name: 'team-a-dev',
        owner: 'group:default/checkout-team',
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
    );
    if (status !== 'completed') {
      throw new Error(`task ${status}: ${lastMessages(events)}`);
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
    const completion = events.find(e => e.type === 'completion')!;
    expect(completion.body.output.links).toEqual([
      // the portal's page of the commit, not a path of the server
      {
        title: 'Change (pull request or repository)',
        url: `/gitops/commits/${sha}`,
      },
      {
        title: 'Environment in the catalog',
        icon: 'catalog',
        entityRef: 'resource:default/team-a-dev',
      },
    ]);
    expect(completion.body.output.text[0].content).toContain(sha);
  });
});
