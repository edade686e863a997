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
import { FakeGithubHost } from './__testUtils__/fakeGithubHost';
import { validateGithubResponse } from './__testUtils__/githubOpenApi';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';
import {
  lastMessages,
  runTask,
  type TaskEvent,
  userAuth,
  waitForEntity,
} from './__testUtils__/scaffolderBackend';

jest.setTimeout(120_000);

const TEMPLATE = path.resolve(
  __dirname,
  '../../../templates/bootstrap-gitops-repository/template.yaml',
);

const TOKEN = 'ghp_test_token';

/**
 * `main` of the repository at `dir` (working or bare) holds exactly one
 * commit, with that message, whose tree is the blueprint byte for byte and
 * passes the core validator.
 */
async function expectBlueprintAsOneCommit(dir: string, message: string) {
  expect(git(dir, 'rev-list', '--count', 'main')).toBe('1');
  expect(git(dir, 'log', '-1', '--format=%s', 'main')).toBe(message);

  const blueprint = await loadBlueprint();
  const committed = git(dir, 'ls-tree', '-r', '--name-only', 'main')
    .split('\n')
    .sort();
  expect(committed).toEqual(Object.keys(blueprint).sort());
  const tree: Record<string, string> = {};
  for (const f of committed) {
    tree[f] = execFileSync('git', ['cat-file', 'blob', `main:${f}`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(tree[f]).toBe(blueprint[f]);
  }
  expect(committed).toEqual(
    expect.arrayContaining([expect.stringMatching(/^platform\//)]),
  );
  expect(validateRepository(tree).issues).toEqual([]);
}

/**
 * The task's one publishing step ran (the other was skipped by its `if`) and
 * the output link points at the repository it published to.
 */
function expectPublishedBy(
  events: TaskEvent[],
  step: 'publish-github' | 'publish-local',
  url: string | undefined,
) {
  const completion = events.find(e => e.type === 'completion')!;
  expect(completion.body.output.links).toEqual([
    url === undefined ? { title: 'Repository' } : { title: 'Repository', url },
  ]);
  const other = step === 'publish-github' ? 'publish-local' : 'publish-github';
  const steps = events
    .filter(e => e.body.stepId && e.body.status)
    .map(e => `${e.body.stepId}:${e.body.status}`);
  expect(steps).toEqual(
    expect.arrayContaining([`${step}:completed`, `${other}:skipped`]),
  );
}

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
  afterEach(() => github.resetHandlers());

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
              github: [{ host: 'github.com', token: TOKEN }],
            },
            // the configured default stays untouched by the bootstrap
            gitops: {
              repository: path.join(dir.path, 'configured'),
              defaultBranch: 'main',
              // the local variant's target: tasks may name no other path
              allowedRepositories: [path.join(dir.path, 'new-gitops')],
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

  it('local variant: a configuration key that names no repository fails in a sentence and creates nothing', async () => {
    const server = await startBackend();
    const { status, events } = await runTask(
      server,
      'template:default/bootstrap-gitops-repository',
      { destination: 'local', path: 'gitops.allowedRepositories[3]' },
    );
    expect(status).toBe('failed');
    expect(lastMessages(events)).toContain(
      'gitops.allowedRepositories[3] names no repository: gitops.allowedRepositories has 1 entries',
    );
    expect(fs.existsSync(path.join(dir.path, 'new-gitops'))).toBe(false);
    expect(fs.existsSync(path.join(dir.path, 'configured'))).toBe(false);
  });

  it('local variant: creates the repository at the path with the blueprint as one commit on main', async () => {
    const server = await startBackend();
    const repo = path.join(dir.path, 'new-gitops');
    const { status, events } = await runTask(
      server,
      'template:default/bootstrap-gitops-repository',
      // the form's picker names the repository by its configuration key
      { destination: 'local', path: 'gitops.allowedRepositories[0]' },
    );
    if (status !== 'completed') {
      throw new Error(`task ${status}: ${lastMessages(events)}`);
    }

    expect(fs.existsSync(path.join(dir.path, 'configured'))).toBe(false);
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    await expectBlueprintAsOneCommit(
      repo,
      'Bootstrap GitOps repository from the Epicshelter blueprint',
    );
    expect(git(repo, 'branch', '--format=%(refname:short)')).toBe('main');
    expect(git(repo, 'status', '--porcelain')).toBe('');

    // a local repository other than the portal's has no page: no link, and
    // its server path shows nowhere in the task
    expectPublishedBy(events, 'publish-local', undefined);
    expect(JSON.stringify(events)).not.toContain(dir.path);
  });

  it('GitHub variant: creates the repository on GitHub and pushes the blueprint as one commit on main', async () => {
    const host = new FakeGithubHost({
      root: path.join(dir.path, 'github'),
      token: TOKEN,
      viewer: 'alice',
      accounts: [
        { login: 'alice', type: 'User' },
        { login: 'epicshelter', type: 'Organization' },
      ],
    });
    github.use(...host.handlers());
    const server = await startBackend();

    const { status, events } = await runTask(
      server,
      'template:default/bootstrap-gitops-repository',
      {
        destination: 'github',
        repoUrl: 'github.com?owner=epicshelter&repo=platform-gitops',
      },
    );
    if (status !== 'completed') {
      throw new Error(`task ${status}: ${lastMessages(events)}`);
    }

    // the organisation's repository was created as the template asks
    expect(
      host.exchanges.map(e => `${e.method} ${e.path} ${e.status}`),
    ).toEqual([
      'GET /users/epicshelter 200',
      'POST /orgs/epicshelter/repos 201',
      'PUT /repos/epicshelter/platform-gitops/branches/main/protection 200',
    ]);
    const created = host.repository('epicshelter', 'platform-gitops')!;
    expect(created).toMatchObject({
      private: true,
      visibility: 'private',
      description:
        'GitOps repository bootstrapped from the Epicshelter blueprint',
    });
    expect(host.exchanges[1].request).toMatchObject({
      name: 'platform-gitops',
      private: true,
      visibility: 'private',
    });
    // every answer is what GitHub's OpenAPI description allows
    expect(host.exchanges.flatMap(e => validateGithubResponse(e))).toEqual([]);

    // the blueprint went over git smart HTTP: credentials asked, then given
    expect(
      host.gitExchanges.map(
        e => `${e.method} ${e.path}?${e.query} ${e.status}`,
      ),
    ).toEqual([
      'GET /epicshelter/platform-gitops.git/info/refs?service=git-receive-pack 401',
      'GET /epicshelter/platform-gitops.git/info/refs?service=git-receive-pack 200',
      'POST /epicshelter/platform-gitops.git/git-receive-pack? 200',
    ]);
    await expectBlueprintAsOneCommit(created.gitDir, 'initial commit');
    expect(git(created.gitDir, 'for-each-ref', '--format=%(refname)')).toBe(
      'refs/heads/main',
    );
    expect(git(created.gitDir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    // main is protected once it exists
    expect(created.protection.get('main')).toMatchObject({
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1 },
    });

    expectPublishedBy(
      events,
      'publish-github',
      'https://github.com/epicshelter/platform-gitops.git',
    );
    const log = JSON.stringify(events);
    // no warning: branch protection applied, no push retried or replaced
    expect(log).not.toMatch(/Skipping: |retrying/i);
    // the token is in no log event, neither plain nor as Basic credentials
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(
      Buffer.from(`x-access-token:${TOKEN}`).toString('base64'),
    );
    // nothing reached GitHub outside the fake's routes
    expect(githubRequests).toEqual([]);
    expect(fs.existsSync(path.join(dir.path, 'configured'))).toBe(false);
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
