import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from './__testUtils__/localRepo';
import { platformFixture } from './__testUtils__/platformFixture';
import {
  TaskEvent,
  failureOf,
  lastMessages,
  runTask,
} from './__testUtils__/scaffolderBackend';
import {
  environmentSpec,
  startGitopsBackend,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(180_000);

const LINUS = 'user:default/linus'; // platform-team, owner of staging
const GRACE = 'user:default/grace'; // sre, a child group of platform-team
const ALICE = 'user:default/alice'; // checkout-team
const ROOT = 'user:default/root'; // admins: platform admin

/**
 * Who may change what, through the scaffolder REST API: the real scaffolder,
 * catalog and permission backends with the Epicshelter policy, tasks started
 * with each user's token.
 */
describe('environment ownership through the scaffolder REST API', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, platformFixture());
    server = await startGitopsBackend({ repository: repo });
    // staging (owned by platform-team, as its catalog entity says) is
    // created by one of its members
    const created = await runTask(
      server,
      'template:default/test-create',
      { spec: environmentSpec('staging', 'group:default/platform-team') },
      LINUS,
    );
    if (created.status !== 'completed') {
      throw new Error(lastMessages(created.events));
    }
  });

  const addCache = (user: string, name: string) =>
    runTask(
      server,
      'template:default/test-add-resource',
      {
        environment: 'resource:default/staging',
        type: 'cache',
        resource: { name, engine: 'redis', version: '7.2', size: 'small' },
      },
      user,
    );

  describe('epicshelter:environment:add-resource', () => {
    it('refuses a user who does not own the environment, and writes nothing', async () => {
      const before = repositorySnapshot(repo);
      const { status, events } = await addCache(ALICE, 'sessions');
      expect(status).toBe('failed');
      expect(failureOf(events)).toBe(
        "You may not add cache 'sessions' to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
      );
      expect(repositorySnapshot(repo)).toEqual(before);
    });

    it('lets a member of the owning group add a resource, and the commit names them and the task', async () => {
      const { status, events, taskId } = await addCache(LINUS, 'sessions');
      expect({ status, log: lastMessages(events) }).toMatchObject({
        status: 'completed',
      });
      // the task log names no server path
      expect(JSON.stringify(events)).not.toContain(dir.path);
      // author from the catalog profile, committer scaffolder.defaultAuthor
      expect(
        git(
          repo,
          'log',
          '-1',
          '--format=%an <%ae>|%cn <%ce>|%(trailers:only,unfold)',
        ),
      ).toBe(
        `Linus Torvalds <linus@example.com>|Portal Bot <bot@example.com>|Requested-by: Linus Torvalds <linus@example.com>\nScaffolder-Task: ${taskId}\nEpicshelter-Change: epicshelter/staging`,
      );
      expect(
        git(repo, 'show', '--name-only', '--format=', 'main').split('\n'),
      ).toContain('environments/staging/infrastructure/cache-sessions.yaml');
    });

    it('lets a member of a child group of the owning group add a resource (the policy reads the group tree)', async () => {
      const { status, events } = await addCache(GRACE, 'queues');
      expect({ status, log: lastMessages(events) }).toMatchObject({
        status: 'completed',
      });
      expect(
        git(repo, 'show', '--name-only', '--format=', 'main').split('\n'),
      ).toContain('environments/staging/infrastructure/cache-queues.yaml');
    });

    it('lets a platform admin add a resource to an environment it does not own', async () => {
      const { status, events } = await addCache(ROOT, 'tokens');
      expect({ status, log: lastMessages(events) }).toMatchObject({
        status: 'completed',
      });
    });
  });

  describe('epicshelter:environment:create', () => {
    const create = (user: string, name: string, owner: string) =>
      runTask(
        server,
        'template:default/test-create',
        { spec: environmentSpec(name, owner) },
        user,
      );

    it('refuses an owner group the requester is not a member of, and writes nothing', async () => {
      const before = repositorySnapshot(repo);
      const { status, events } = await create(
        ALICE,
        'checkout-dev',
        'group:default/platform-team',
      );
      expect(status).toBe('failed');
      expect(failureOf(events)).toBe(
        "You may not create environment 'checkout-dev' for group:default/platform-team: you are not a member of it. Pick a group you belong to as owner, or ask a platform admin. Nothing was written.",
      );
      expect(repositorySnapshot(repo)).toEqual(before);
    });

    it('refuses an owner that is not in the catalog', async () => {
      const before = repositorySnapshot(repo);
      const { status, events } = await create(
        ROOT,
        'ghost-dev',
        'group:default/ghost-team',
      );
      expect(status).toBe('failed');
      expect(failureOf(events)).toBe(
        "The owner group:default/ghost-team of environment 'ghost-dev' does not exist in the catalog; pick an existing group or user.",
      );
      expect(repositorySnapshot(repo)).toEqual(before);
    });

    it('lets a member create an environment for its own group', async () => {
      const { status, events } = await create(
        ALICE,
        'checkout-dev',
        'group:default/checkout-team',
      );
      expect({ status, log: lastMessages(events) }).toMatchObject({
        status: 'completed',
      });
      expect(
        git(repo, 'ls-tree', '--name-only', 'main', 'environments/'),
      ).toContain('environments/checkout-dev');
    });

    it('lets a platform admin create an environment for another group', async () => {
      const { status, events } = await create(
        ROOT,
        'checkout-qa',
        'checkout-team',
      );
      expect({ status, log: lastMessages(events) }).toMatchObject({
        status: 'completed',
      });
    });
  });

  describe('the repository input', () => {
    it('refuses another repository of the server, for reading and for writing, and leaves it unchanged', async () => {
      const other = path.join(dir.path, 'other-clone');
      seedRepository(other, platformFixture());
      const before = repositorySnapshot(other);
      const add = await runTask(
        server,
        'template:default/test-add-resource',
        {
          environment: 'staging',
          type: 'bucket',
          resource: { name: 'assets' },
          repository: other,
        },
        LINUS,
      );
      const create = await runTask(
        server,
        'template:default/test-create',
        {
          spec: environmentSpec('platform-qa', 'group:default/platform-team'),
          repository: other,
        },
        LINUS,
      );
      for (const { status, events } of [add, create]) {
        expect(status).toBe('failed');
        expect(failureOf(events)).toBe(
          'The task names a GitOps repository this portal may not use. Leave "repository" empty to use the portal\'s GitOps repository (gitops.repository), or ask a platform admin to add it to gitops.allowedRepositories.',
        );
      }
      expect(repositorySnapshot(other)).toEqual(before);
    });
  });

  describe('expected failures in the task log', () => {
    /** No stack frame and no server path in any event of the task. */
    function expectNoStackNorPath(events: TaskEvent[]) {
      const text = JSON.stringify(events);
      expect(text).not.toMatch(/\\n\s+at /);
      expect(text).not.toContain(dir.path);
      expect(text).not.toContain(__dirname);
    }

    it('a taken name is one sentence', async () => {
      const { status, events } = await runTask(
        server,
        'template:default/test-create',
        { spec: environmentSpec('staging', 'group:default/platform-team') },
        LINUS,
      );
      expect(status).toBe('failed');
      expect(failureOf(events)).toMatch(
        /^Invalid environment: spec\.name: environment "staging" already exists in the repository \(environments\/staging\); choose another name$/,
      );
      expectNoStackNorPath(events);
    });

    it('invalid input names the field', async () => {
      const { status, events } = await runTask(
        server,
        'template:default/test-create',
        { spec: environmentSpec('Bad_Name', 'group:default/platform-team') },
        LINUS,
      );
      expect(status).toBe('failed');
      expect(failureOf(events)).toMatch(
        /^Invalid environment: (spec\.)?name: [^\n]+$/,
      );
      expectNoStackNorPath(events);
    });

    it('a refusal and an unknown environment are sentences without stack or path', async () => {
      const refused = await addCache(ALICE, 'more');
      expect(failureOf(refused.events)).toMatch(/^You may not add cache/);
      expectNoStackNorPath(refused.events);
      const missing = await runTask(
        server,
        'template:default/test-add-resource',
        {
          environment: 'nowhere',
          type: 'bucket',
          resource: { name: 'assets' },
        },
        ROOT,
      );
      expect(failureOf(missing.events)).toBe(
        "Environment 'nowhere' is not in the catalog (yet), so who owns it cannot be checked; nothing was changed. Try again once the catalog shows it.",
      );
      expectNoStackNorPath(missing.events);
    });
  });
});
