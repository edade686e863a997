import { createMockDirectory } from '@backstage/backend-test-utils';
import type { EnvironmentSpecInput } from '@epicshelter/plugin-gitops-common';
import { git } from './__testUtils__/localRepo';
import { webEnvironment } from './__testUtils__/platformFixture';
import { lastMessages, runTask } from './__testUtils__/scaffolderBackend';
import { runOnRepository } from './__testUtils__/taskOnRepository';
import {
  ALICE,
  LINUS,
  startOnLocalRepository,
} from './__testUtils__/gitopsBackend';

jest.setTimeout(180_000);

const DATABASE: Partial<EnvironmentSpecInput> = {
  resources: {
    databases: [{ name: 'orders-db', engine: 'postgres', version: '16' }],
  },
};

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
    ({ server, repo } = await startOnLocalRepository(
      dir.path,
      {
        ...webEnvironment('dev', 'group:default/checkout-team', DATABASE),
        ...webEnvironment('staging', 'group:default/platform-team', DATABASE),
      },
      'decommission-environment',
    ));
  });

  const decommission = (user: string, values: Record<string, unknown>) =>
    runTask(
      server,
      'template:default/decommission-environment',
      { environment: 'resource:default/staging', ...values },
      user,
    );

  it('previews what goes in the task output and proposes nothing', async () => {
    const run = await runOnRepository(repo, () =>
      decommission(LINUS, { previewOnly: true }),
    );
    expect(run).toMatchObject({ status: 'completed', unchanged: true });
    expect(run.text[0].title).toBe('What goes');
    expect(run.text[0].content).toContain(
      '| Database | staging-orders-db | local | Delete | **deleted, data lost** |',
    );
  });

  it('refuses a user who does not own the environment, and writes nothing', async () => {
    expect(
      await runOnRepository(repo, () =>
        decommission(ALICE, { previewOnly: false, confirmation: 'staging' }),
      ),
    ).toMatchObject({
      status: 'failed',
      failure:
        "You may not make a decommission change to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
      unchanged: true,
    });
  });

  it('refuses a wrong confirmation, and writes nothing', async () => {
    expect(
      await runOnRepository(repo, () =>
        decommission(LINUS, { previewOnly: false, confirmation: 'dev' }),
      ),
    ).toMatchObject({
      status: 'failed',
      failure:
        "To decommission environment 'staging', type its name 'staging' as confirmation (got 'dev'); nothing was changed.",
      unchanged: true,
    });
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
