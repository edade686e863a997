import fs from 'node:fs';
import os from 'node:os';
import { mockServices } from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { FakeArgoCd, startFakeArgoCd } from '@epicshelter/fake-argocd';
// The Argo CD backend publishes the change events this plugin reacts to; the
// test runs both, as a portal does.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import argocdPlugin from '@epicshelter/plugin-argocd-backend';
import { environmentEntities } from '@epicshelter/plugin-catalog-backend-module-gitops';
import { parseEnvironmentSpec } from '@epicshelter/plugin-gitops-common';
import { initEnvironmentRepository } from '../__testUtils__/environmentRepository';
import { startScheduledEnvironmentsBackend } from '../__testUtils__/scheduledBackend';

jest.setTimeout(60_000);

const dev = parseEnvironmentSpec({
  name: 'dev',
  owner: 'group:default/team-a',
  target: 'local',
  provider: 'local',
  workloads: ['storefront'],
});

/** Polls `ok` every 20 ms until it holds; fails naming `what` after 10 s. */
async function waitUntil(what: string, ok: () => boolean) {
  const end = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

/**
 * From Argo CD to the owner's notification without a scheduled run: the
 * fake Argo CD's dev-workloads goes Degraded; argocd-backend's watch sees it
 * and publishes on the (real, in-process) events service; this plugin checks
 * dev, reading it through argocd-backend's routes, and notifies the owner.
 */
describe('incidents from the Argo CD watch', () => {
  let tmp: string;
  let fake: FakeArgoCd;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(`${os.tmpdir()}/env-watch-`);
    fake = await startFakeArgoCd({
      instances: ['local'],
      gitopsRepo: initEnvironmentRepository(tmp, dev),
    });
  });
  afterEach(async () => {
    await fake.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('notifies the owner within moments of Argo CD reporting Degraded, and of the recovery', async () => {
    const { sent } = await startScheduledEnvironmentsBackend({
      entities: environmentEntities(dev, {
        kind: 'local',
        location: tmp,
        branch: 'main',
        branchPrefix: 'epicshelter/',
      }),
      config: {
        argocd: {
          username: 'admin',
          password: 'password',
          instances: [{ name: 'local', url: fake.url('local') }],
          prefetch: { enabled: false },
          watch: { enabled: true, retryMinMs: 50 },
        },
        epicshelter: {
          environments: { notifications: { liveCheckDelay: '50ms' } },
        },
      },
      features: [
        argocdPlugin,
        eventsServiceFactory,
        mockServices.permissions.factory(),
      ],
    });
    // The watch is current once its stream is open and its first list has
    // been answered: a change made before that list would be part of the
    // starting state, which is not published as a change.
    await waitUntil(
      'the watch',
      () =>
        fake.openWatchStreams('local') === 1 &&
        fake.requests.some(
          r =>
            r.method === 'GET' &&
            r.path === '/api/v1/applications' &&
            r.status === 200,
        ),
    );

    const started = Date.now();
    fake.updateApplication('local', 'dev-workloads', app => {
      app.status!.health = { status: 'Degraded', message: 'crash loop' };
    });
    await waitUntil('the Degraded notification', () => sent.length === 1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'group:default/team-a' },
      payload: {
        title: 'Environment dev: an Argo CD application is Degraded',
        description: expect.stringContaining('crash loop'),
      },
    });

    fake.updateApplication('local', 'dev-workloads', app => {
      app.status!.health = { status: 'Healthy' };
    });
    await waitUntil('the recovery', () => sent.length === 2);
    expect(sent[1].payload.title).toBe(
      'Environment dev recovered: its Argo CD applications are no longer Degraded',
    );
  });
});
