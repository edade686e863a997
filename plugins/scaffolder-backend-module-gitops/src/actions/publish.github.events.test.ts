import { setupServer } from 'msw/node';
import {
  createMockDirectory,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  DefaultEventsService,
  type EventParams,
  type EventsService,
} from '@backstage/plugin-events-node';
import { createGitOpsPublishAction } from './publish';
import { GITOPS_CHANGED_TOPIC } from '../events';
import { FakeGithub } from '../__testUtils__/fakeGithub';
import { fastGithubTuning } from '../__testUtils__/tuning';

const server = setupServer();
registerMswTestHooks(server);

function makeAction(events: EventsService, token = 'ghp_test_token') {
  const config = new ConfigReader({
    integrations: { github: [{ host: 'github.com', token }] },
    gitops: {
      repository: 'https://github.com/epicshelter/gitops',
      defaultBranch: 'main',
      branchPrefix: 'gitops/',
    },
  });
  return createGitOpsPublishAction({
    config,
    integrations: ScmIntegrations.fromConfig(config),
    githubTuning: fastGithubTuning(),
    events,
  });
}

function workspace() {
  const dir = createMockDirectory();
  dir.setContent({
    'gitops/environments/team-a-dev/environment.yaml': 'kind: Environment\n',
    'gitops/environments/team-a-dev/infrastructure/kustomization.yaml':
      'resources: []\n',
  });
  return dir.path;
}

function context(ws: string, input: Record<string, unknown> = {}) {
  return createMockActionContext({
    workspacePath: ws,
    input: { environment: 'team-a-dev', sourcePath: 'gitops', ...input },
  });
}

describe('epicshelter:gitops:publish on GitHub announces the change', () => {
  let gh: FakeGithub;
  beforeEach(() => {
    gh = new FakeGithub();
    server.use(...gh.handlers());
  });

  /** The real events service with a subscriber on the topic. */
  async function subscribedBus() {
    const bus = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    const received: EventParams[] = [];
    // what GitHub holds at the moment the event arrives
    const seen: Array<{ pulls: number; branchHead?: string }> = [];
    await bus.subscribe({
      id: 'test-subscriber',
      topics: [GITOPS_CHANGED_TOPIC],
      onEvent: async params => {
        received.push(params);
        seen.push({
          pulls: gh.pulls.length,
          branchHead: gh.refs.get('gitops/team-a-dev'),
        });
      },
    });
    return { bus, received, seen };
  }

  it('publishes epicshelter.gitops.changed with the pull request, after it exists', async () => {
    const { bus, received, seen } = await subscribedBus();
    const ctx = context(workspace());
    await makeAction(bus).handler(ctx);

    const head = gh.refs.get('gitops/team-a-dev')!;
    expect(received).toEqual([
      {
        topic: 'epicshelter.gitops.changed',
        eventPayload: {
          repository: 'https://github.com/epicshelter/gitops',
          repositoryType: 'github',
          branch: 'gitops/team-a-dev',
          commitSha: head,
          environment: 'team-a-dev',
          pullRequestUrl: 'https://github.com/epicshelter/gitops/pull/1',
        },
      },
    ]);
    expect(seen).toEqual([{ pulls: 1, branchHead: head }]);
    expect(ctx.output).toHaveBeenCalledWith('commitSha', head);
  });

  it('names the repository by URL whatever form the input used, and announces each re-run', async () => {
    const { bus, received } = await subscribedBus();
    const ws = workspace();
    const input = { repository: 'github.com?owner=epicshelter&repo=gitops' };
    await makeAction(bus).handler(context(ws, input));
    await makeAction(bus).handler(context(ws, input));
    expect(gh.pulls).toHaveLength(1);
    expect(received).toHaveLength(2);
    for (const e of received) {
      expect(e.eventPayload).toMatchObject({
        repository: 'https://github.com/epicshelter/gitops',
        pullRequestUrl: 'https://github.com/epicshelter/gitops/pull/1',
        commitSha: gh.refs.get('gitops/team-a-dev'),
      });
    }
  });

  it('announces nothing on a dry run or when GitHub refuses the change', async () => {
    const { bus, received } = await subscribedBus();
    const dry = { ...context(workspace()), isDryRun: true };
    await makeAction(bus).handler(dry);
    expect(gh.exchanges).toEqual([]);

    await expect(
      makeAction(bus, 'ghp_revoked').handler(context(workspace())),
    ).rejects.toThrow(/Bad credentials/);
    expect(gh.pulls).toEqual([]);
    expect(received).toEqual([]);
  });

  it('still opens the pull request when the events service fails, with a warning', async () => {
    const events = mockServices.events.mock({
      publish: async () => {
        throw new Error('bus down');
      },
    });
    const ctx = context(workspace());
    const warn = jest.spyOn(ctx.logger, 'warn');
    await makeAction(events).handler(ctx);
    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(ctx.output).toHaveBeenCalledWith(
      'pullRequestUrl',
      'https://github.com/epicshelter/gitops/pull/1',
    );
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not publish epicshelter.gitops.changed for https://github.com/epicshelter/gitops@',
      ),
    );
  });
});
