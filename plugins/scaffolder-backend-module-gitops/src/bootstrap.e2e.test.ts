import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import yaml from 'yaml';
import Ajv from 'ajv';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { validateRepository } from '@epicshelter/plugin-gitops-common';
import { loadBlueprint } from '@epicshelter/plugin-gitops-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import gitopsModule from './index';
import { git } from './__testUtils__/localRepo';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';
import {
  lastMessages,
  runTask,
  userAuth,
  waitForEntity,
} from './__testUtils__/scaffolderBackend';

jest.setTimeout(120_000);

const TEMPLATE = path.resolve(
  __dirname,
  '../../../templates/bootstrap-gitops-repository/template.yaml',
);

/**
 * The "Bootstrap a GitOps repository" template, registered in the catalog
 * from its file as catalog-info.yaml does, run through the real scaffolder
 * backend.
 */
describe('Bootstrap a GitOps repository end to end', () => {
  const dir = createMockDirectory();

  // Any request to GitHub is recorded and refused: the GitHub variant's dry
  // run must not create anything there.
  const githubRequests: string[] = [];
  const github = setupServer(
    http.all('https://api.github.com/*', ({ request: r }) => {
      githubRequests.push(`${r.method} ${r.url}`);
      return HttpResponse.json({ message: 'Not Found' }, { status: 404 });
    }),
    http.all('https://github.com/*', ({ request: r }) => {
      githubRequests.push(`${r.method} ${r.url}`);
      return new HttpResponse(null, { status: 404 });
    }),
  );
  beforeAll(() => github.listen({ onUnhandledRequest: 'bypass' }));
  afterAll(() => github.close());
  beforeEach(() => {
    githubRequests.length = 0;
  });

  async function startBackend() {
    const { server } = await startTestBackend({
      features: [
        testDatabaseServiceFactory,
        scaffolderPlugin,
        catalogPlugin,
        scaffolderEntityModel,
        scaffolderGithubModule,
        gitopsModule,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [{ host: 'github.com', token: 'ghp_test_token' }],
            },
            // the configured default stays untouched by the bootstrap
            gitops: {
              repository: path.join(dir.path, 'configured'),
              defaultBranch: 'main',
            },
            catalog: {
              rules: [{ allow: ['Template'] }],
              locations: [{ type: 'file', target: TEMPLATE }],
            },
          },
        }),
      ],
    });
    await waitForEntity(server, 'template', 'bootstrap-gitops-repository');
    return server;
  }

  it('local variant: creates the repository at the path with the blueprint as one commit on main', async () => {
    const server = await startBackend();
    const repo = path.join(dir.path, 'new-gitops');
    const { status, events } = await runTask(
      server,
      'template:default/bootstrap-gitops-repository',
      { destination: 'local', path: repo },
    );
    if (status !== 'completed') {
      throw new Error(`task ${status}: ${lastMessages(events)}`);
    }

    expect(fs.existsSync(path.join(dir.path, 'configured'))).toBe(false);
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(repo, 'rev-list', '--count', 'main')).toBe('1');
    expect(git(repo, 'log', '-1', '--format=%s', 'main')).toBe(
      'Bootstrap GitOps repository from the Epicshelter blueprint',
    );
    expect(git(repo, 'branch', '--format=%(refname:short)')).toBe('main');
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // exactly the blueprint's files, byte for byte
    const blueprint = await loadBlueprint();
    const committed = git(repo, 'ls-tree', '-r', '--name-only', 'main')
      .split('\n')
      .sort();
    expect(committed).toEqual(Object.keys(blueprint).sort());
    const tree: Record<string, string> = {};
    for (const f of committed) {
      tree[f] = execFileSync('git', ['cat-file', 'blob', `main:${f}`], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect(tree[f]).toBe(blueprint[f]);
    }
    expect(committed).toEqual(
      expect.arrayContaining([expect.stringMatching(/^platform\//)]),
    );

    // the core validator passes on what was committed
    expect(validateRepository(tree).issues).toEqual([]);

    // the output link points at the new repository
    const completion = events.find(e => e.type === 'completion')!;
    expect(completion.body.output.links).toEqual([
      { title: 'Repository', url: `file://${repo}` },
    ]);
    const steps = events
      .filter(e => e.body.stepId && e.body.status)
      .map(e => `${e.body.stepId}:${e.body.status}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'publish-github:skipped',
        'publish-local:completed',
      ]),
    );
  });

  it('GitHub variant: a dry run reaches publish:github with inputs its schema accepts and the blueprint in sourcePath', async () => {
    const server = await startBackend();
    const template = yaml.parse(fs.readFileSync(TEMPLATE, 'utf8'));
    const dryRun = (values: Record<string, unknown>) =>
      request(server)
        .post('/api/scaffolder/v2/dry-run')
        .set(userAuth)
        .send({ template, values, directoryContents: [] });

    const res = await dryRun({
      destination: 'github',
      repoUrl: 'github.com?owner=epicshelter&repo=platform-gitops',
    });
    expect(res.status).toBe(200);
    const log: Array<{ body: { message: string; stepId?: string } }> =
      res.body.log;
    const messages = log.map(l => l.body.message);
    expect(messages.join('\n')).not.toMatch(/failed|Error/);

    // publish:github was reached (not skipped by its if), the local step was
    expect(messages).toContain(
      'Skipping step publish-local because its if condition was false',
    );
    const running = log.find(
      l =>
        l.body.stepId === 'publish-github' &&
        l.body.message.includes('Running publish:github in dry-run mode'),
    );
    expect(running).toBeDefined();
    const rendered = JSON.parse(
      running!.body.message.slice(running!.body.message.indexOf('{')),
    );
    expect(rendered).toEqual({
      repoUrl: 'github.com?owner=epicshelter&repo=platform-gitops',
      sourcePath: 'gitops',
      defaultBranch: 'main',
      description:
        'GitOps repository bootstrapped from the Epicshelter blueprint',
      repoVisibility: 'private',
    });

    // the inputs are valid for the installed publish:github action
    const actions = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set(userAuth);
    const publishGithub = actions.body.find(
      (a: any) => a.id === 'publish:github',
    );
    const validate = new Ajv({ strict: false }).compile(
      publishGithub.schema.input,
    );
    expect(validate(rendered) ? [] : validate.errors).toEqual([]);

    // sourcePath holds exactly the blueprint
    const blueprint = await loadBlueprint();
    const contents: Array<{ path: string; base64Content: string }> =
      res.body.directoryContents;
    expect(contents.map(c => c.path).sort()).toEqual(
      Object.keys(blueprint)
        .map(p => `gitops/${p}`)
        .sort(),
    );
    for (const c of contents) {
      expect(Buffer.from(c.base64Content, 'base64').toString('utf8')).toBe(
        blueprint[c.path.slice('gitops/'.length)],
      );
    }
    expect(githubRequests).toEqual([]);

    // the form does not let a GitHub destination through without a repository
    const missing = await dryRun({ destination: 'github' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toContain('repoUrl');
    expect(githubRequests).toEqual([]);
  });
});
