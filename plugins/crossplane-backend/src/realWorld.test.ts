import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  CrossplaneClusterResult,
  CrossplaneNode,
  CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';
import {
  FakeKubernetesServer,
  REAL_WORLD_NAMESPACE,
  realWorldObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import { crossplanePlugin } from './plugin';
import { entities } from './__fixtures__/entities';

/*
 * The backend driven through its HTTP routes against objects shaped like
 * real ones: fake-kubernetes' realWorldObjects (recorded MRs, real XRDs and
 * provider CRDs, validated there against those CRDs).
 */

const TOKEN = 'real-world-token';
const BASE = '/api/epicshelter-crossplane/entity/component/default/shop';
const ns = REAL_WORLD_NAMESPACE;

describe('crossplane backend against real-world objects', () => {
  let fake: FakeKubernetesServer;
  let refused: ((path: string) => boolean) | undefined;

  beforeAll(async () => {
    fake = await startFakeKubernetes({
      objects: realWorldObjects(),
      token: TOKEN,
      refuse: ({ path }) => (refused?.(path) ? 403 : undefined),
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    refused = undefined;
  });

  async function start() {
    const { server } = await startTestBackend({
      features: [
        crossplanePlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'prod',
                      url: fake.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: TOKEN,
                    },
                  ],
                },
              ],
            },
            crossplane: { watch: { enabled: false } },
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
    // the startup XRD refresh is not part of what the tests count
    fake.requests.length = 0;
    return server;
  }

  async function tree(server: any): Promise<{
    body: CrossplaneResourcesResponse;
    cluster: CrossplaneClusterResult;
    byName: (name: string, kind?: string) => CrossplaneNode;
    children: (n: CrossplaneNode) => CrossplaneNode[];
  }> {
    const res = await request(server).get(`${BASE}/resources`);
    expect(res.status).toBe(200);
    const body: CrossplaneResourcesResponse = res.body;
    const cluster = body.clusters[0];
    expect(cluster.error).toBeUndefined();
    const byName = (name: string, kind?: string) => {
      const found = cluster.nodes.find(
        n => n.name === name && (!kind || n.kind === kind),
      );
      if (!found) throw new Error(`no node ${kind ?? ''} ${name}`);
      return found;
    };
    const children = (n: CrossplaneNode) =>
      cluster.edges
        .filter(e => e.from === n.id)
        .map(e => cluster.nodes.find(x => x.id === e.to)!);
    return { body, cluster, byName, children };
  }

  const yamlOf = async (server: any, node: CrossplaneNode) => {
    const res = await request(server)
      .get(`${BASE}/yaml`)
      .query({ node: node.id });
    expect(res.status).toBe(200);
    return res.body.yaml as string;
  };

  it('keeps the tree of a v2 XR that composes a Secret; the Secret is a name-only node and never read', async () => {
    const server = await start();
    const { byName, children } = await tree(server);
    const xr = byName('orders-db');
    expect(children(xr).map(n => `${n.kind}/${n.name}`)).toEqual(
      expect.arrayContaining([
        'ResourceGroup/orders-rg',
        'Release/orders-db-postgresql',
        'Object/orders-db-app-secret',
        'Secret/orders-db-connection',
      ]),
    );
    const secret = byName('orders-db-connection');
    expect(secret).toMatchObject({
      role: 'secret',
      kind: 'Secret',
      apiVersion: 'v1',
      namespace: ns,
      conditions: [],
      labels: {},
    });
    expect(secret.status.message).toMatch(/never read/);
    // nothing read, so there is no YAML to show
    const yaml = await request(server)
      .get(`${BASE}/yaml`)
      .query({ node: secret.id });
    expect(yaml.status).toBe(404);
    await request(server).get(`${BASE}/events`).query({ node: secret.id });
    expect(
      fake.requests.filter(
        r => r.resource === 'secrets' || r.path.includes('/secrets'),
      ),
    ).toEqual([]);
  });

  it('walks XRs of every XRD scope: Namespaced and Cluster (v2, spec.crossplane) and LegacyCluster (spec)', async () => {
    const server = await start();
    const { cluster, byName, children } = await tree(server);
    const namespaced = byName('orders-db');
    const clusterScoped = byName('platform-db');
    const legacy = byName('legacy-bucket');
    expect(namespaced).toMatchObject({
      role: 'composite',
      crossplaneVersion: 'v2',
      namespace: ns,
      composition: {
        name: 'xsqlinstances.aws.platform.upbound.io',
        revision: 'xsqlinstances.aws.platform.upbound.io-5f9c2e1',
        updatePolicy: 'Automatic',
      },
    });
    expect(children(namespaced)).toHaveLength(8);
    expect(clusterScoped).toMatchObject({
      role: 'composite',
      crossplaneVersion: 'v2',
      composition: { name: 'xsqlinstances.aws.platform.upbound.io' },
    });
    expect(clusterScoped.namespace).toBeUndefined();
    expect(children(clusterScoped).map(n => n.name)).toEqual(['platform-rg']);
    expect(byName('platform-rg').namespace).toBe(ns);
    expect(legacy).toMatchObject({
      role: 'composite',
      crossplaneVersion: 'v1',
    });
    expect(legacy.connectionSecret).toEqual({
      name: 'legacy-bucket-conn',
      namespace: 'crossplane-system',
    });
    expect(children(legacy).map(n => `${n.kind}/${n.name}`)).toEqual([
      'DBCluster/test-rds1',
    ]);
    expect(cluster.roots.sort()).toEqual(
      [namespaced.id, clusterScoped.id, legacy.id].sort(),
    );
  });

  it("classifies in Crossplane's vocabulary: failing, creating, paused, deleting, each with its reason", async () => {
    const server = await start();
    const { body, byName } = await tree(server);
    expect(byName('orders-rg').status).toMatchObject({
      health: 'failing',
      reason: 'ReconcileError',
    });
    expect(byName('orders-rg').status.message).toMatch(
      /^Synced=False \(ReconcileError\): update failed: async update failed/,
    );
    expect(byName('orders-rg-creating').status).toMatchObject({
      health: 'progressing',
      reason: 'Creating',
    });
    expect(byName('orders-rg-paused').status).toMatchObject({
      health: 'paused',
      reason: 'ReconcilePaused',
    });
    expect(byName('orders-rg-deleting')).toMatchObject({
      deletionTimestamp: '2026-01-10T10:05:00Z',
      status: { health: 'deleting', reason: 'Deleting' },
    });
    expect(byName('test-rds1').status).toMatchObject({
      health: 'progressing',
      reason: 'Creating',
    });
    expect(byName('platform-rg').status).toMatchObject({
      health: 'healthy',
      reason: 'Available',
    });
    // the XR that is only being created is progress on the card, not failure
    const entry = body.comparison.find(c => c.name === 'orders-db')!;
    expect(entry).toMatchObject({ state: 'progressing', reason: 'Creating' });
  });

  it('shows providers and ProviderConfigs as what they are, so "ProviderConfig … not found" leads to its cause', async () => {
    const server = await start();
    const { byName, children } = await tree(server);
    const [config] = children(byName('orders-rg')).filter(
      n => n.kind === 'ClusterProviderConfig',
    );
    expect(config).toMatchObject({
      role: 'provider-config',
      name: 'default',
      apiVersion: 'azure.m.upbound.io/v1beta1',
      status: { health: 'healthy' },
    });
    const [provider] = children(config);
    expect(provider).toMatchObject({
      role: 'provider',
      kind: 'Provider',
      name: 'upbound-provider-family-azure',
      status: { health: 'healthy', reason: 'HealthyPackageRevision' },
    });
    expect(children(provider)).toEqual([
      expect.objectContaining({
        role: 'package-revision',
        kind: 'ProviderRevision',
      }),
    ]);
    // the MR fails because its ClusterProviderConfig does not exist: the
    // node says so and still leads to the provider that would serve it
    const [missing] = children(byName('orders-rg-team-b')).filter(
      n => n.kind === 'ClusterProviderConfig',
    );
    expect(missing).toMatchObject({
      role: 'missing',
      name: 'team-b',
      status: { health: 'failing', reason: 'NotFound' },
    });
    expect(missing.problem).toMatch(/ClusterProviderConfig 'team-b' not found/);
    expect(children(missing).map(n => n.id)).toEqual([provider.id]);
    // Releases and Objects lead to their own providers
    const helm = children(byName('orders-db-postgresql'))[0];
    expect(children(helm)[0].name).toBe('crossplane-contrib-provider-helm');
    // a legacy MR whose provider is not installed: the cause is on the node
    const legacy = children(byName('test-rds1'))[0];
    expect(legacy).toMatchObject({ role: 'unknown', kind: 'ProviderConfig' });
    expect(legacy.problem).toMatch(
      /No API group of rds\.aws\.crossplane\.io serves ProviderConfig/,
    );
  });

  it('redacts secret material by structure and keeps what only looks sensitive', async () => {
    const server = await start();
    const { byName } = await tree(server);
    const release = await yamlOf(server, byName('orders-db-postgresql'));
    for (const leaked of [
      'helm-set-password-1',
      'resolved-from-secret-2',
      'helm-values-password-3',
    ]) {
      expect(release).not.toContain(leaked);
    }
    expect(release).toContain('name: orders-db-replication'); // reference kept
    expect(release).toContain('value: 8Gi');
    expect(release).toContain('value: orders'); // commonLabels.key
    expect(release).toContain('keyName: orders-ssh');
    expect(release).toContain('key: team');
    expect(release).toContain('certFilename: tls.crt');
    const object = await yamlOf(server, byName('orders-db-app-secret'));
    for (const leaked of [
      'wrapped-secret-5',
      'wrapped-last-applied-4',
      'd3JhcHBlZC1zdGF0dXMtNg==',
      'b3JkZXJz',
    ]) {
      expect(object).not.toContain(leaked);
    }
    expect(object).toMatch(/stringData:\n\s+username: <redacted>/);
    expect(object).toMatch(/data:\n\s+username: <redacted>/);
    const legacy = await yamlOf(server, byName('legacy-bucket'));
    expect(legacy).toContain('key: team');
    expect(legacy).toContain('value: storefront');
    const mr = await yamlOf(server, byName('test-rds1'));
    expect(mr).toContain('dbClusterIdentifier: test-rds1');
    expect(mr).toContain('dbSubnetGroupName: test-rds');
  });

  it('says "desired state unavailable" instead of calling every live object no longer declared', async () => {
    const server = await start();
    const { body } = await tree(server);
    expect(body.desired.error).toBeDefined();
    expect(body.comparison).toHaveLength(3);
    for (const entry of body.comparison) {
      expect(entry.status).toBe('unknown');
      expect(entry.message).toMatch(/^Desired state unavailable/);
      expect(entry.liveNodeId).toBeDefined();
    }
  });

  it('builds one tree for concurrent requests; a node costs only its own events call', async () => {
    const server = await start();
    const node = `prod:azure.m.upbound.io/ResourceGroup:${ns}:orders-rg`;
    const [resources, yaml, events, again] = await Promise.all([
      request(server).get(`${BASE}/resources`),
      request(server).get(`${BASE}/yaml`).query({ node }),
      request(server).get(`${BASE}/events`).query({ node }),
      request(server).get(`${BASE}/resources`),
    ]);
    expect([resources, yaml, events, again].map(r => r.status)).toEqual([
      200, 200, 200, 200,
    ]);
    const built = resources.body.clusters[0].requestCount;
    expect(built).toBeGreaterThan(0);
    const eventCalls = fake.requests.filter(r => r.resource === 'events');
    expect(eventCalls).toEqual([
      expect.objectContaining({
        path: `/api/v1/namespaces/${ns}/events`,
        query: {
          fieldSelector:
            'involvedObject.kind=ResourceGroup,involvedObject.name=orders-rg',
        },
      }),
    ]);
    // one build, whatever asked for it, plus the node's events
    expect(fake.requests.length).toBe(built + 1);

    // opening another node: its events only
    fake.requests.length = 0;
    const other = `prod:azure.m.upbound.io/ResourceGroup:${ns}:orders-rg-paused`;
    await request(server).get(`${BASE}/yaml`).query({ node: other });
    await request(server).get(`${BASE}/events`).query({ node: other });
    expect(fake.requests.map(r => r.resource)).toEqual(['events']);
  });

  it('keeps the tree when the cluster refuses a composed kind or a ProviderConfig: those nodes say why', async () => {
    const server = await start();
    refused = path =>
      path.includes('/releases') ||
      path.startsWith(
        '/apis/azure.m.upbound.io/v1beta1/clusterproviderconfigs/',
      );
    const { byName, children } = await tree(server);
    const release = byName('orders-db-postgresql');
    expect(release).toMatchObject({ role: 'unknown', kind: 'Release' });
    expect(release.problem).toMatch(
      /refused listing Release\.helm\.m\.crossplane\.io \(HTTP 403/,
    );
    expect(children(byName('orders-db'))).toHaveLength(8);
    expect(byName('orders-rg').role).toBe('managed');
    // a ProviderConfig it may not read: the node says so
    const [config] = children(byName('orders-rg')).filter(
      n => n.kind === 'ClusterProviderConfig',
    );
    expect(config).toMatchObject({ role: 'unknown', name: 'default' });
    expect(config.problem).toMatch(
      /refused reading ClusterProviderConfig default \(HTTP 403/,
    );
  });

  it('shares and briefly caches a failed build', async () => {
    const server = await start();
    // the cluster refuses the root list of one XR kind: the build fails
    refused = path => path.endsWith('/sqlinstances');
    const responses = await Promise.all(
      [1, 2, 3].map(() => request(server).get(`${BASE}/resources`)),
    );
    const failedCalls = fake.requests.length;
    // one build for the three requests: the refused list was asked once
    expect(
      fake.requests.filter(r => r.path.endsWith('/sqlinstances')),
    ).toHaveLength(1);
    for (const res of responses) {
      expect(res.body.clusters[0].error.message).toMatch(/HTTP 403/);
    }
    // asked again right away: the failure is served from the cache
    const again = await request(server).get(`${BASE}/resources`);
    expect(again.body.clusters[0].error.message).toMatch(/HTTP 403/);
    expect(fake.requests.length).toBe(failedCalls);
  });
});
