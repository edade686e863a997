import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { GitOpsEntityProvider } from './GitOpsEntityProvider';
import { GitOpsRepositoryServiceSource } from './sources';
import { GITOPS_CHANGED_TOPIC, normalizeRepository } from './events';
import {
  TestRepo,
  localRepository,
  environmentFiles,
  localSpec,
} from '../__testUtils__/gitRepo';

/** A connection whose mutations can be awaited one by one. */
function recordingConnection() {
  const mutations: EntityProviderMutation[] = [];
  const waiters: Array<() => void> = [];
  const connection: EntityProviderConnection = {
    applyMutation: async m => {
      mutations.push(m);
      waiters.shift()?.();
    },
    refresh: async () => {},
  };
  const next = () => new Promise<void>(resolve => waiters.push(resolve));
  return { connection, mutations, next };
}

describe('GitOpsEntityProvider refreshes on epicshelter.gitops.changed', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-events-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function setup(repo: TestRepo) {
    const logger = mockServices.logger.mock();
    const events = DefaultEventsService.create({ logger });
    const source = new GitOpsRepositoryServiceSource(
      localRepository(repo.dir, 'main'),
    );
    const read = jest.spyOn(source, 'read');
    const provider = new GitOpsEntityProvider({
      source,
      repository: {
        kind: 'local',
        location: repo.dir,
        branch: 'main',
        branchPrefix: 'epicshelter/',
      },
      logger,
      events,
      eventDebounceMs: 20,
    });
    return { provider, events, read };
  }

  it('re-emits the changed environment right away when the publish action announces a commit', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write(environmentFiles(localSpec('dev')));
    repo.commit('dev');
    const { provider, events, read } = setup(repo);
    const { connection, mutations, next } = recordingConnection();
    await provider.connect(connection); // no task runner: no schedule
    await provider.refresh();
    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('full');

    // the template run commits a new environment, then announces it
    repo.write(environmentFiles(localSpec('qa')));
    const sha = repo.commit('qa');
    const delta = next();
    // events about other repositories or branches are ignored
    await events.publish({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        repository: path.join(tmp, 'other'),
        branch: 'main',
        commitSha: sha,
      },
    });
    await events.publish({
      topic: GITOPS_CHANGED_TOPIC,
      eventPayload: {
        repository: repo.dir,
        branch: 'epicshelter/qa',
        commitSha: sha,
      },
    });
    // a burst about our repository and branch: one refresh
    await Promise.all(
      [1, 2, 3].map(() =>
        events.publish({
          topic: GITOPS_CHANGED_TOPIC,
          eventPayload: {
            repository: `${repo.dir}/`,
            branch: 'main',
            commitSha: sha,
            environment: 'qa',
          },
        }),
      ),
    );
    await delta;
    expect(mutations).toHaveLength(2);
    const m = mutations[1];
    if (m.type !== 'delta') throw new Error(`expected a delta, got ${m.type}`);
    expect(m.added.map(e => stringifyEntityRef(e.entity))).toEqual(
      expect.arrayContaining(['resource:default/qa']),
    );
    expect(
      m.added.every(e => stringifyEntityRef(e.entity).includes('qa')),
    ).toBe(true);
    // initial refresh + one event-triggered refresh
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('resolves the event-triggered refresh result, undefined for other repositories', async () => {
    const repo = TestRepo.init(path.join(tmp, 'repo'));
    repo.write(environmentFiles(localSpec('dev')));
    repo.commit('dev');
    const { provider } = setup(repo);
    const { connection } = recordingConnection();
    await provider.connect(connection);
    await provider.refresh();
    repo.remove('environments/dev');
    repo.commit('remove dev');
    expect(
      await provider.onGitOpsChanged({ repository: '/somewhere/else' }),
    ).toBeUndefined();
    expect(await provider.onGitOpsChanged({ nope: true })).toBeUndefined();
    const result = await provider.onGitOpsChanged({
      repository: `file://${repo.dir}`,
    });
    expect(result).toMatchObject({ type: 'delta', removed: ['dev'] });
  });

  it('compares repository locations by path or host/owner/repo', () => {
    expect(normalizeRepository('https://GitHub.com/Acme/gitops.git')).toBe(
      normalizeRepository('https://github.com/acme/gitops/'),
    );
    expect(normalizeRepository('/tmp/x/../gitops')).toBe('/tmp/gitops');
    expect(normalizeRepository('file:///tmp/gitops')).toBe('/tmp/gitops');
  });
});
