import path from 'node:path';
import yaml from 'yaml';
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
import {
  catalogFile,
  ephemeralEnvironmentEntity,
} from './__testUtils__/catalogEntities';

jest.setTimeout(180_000);

const LINUS = 'user:default/linus'; // platform-team, owner of preview
const ALICE = 'user:default/alice'; // checkout-team

/**
 * Who may extend an ephemeral environment, through the scaffolder REST API
 * with the real templates/extend-environment template, scaffolder, catalog
 * and permission backends and the Epicshelter policy.
 */
describe('epicshelter:environment:extend through the scaffolder REST API', () => {
  const dir = createMockDirectory();
  let server: any;
  let repo: string;
  // an hour from now: the extension counts from the current expiry
  const expiresAt = new Date(
    Math.floor(Date.now() / 1000) * 1000 + 3_600_000,
  ).toISOString();

  beforeAll(async () => {
    repo = path.join(dir.path, 'gitops');
    seedRepository(repo, {
      ...platformFixture(),
      ...generateEnvironment(
        parseEnvironmentSpec({
          name: 'preview',
          owner: 'group:default/platform-team',
          target: 'local',
          provider: 'local',
          expiry: { ttl: '4h', expiresAt },
        }),
      ),
    });
    server = await startGitopsBackend({ repository: repo }, [
      catalogFile(dir.path, [
        ephemeralEnvironmentEntity('preview', 'group:default/platform-team', {
          ttl: '4h',
          expiresAt,
        }),
      ]),
    ]);
    await waitForEntity(server, 'template', 'extend-environment');
    await waitForEntity(server, 'resource', 'preview');
  });

  const extend = (user: string, by: string) =>
    runTask(
      server,
      'template:default/extend-environment',
      { environment: 'resource:default/preview', by },
      user,
    );

  it('refuses a user who does not own the environment, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await extend(ALICE, '1d');
    expect(status).toBe('failed');
    expect(failureOf(events)).toBe(
      "You may not add 1d of time to live to environment 'preview': it is owned by group:default/platform-team, and only its owners and platform admins may change it. Nothing was changed; ask group:default/platform-team to make the change.",
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('refuses an extension beyond the maximum, and writes nothing', async () => {
    const before = repositorySnapshot(repo);
    const { status, events } = await extend(LINUS, '30d');
    expect(status).toBe('failed');
    expect(failureOf(events)).toMatch(
      /^Cannot extend environment 'preview': extending by 30d would move the expiry to .*, more than the platform's maximum of 30d from now/,
    );
    expect(repositorySnapshot(repo)).toEqual(before);
  });

  it('lets an owner extend it, in one commit of its environment.yaml', async () => {
    const { status, events } = await extend(LINUS, '1d');
    expect({ status, log: lastMessages(events) }).toMatchObject({
      status: 'completed',
    });
    expect(git(repo, 'show', '--name-only', '--format=', 'main')).toBe(
      'environments/preview/environment.yaml',
    );
    const doc = yaml.parse(
      git(repo, 'show', 'main:environments/preview/environment.yaml'),
    );
    expect(doc.spec.expiry).toEqual({
      ttl: '1d',
      expiresAt: new Date(Date.parse(expiresAt) + 86_400_000).toISOString(),
    });
  });
});
