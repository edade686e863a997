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
 * Who may promote into an environment, through the scaffolder REST API: the
 * real scaffolder, catalog and permission backends with the Epicshelter
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
  });

  const promote = (user: string) =>
    runTask(
      server,
      'template:default/test-promote',
      { from: 'dev', to: 'resource:default/staging', workloads: ['web'] },
      user,
    );

  it('refuses a user who does not own the target, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await promote(ALICE);
    expect(status).toBe('failed');
    expect(failureOf(events)).toBe(
      "You may not promote web from 'dev' to environment 'staging': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('lets a member of the owning group promote, in one commit of the target's overlay', async () => {
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
