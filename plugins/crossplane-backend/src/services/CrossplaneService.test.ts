import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import { ClusterRegistry } from './ClusterRegistry';
import { CrossplaneService } from './CrossplaneService';
import { DesiredStateReader } from './DesiredStateReader';

describe('CrossplaneService', () => {
  let fake: FakeKubernetesServer;
  beforeEach(async () => {
    fake = await startFakeKubernetes({ objects: demoObjects('dev') });
  });
  afterEach(() => fake.close());

  function service() {
    const config = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sandbox',
                url: fake.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: 't',
              },
            ],
          },
        ],
      },
    });
    const logger = mockServices.logger.mock();
    return CrossplaneService.fromConfig(config, {
      logger,
      cache: mockServices.cache.mock(),
      clusters: ClusterRegistry.fromConfig(config, { logger }),
      desired: DesiredStateReader.fromConfig(config, {
        repository: () => undefined,
      }),
    });
  }

  it('a refresh finishing after shutdown starts no watches', async () => {
    const svc = service();
    svc.stop();
    await svc.refreshDiscovery();
    await new Promise(r => setTimeout(r, 100));
    expect(fake.requests.filter(r => r.query.watch)).toEqual([]);
    expect(fake.openWatches()).toBe(0);
  });

  it('a refresh before shutdown watches every XR and claim kind', async () => {
    const svc = service();
    await svc.refreshDiscovery();
    const deadline = Date.now() + 5000;
    while (fake.openWatches() === 0 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 10));
    }
    expect(fake.openWatches()).toBeGreaterThan(0);
    svc.stop();
  });
});
