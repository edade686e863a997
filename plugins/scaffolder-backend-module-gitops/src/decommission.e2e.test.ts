import path from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import {
  generateEnvironment,
  parseEnvironmentSpec,
} from '@epicshelter/plugin-gitops-common';
import {
  git,
  repositorySnapshot,
  seedRepository,
} from './__testUtils__/localRepo';
import { platformFixture } from './__testUtils__/platformFixture';
import {
  failureOf,
  lastMessages,
  runTask,
  waitForEntity,
} from './__testUtils__/scaffolderBackend';
import { startGitopsBackend } from './__testUtils__/gitopsBackend';

jest.setTimeout(180_000);

const LINUS = 'user:default/linus'; // platform-team, owner of staging
const ALICE = 'user:default/alice'; // checkout-team

const environment = (name: string, owner: string) =>
  generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner,
      target: 'local',
      provider: 'local',
      workloads: ['web'],
      resources: {
        databases: [{ name: 'orders-db', engine: 'postgres', version: '16' }],
      },
    }),
  );

/**
 * Who may decommission an environment, through the scaffolder REST API, with
 * the real templates/decommission-environment template: the real scaffolder,
 * catalog and permission backends with the Epicshelter policy; staging is
 * owned by platform-team in the catalog.
 */
describe('epicshelter:environment:decommission through the scaffolder REST API', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...environment('dev', 'group:default/checkout-team'),
      ...environment('staging', 'group:default/platform-team'),
    });
    server = await startGitopsBackend({ repository: repo });
    await waitForEntity(server, 'template', 'decommission-environment');
  });

  const decommission = (user: string, values: Record<string, unknown>) =>
    runTask(
      server,
      'template:default/decommission-environment',
      { environment: 'resource:default/staging', ...values },
      user,
    );

  it('previews what goes in the task output and proposes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await decommission(LINUS, {
      previewOnly: true,
    });
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    const output = events.find(e => e.type === 'completion')?.body.output as {
      text: Array<{ title: string; content: string }>;
    };
    expect(output.text[0].title).toBe('What goes');
    expect(output.text[0].content).toContain(
      '| Database | staging-orders-db | local | Delete | **deleted, data lost** |',
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses a user who does not own the environment, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await decommission(ALICE, {
      previewOnly: false,
      confirmation: 'staging',
    });
    expect(status).toBe('failed');
    expect(failureOf(events)).toBe(
      "You may not make a decommission change to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses a wrong confirmation, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await decommission(LINUS, {
      previewOnly: false,
      confirmation: 'dev',
    });
    expect(status).toBe('failed');
    expect(failureOf(events)).toBe(
      "To decommission environment 'staging', type its name 'staging' as confirmation (got 'dev'); nothing was changed.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('lets a member of the owning group decommission it, in one commit that removes its folder', async () => {
    const { status, events } = await decommission(LINUS, {
      previewOnly: false,
      confirmation: 'staging',
    });
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    const removed = git(repo, 'show', '--name-status', '--format=', 'main')
      .split('\n')
      .filter(Boolean);
    expect(removed.length).toBeGreaterThan(3);
    expect(removed.every(l => /^D\tenvironments\/staging\//.test(l))).toBe(
      true,
    );
    expect(git(repo, 'ls-tree', '--name-only', 'main', 'environments/')).toBe(
      'environments/dev',
    );
    const message = git(repo, 'log', '-1', '--format=%B', 'main');
    expect(message).toMatch(/^Requested-by: Linus/m);
    expect(message).toMatch(/^Scaffolder-Task: /m);
  });
});
