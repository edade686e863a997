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

const environment = (name: string, owner: string, imageTag: string) =>
  generateEnvironment(
    parseEnvironmentSpec({
      name,
      owner,
      target: 'local',
      provider: 'local',
      workloads: ['web'],
      workloadOverrides: { web: { imageTag } },
    }),
  );

/**
 * Who may promote into an environment, through the scaffolder REST API, with
 * the real templates/promote-workload template: the real scaffolder, catalog and permission backends with the Epicshelter
 * policy; staging is owned by platform-team in the catalog.
 */
describe('epicshelter:environment:promote through the scaffolder REST API', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...environment('dev', 'group:default/checkout-team', '2.0.0'),
      ...environment('staging', 'group:default/platform-team', '1.0.0'),
    });
    server = await startGitopsBackend({ repository: repo });
    await waitForEntity(server, 'template', 'promote-workload');
  });

  const promote = (user: string, values: Record<string, unknown> = {}) =>
    runTask(
      server,
      'template:default/promote-workload',
      {
        from: 'resource:default/dev',
        to: 'resource:default/staging',
        workloads: ['web'],
        ...values,
      },
      user,
    );

  it('previews the rendered diff in the task output and proposes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await promote(LINUS, { previewOnly: true });
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    const output = events.find(e => e.type === 'completion')?.body.output as {
      text: Array<{ title: string; content: string }>;
    };
    expect(output.text[0].title).toBe('Rendered diff');
    expect(output.text[0].content).toContain(
      '-          image: ghcr.io/epicshelter/web:1.0.0\n+          image: ghcr.io/epicshelter/web:2.0.0',
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses a user who does not own the target, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await promote(ALICE);
    expect(status).toBe('failed');
    expect(failureOf(events)).toBe(
      "You may not promote web from 'dev' to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('lets a member of the owning group promote, in one commit of the target overlay', async () => {
    const { status, events } = await promote(LINUS);
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    expect(
      git(repo, 'show', '--name-only', '--format=', 'main').split('\n'),
    ).toEqual([
      'environments/staging/environment.yaml',
      'environments/staging/workloads/kustomization.yaml',
    ]);
    expect(
      git(
        repo,
        'show',
        'main',
        '--',
        'environments/staging/workloads/kustomization.yaml',
      ),
    ).toContain('+    newTag: 2.0.0');
  });
});
