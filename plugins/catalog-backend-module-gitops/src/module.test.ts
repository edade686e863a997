import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import catalogBackend from '@backstage/plugin-catalog-backend';
import catalogModuleGitOps from './index';
import { TestRepo, environmentFiles, localSpec } from './__testUtils__/gitRepo';
import { testDatabaseServiceFactory } from '@epicshelter/plugin-gitops-node/testUtils';

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

jest.setTimeout(60_000);

describe('catalog module epicshelter-gitops in a catalog backend', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-module-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('ingests environments and reports a broken spec as a processing error on that environment only', async () => {
    const repo = TestRepo.init(path.join(tmp, 'gitops'));
    repo.write(environmentFiles(localSpec('dev')));
    repo.write(environmentFiles(localSpec('staging')));
    repo.commit('dev and staging');

    // The mock scheduler instance also provides its own service factory.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(): ServiceFactory<SchedulerService>;
    };
    const { server } = await startTestBackend({
      features: [
        scheduler.factory(),
        testDatabaseServiceFactory,
        catalogBackend,
        catalogModuleGitOps,
        mockServices.rootConfig.factory({
          data: {
            gitops: { repository: repo.dir },
            catalog: {
              processingInterval: { seconds: 1 },
              providers: {
                epicshelterGitops: {
                  system: 'gitops-environments',
                  systemOwner: 'group:default/platform-team',
                  schedule: {
                    frequency: { seconds: 1 },
                    timeout: { seconds: 30 },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    type StitchedEntity = Entity & {
      status?: { items?: Array<{ type: string; error: { message: string } }> };
    };
    const get = async (name: string): Promise<StitchedEntity | undefined> => {
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/resource/default/${name}`)
        .set('authorization', mockCredentials.user.header());
      return res.status === 200 ? (res.body as StitchedEntity) : undefined;
    };

    const dev = await waitFor('dev', () => get('dev'));
    expect(dev.spec).toMatchObject({
      type: 'environment',
      system: 'gitops-environments',
    });
    const db = await waitFor('dev-orders-db', () => get('dev-orders-db'));
    expect(db.relations).toEqual(
      expect.arrayContaining([
        { type: 'dependencyOf', targetRef: 'resource:default/dev' },
        { type: 'dependencyOf', targetRef: 'component:default/orders-api' },
        { type: 'partOf', targetRef: 'system:default/gitops-environments' },
        { type: 'ownedBy', targetRef: 'group:default/checkout-team' },
      ]),
    );
    const system = await request(server)
      .get('/api/catalog/entities/by-name/system/default/gitops-environments')
      .set('authorization', mockCredentials.user.header());
    expect(system.status).toBe(200);
    expect(system.body.relations).toEqual(
      expect.arrayContaining([
        { type: 'hasPart', targetRef: 'resource:default/dev' },
        { type: 'ownedBy', targetRef: 'group:default/platform-team' },
      ]),
    );
    await waitFor('staging', () => get('staging'));

    repo.write({
      'environments/staging/environment.yaml':
        'apiVersion: epicshelter.io/v1alpha1\nkind: Environment\nmetadata:\n  name: staging\nspec:\n  name: Staging\n  owner: group:default/checkout-team\n  target: local\n  provider: local\n',
    });
    repo.commit('break staging');
    await scheduler.triggerTask('epicshelter-gitops:refresh');

    const broken = await waitFor(
      'the processing error on staging',
      async () => {
        const e = await get('staging');
        const items = e?.status?.items;
        return items?.length ? items : undefined;
      },
    );
    expect(broken[0].type).toBe('backstage.io/catalog-processing');
    expect(broken[0].error.message).toContain(
      'environments/staging/environment.yaml: invalid environment spec: spec.name: must be a DNS-1123 label: contains uppercase "S"',
    );
    const devAgain = await get('dev');
    expect(devAgain?.status?.items ?? []).toEqual([]);
  });
});
