import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { SnapshotCache } from './snapshotCache';

describe('SnapshotCache', () => {
  const setUp = () => {
    const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin(
      'environments',
    );
    const computed: string[] = [];
    const snapshots = new SnapshotCache<string>({
      cache,
      logger: mockServices.logger.mock(),
    });
    const read = (environment: string, user = 'user:default/ada') =>
      snapshots.getOrCompute({
        credentials: mockCredentials.user(user),
        environment,
        head: 'abc123',
        compute: async () => {
          computed.push(`${environment} as ${user}`);
          return `${environment}@${computed.length}`;
        },
      });
    // A second instance on the same cache: another replica, or the live
    // change listener next to the environment service.
    const elsewhere = new SnapshotCache<string>({
      cache,
      logger: mockServices.logger.mock(),
    });
    return { read, computed, elsewhere };
  };

  it('reuses a snapshot until its environment is invalidated, for every caller, and keeps the others', async () => {
    const { read, computed, elsewhere } = setUp();
    await read('resource:default/dev');
    await read('resource:default/dev', 'user:default/bob');
    await read('resource:default/staging');
    expect(await read('resource:default/dev')).toBe('resource:default/dev@1');
    expect(computed).toHaveLength(3);

    await elsewhere.invalidate('resource:default/dev');

    expect(await read('resource:default/dev')).toBe('resource:default/dev@4');
    await read('resource:default/dev', 'user:default/bob');
    await read('resource:default/staging');
    expect(computed).toEqual([
      'resource:default/dev as user:default/ada',
      'resource:default/dev as user:default/bob',
      'resource:default/staging as user:default/ada',
      'resource:default/dev as user:default/ada',
      'resource:default/dev as user:default/bob',
    ]);
  });
});
