import request from 'supertest';
import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  mockCredentials,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { parseEnvironmentSpec } from '@epicshelter/plugin-gitops-common';
import {
  git,
  initEnvironmentRepository,
  portalWithoutLiveState,
  startLocalEnvironmentsBackend,
  writeEnvironment,
} from './__testUtils__/environmentRepository';

jest.setTimeout(30_000);

const server = setupServer(...portalWithoutLiveState);

const environment = (expiresAt: string, ttl = '1d') =>
  parseEnvironmentSpec({
    name: 'preview',
    owner: 'group:default/team-a',
    target: 'local',
    provider: 'local',
    workloads: ['web'],
    expiry: { ttl, expiresAt },
  });

/**
 * The lifecycle view's expiry: the current one and each extension, read
 * from the history of the environment document (the commits' trailers say
 * who asked), and the decommission change open for it.
 */
describe('GET /environments/:name/lifecycle of an ephemeral environment', () => {
  registerMswTestHooks(server);
  const dir = createMockDirectory();
  let repo: string;

  beforeEach(() => {
    dir.clear();
    repo = initEnvironmentRepository(
      dir.path,
      environment('2020-01-02T10:00:00.000Z'),
    );
  });

  /** Commits an extension on main as Extend + publish write it. */
  function extend(to: string, by: string, requester: string) {
    writeEnvironment(repo, environment(to, by));
    git(
      repo,
      'commit',
      '-qam',
      `Environment preview: extend by ${by}\n\nRequested-by: ${requester}\nScaffolder-Task: t-${by}\nEpicshelter-Change: epicshelter/preview`,
    );
    return git(repo, 'rev-parse', 'HEAD');
  }

  async function lifecycle(spec = environment('2020-01-05T10:00:00.000Z')) {
    const backend = await startLocalEnvironmentsBackend(repo, spec);
    const res = await request(backend)
      .get('/api/environments/environments/preview/lifecycle')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    return res.body;
  }

  it('lists each extension with who asked, when, from and to, and its commit', async () => {
    const first = extend(
      '2020-01-03T10:00:00.000Z',
      '1d',
      'Jane Doe <jane@example.com>',
    );
    // a commit that leaves the expiry alone is no extension
    writeEnvironment(repo, {
      ...environment('2020-01-03T10:00:00.000Z'),
      workloads: ['web', 'api'],
    });
    git(repo, 'commit', '-qam', 'Environment preview: add api');
    const second = extend('2020-01-05T10:00:00.000Z', '2d', 'Joe');

    const body = await lifecycle();
    expect(body.steps.length).toBeGreaterThan(0);
    expect(body.expiry).toEqual({
      current: { ttl: '2d', expiresAt: '2020-01-05T10:00:00.000Z' },
      partial: false,
      extensions: [
        {
          at: expect.any(String),
          requestedBy: 'Joe',
          from: '2020-01-03T10:00:00.000Z',
          to: '2020-01-05T10:00:00.000Z',
          by: '2d',
          commit: { sha: second, subject: 'Environment preview: extend by 2d' },
        },
        {
          at: expect.any(String),
          requestedBy: 'Jane Doe',
          from: '2020-01-02T10:00:00.000Z',
          to: '2020-01-03T10:00:00.000Z',
          by: '1d',
          commit: { sha: first, subject: 'Environment preview: extend by 1d' },
        },
      ],
    });
  });

  it('says when a decommission is open after the expiry passed', async () => {
    git(repo, 'checkout', '-qb', 'epicshelter/preview');
    git(repo, 'rm', '-rq', 'environments/preview');
    git(repo, 'commit', '-qm', 'Environment preview: decommission');
    git(repo, 'checkout', '-q', 'main');
    const body = await lifecycle(environment('2020-01-02T10:00:00.000Z'));
    expect(body.expiry).toMatchObject({
      current: { expiresAt: '2020-01-02T10:00:00.000Z' },
      extensions: [],
      decommission: {
        change: {
          kind: 'branch',
          branch: 'epicshelter/preview',
          removesEnvironment: true,
        },
        expiryTriggered: true,
      },
    });
  });

  it('has no expiry for an environment that does not expire', async () => {
    const spec = parseEnvironmentSpec({
      name: 'preview',
      owner: 'group:default/team-a',
      target: 'local',
      provider: 'local',
      workloads: ['web'],
    });
    expect(await lifecycle(spec)).not.toHaveProperty('expiry');
  });
});
