import net from 'node:net';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { ServiceFactory } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  CrossplaneEventsResponse,
  CrossplaneResourcesResponse,
  crossplaneEventsPermission,
  crossplaneYamlPermission,
} from '@epicshelter/plugin-crossplane-common';
import {
  FakeKubernetesServer,
  demoObjects,
  startFakeKubernetes,
} from '@epicshelter/fake-kubernetes';
import { crossplanePlugin } from './plugin';
import { entities } from './__fixtures__/entities';
import { writeGitOpsRepo } from './__fixtures__/gitops';

const TOKEN = 'sandbox-token';

function clusterConfig(url: string, name = 'sandbox') {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name,
              url,
              authProvider: 'serviceAccount',
              serviceAccountToken: TOKEN,
            },
          ],
        },
      ],
    },
  };
}

async function closedPortUrl(): Promise<string> {
  const srv = net.createServer();
  await new Promise<void>(r => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>(r => srv.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

async function startBackend(
  data: JsonObject,
  permissions: ServiceFactory = mockServices.permissions.factory({
    result: AuthorizeResult.ALLOW,
  }),
) {
  const { server } = await startTestBackend({
    features: [
      crossplanePlugin,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities }),
      permissions,
    ],
  });
  return server;
}

/** The YAML of one node of the dev environment's tree. */
async function yamlOf(server: any, nodeId: string): Promise<string> {
  const res = await request(server)
    .get('/api/epicshelter-crossplane/entity/resource/default/dev/yaml')
    .query({ node: nodeId });
  expect(res.status).toBe(200);
  expect(res.body.nodeId).toBe(nodeId);
  return res.body.yaml;
}

const resources = (server: any, kind: string, name: string) =>
  request(server).get(
    `/api/epicshelter-crossplane/entity/${kind}/default/${name}/resources`,
  );

describe('crossplane backend', () => {
  let fake: FakeKubernetesServer;
  let gitops: string;

  beforeAll(async () => {
    fake = await startFakeKubernetes({
      objects: demoObjects('dev'),
      token: TOKEN,
    });
    gitops = writeGitOpsRepo();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  // The request-counting tests below read the API without the watched index
  // (its background lists and watches would interleave with the tree's
  // requests); live.test.ts covers it.
  const config = () => ({
    ...clusterConfig(fake.url),
    crossplane: { sandbox: true, watch: { enabled: false } },
    gitops: { repository: gitops },
  });

  it('walks a v2 tree: XRs → namespaced MRs, with one list call per kind', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'component', 'orders-api');
    expect(res.status).toBe(200);
    const body: CrossplaneResourcesResponse = res.body;
    expect(body.sandbox).toBe(true);
    const [cluster] = body.clusters;
    expect(cluster.error).toBeUndefined();
    const byName = (n: string) => cluster.nodes.find(x => x.name === n)!;
    expect(cluster.roots.sort()).toEqual(
      [byName('dev-orders-cache').id, byName('dev-orders-db').id].sort(),
    );
    const db = byName('dev-orders-db');
    expect(db).toMatchObject({
      role: 'composite',
      crossplaneVersion: 'v2',
      ready: 'False',
    });
    expect(db.composition).toEqual({
      name: 'database-aws',
      revision: 'database-aws-a1b2c3d',
      updatePolicy: 'Automatic',
    });
    const children = cluster.edges.filter(e => e.from === db.id).map(e => e.to);
    expect(
      children.map(id => cluster.nodes.find(n => n.id === id)!.kind).sort(),
    ).toEqual(['Instance', 'Key', 'SecurityGroup', 'SubnetGroup']);
    const instance = byName('dev-orders-db-hk2x9');
    expect(instance).toMatchObject({
      role: 'managed',
      crossplaneVersion: 'v2',
      namespace: 'dev',
      ready: 'False',
      synced: 'True',
      externalName: 'dev-orders-db',
      providerConfig: { kind: 'ClusterProviderConfig', name: 'default' },
      connectionSecret: {
        name: 'dev-orders-db-connection',
        namespace: 'dev',
      },
    });
    expect(instance.conditions.find(c => c.type === 'Ready')?.reason).toBe(
      'Creating',
    );

    // one list per kind, each with a label selector; composed kinds listed by composite label
    const lists = fake.requests.filter(r => r.query.labelSelector);
    const composed = lists.filter(r =>
      r.query.labelSelector.startsWith('crossplane.io/composite'),
    );
    expect(new Set(composed.map(r => r.path)).size).toBe(composed.length);
    expect(fake.requests.every(r => r.method === 'GET')).toBe(true);
  });

  it('lists the XRDs once at startup, then each kind once per tree whatever the depth', async () => {
    const server = await startBackend(config());
    // the background refresh listed the XRDs into the shared cache
    expect(
      fake.requests.filter(r => r.resource === 'compositeresourcedefinitions'),
    ).toHaveLength(1);
    fake.requests.length = 0;
    const res = await resources(server, 'resource', 'dev');
    expect(res.status).toBe(200);
    const cluster = res.body
      .clusters[0] as CrossplaneResourcesResponse['clusters'][0];
    expect(
      fake.requests.filter(r => r.resource === 'compositeresourcedefinitions'),
    ).toEqual([]);
    // no GET per object: lists with a selector, one discovery call for the
    // kind whose CRD is missing (its guessed plural was not served), and
    // what the MRs run on: the package revisions and providers (one list
    // each), the API groups, and per distinct ProviderConfig its group's
    // discovery and one GET
    const providerLookups = [
      '/apis/pkg.crossplane.io/v1/providerrevisions',
      '/apis/pkg.crossplane.io/v1/providers',
      '/apis',
      '/apis/aws.m.upbound.io/v1beta1',
      '/apis/aws.m.upbound.io/v1beta1/clusterproviderconfigs/default',
      '/apis/aws.crossplane.io/v1beta1',
      '/apis/aws.crossplane.io/v1beta1/providerconfigs/provider-aws',
    ];
    expect(
      fake.requests.filter(r => !r.query.labelSelector).map(r => r.path),
    ).toEqual(['/apis/kms.aws.m.upbound.io/v1beta1', ...providerLookups]);
    // each composed kind listed once, nested levels included
    const composedLists = fake.requests
      .filter(r =>
        String(r.query.labelSelector).startsWith('crossplane.io/composite'),
      )
      .map(r => r.path);
    expect(new Set(composedLists).size).toBe(composedLists.length);
    // nested composed resources are found through the top-level XR's label
    const vpcList = fake.requests.find(r => r.path.endsWith('/vpcs'))!;
    expect(vpcList.query.labelSelector).toMatch(
      /^crossplane\.io\/composite( in \(.*\bdev-kubernetes-cluster\b.*\)|=dev-kubernetes-cluster)$/,
    );
    // v1: the claim's XR came with the legacy XR root list (claim labels
    // are propagated to the XR), so no claim-name list is needed
    expect(
      fake.requests.some(r =>
        String(r.query.labelSelector).startsWith('crossplane.io/claim-name'),
      ),
    ).toBe(false);
    // roots: one list per XR/claim kind; composed: one per distinct kind
    // (+1 discovery for the missing CRD)
    const rootLists = fake.requests.filter(r =>
      String(r.query.labelSelector).startsWith('epicshelter.io/environment'),
    ).length;
    // (a claim's legacy XR came with the root lists: no list of its own)
    const composedKinds = new Set(
      cluster.nodes
        .filter(n => !cluster.roots.includes(n.id) && n.role !== 'claim')
        .filter(n => ['composite', 'managed', 'unknown'].includes(n.role))
        .filter(n => !(n.role === 'composite' && n.crossplaneVersion === 'v1'))
        .map(n => `${n.apiVersion}|${n.kind}`),
    );
    expect(cluster.requestCount).toBe(fake.requests.length);
    expect(fake.requests.length).toBe(
      rootLists + composedKinds.size + 1 + providerLookups.length,
    );
  });

  it('marks a managed resource whose CRD is missing as unknown, not a crash', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'component', 'orders-api');
    const key = res.body.clusters[0].nodes.find((n: any) => n.kind === 'Key');
    expect(key).toMatchObject({
      role: 'unknown',
      apiVersion: 'kms.aws.m.upbound.io/v1beta1',
    });
    expect(key.problem).toMatch(/CRD .*not installed/);
  });

  it('walks a v1 tree: claim → cluster-scoped XR → legacy MR', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'component', 'storefront');
    expect(res.status).toBe(200);
    const cluster = res.body
      .clusters[0] as CrossplaneResourcesResponse['clusters'][0];
    const claim = cluster.nodes.find(n => n.role === 'claim')!;
    expect(claim).toMatchObject({
      name: 'dev-storefront-legacy-db',
      namespace: 'dev',
      crossplaneVersion: 'v1',
    });
    const xr = cluster.nodes.find(n => n.kind === 'XDatabase')!;
    expect(xr).toMatchObject({ role: 'composite', crossplaneVersion: 'v1' });
    expect(xr.namespace).toBeUndefined();
    expect(xr.connectionSecret).toEqual({
      name: 'dev-storefront-legacy-db-x7k2p-conn',
      namespace: 'crossplane-system',
    });
    const mr = cluster.nodes.find(n => n.kind === 'DBCluster')!;
    expect(mr).toMatchObject({
      role: 'managed',
      crossplaneVersion: 'v1',
      ready: 'False',
    });
    expect(cluster.edges).toEqual(
      expect.arrayContaining([
        { from: claim.id, to: xr.id },
        { from: xr.id, to: mr.id },
      ]),
    );
    expect(cluster.roots).toContain(claim.id);
    expect(cluster.roots).not.toContain(xr.id);
    // namespace annotation restricts namespaced root lists
    expect(
      fake.requests.some(
        r => r.path.includes('/namespaces/dev/') && r.query.labelSelector,
      ),
    ).toBe(true);
  });

  it('walks nested XRs (cluster → network → VPC/subnet)', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'resource', 'dev');
    const cluster = res.body
      .clusters[0] as CrossplaneResourcesResponse['clusters'][0];
    const k8s = cluster.nodes.find(n => n.kind === 'KubernetesCluster')!;
    const network = cluster.nodes.find(n => n.kind === 'Network')!;
    expect(network.role).toBe('composite');
    expect(cluster.edges).toContainEqual({ from: k8s.id, to: network.id });
    const netChildren = cluster.edges
      .filter(e => e.from === network.id)
      .map(e => cluster.nodes.find(n => n.id === e.to)!.kind)
      .sort();
    expect(netChildren).toEqual(['Subnet', 'VPC']);
    expect(cluster.roots).not.toContain(network.id);
  });

  it('compares desired (Git) with live', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'resource', 'dev');
    const body: CrossplaneResourcesResponse = res.body;
    expect(body.desired.error).toBeUndefined();
    expect(body.desired.resources.map(r => r.name).sort()).toEqual([
      'dev-analytics-db',
      'dev-orders-cache',
      'dev-orders-db',
      'dev-storefront-assets',
      'dev-storefront-db',
      'dev-storefront-legacy-db',
    ]);
    const status = Object.fromEntries(
      body.comparison.map(c => [c.name, c.status]),
    );
    expect(status).toEqual({
      'dev-orders-db': 'failing',
      'dev-orders-cache': 'ready',
      'dev-analytics-db': 'not-created',
      'dev-storefront-assets': 'failing',
      'dev-storefront-db': 'failing',
      'dev-storefront-legacy-db': 'failing',
      'dev-kubernetes-cluster': 'not-declared',
    });
    const assets = body.comparison.find(
      c => c.name === 'dev-storefront-assets',
    )!;
    expect(assets.message).toMatch(
      /^Synced=False \(ReconcileError\): cannot compose resources/,
    );
  });

  it('redacts credential-looking fields and never reads Secrets', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'resource', 'dev');
    const nodes = res.body.clusters[0]
      .nodes as CrossplaneResourcesResponse['clusters'][0]['nodes'];
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('do-not-leak');
    expect(res.body.yamlAllowed).toBe(true);
    expect(nodes.every(n => !('yaml' in n))).toBe(true); // YAML per node, on demand
    const before = fake.requests.length;
    const instanceYaml = await yamlOf(
      server,
      nodes.find(n => n.kind === 'Instance')!.id,
    );
    expect(instanceYaml).toContain('password: <redacted>');
    expect(instanceYaml).toContain('name: dev-orders-db-password'); // secret ref kept by name
    expect(instanceYaml).toContain('status: creating');
    expect(instanceYaml).not.toContain('managedFields');
    expect(
      await yamlOf(server, nodes.find(n => n.kind === 'ReplicationGroup')!.id),
    ).toContain('authToken: <redacted>');
    // served from the tree just built: no Kubernetes request
    expect(fake.requests.length).toBe(before);
    const events = await request(server).get(
      '/api/epicshelter-crossplane/entity/resource/default/dev/events',
    );
    expect(events.status).toBe(200);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(
      fake.requests.filter(
        r => r.resource === 'secrets' || /secrets/.test(r.path),
      ),
    ).toEqual([]);
  });

  it('lists events with one call per namespace', async () => {
    const server = await startBackend(config());
    await resources(server, 'resource', 'dev');
    fake.requests.length = 0;
    const res = await request(server).get(
      '/api/epicshelter-crossplane/entity/resource/default/dev/events',
    );
    const body: CrossplaneEventsResponse = res.body;
    expect(body.errors).toEqual([]);
    const eventCalls = fake.requests.filter(r => r.resource === 'events');
    expect(eventCalls.map(r => r.path).sort()).toEqual([
      '/api/v1/namespaces/default/events',
      '/api/v1/namespaces/dev/events',
    ]);
    // the tree came from the cache
    expect(fake.requests.length).toBe(2);
    const reasons = body.events.map(e => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'CannotObserveExternalResource',
        'CannotUpdateExternalResource',
        'SelectComposition',
      ]),
    );
    // the cluster-scoped legacy MR's event lives in 'default'
    expect(body.events.find(e => e.nodeId.includes('DBCluster'))?.reason).toBe(
      'CreatedExternalResource',
    );
  });

  it('serves a repeated request from the cache without Kubernetes calls', async () => {
    const server = await startBackend(config());
    const first = await resources(server, 'component', 'orders-api');
    expect(first.body.clusters[0].requestCount).toBeGreaterThan(0);
    const before = fake.requests.length;
    const second = await resources(server, 'component', 'orders-api');
    expect(fake.requests.length).toBe(before);
    expect(second.body.clusters[0].requestCount).toBe(0);
    expect(second.body.clusters[0].nodes).toEqual(first.body.clusters[0].nodes);
  });

  it('serves YAML only for nodes of the entity, and says why otherwise', async () => {
    const server = await startBackend(config());
    const res = await resources(server, 'component', 'orders-api');
    const own = res.body.clusters[0].nodes.find(
      (n: any) => n.role === 'managed',
    ).id;
    const route =
      '/api/epicshelter-crossplane/entity/component/default/orders-api/yaml';
    expect((await request(server).get(route).query({ node: own })).status).toBe(
      200,
    );
    // a node of another entity's tree (storefront) is not served here
    const storefront = await resources(server, 'component', 'storefront');
    const foreign = storefront.body.clusters[0].nodes.find(
      (n: any) => n.role === 'managed',
    ).id;
    expect(res.body.clusters[0].nodes.some((n: any) => n.id === foreign)).toBe(
      false,
    );
    const other = await request(server).get(route).query({ node: foreign });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toMatch(
      /No Crossplane object .* among the resources of component:default\/orders-api/,
    );
    const missing = await request(server).get(route);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/"node"/);
  });

  it('reads the cluster for every request when cacheTtlSeconds is 0', async () => {
    const server = await startBackend({
      ...config(),
      crossplane: { watch: { enabled: false }, cacheTtlSeconds: 0 },
    });
    await resources(server, 'component', 'orders-api');
    const before = fake.requests.length;
    const second = await resources(server, 'component', 'orders-api');
    expect(second.body.clusters[0].requestCount).toBeGreaterThan(0);
    expect(fake.requests.length - before).toBe(
      second.body.clusters[0].requestCount,
    );
  });

  it('reports an unreachable cluster clearly and still shows the desired side', async () => {
    const server = await startBackend({
      ...clusterConfig(await closedPortUrl(), 'prod'),
      gitops: { repository: gitops },
    });
    const res = await resources(server, 'resource', 'dev');
    expect(res.status).toBe(200);
    const body: CrossplaneResourcesResponse = res.body;
    expect(body.sandbox).toBe(false);
    expect(body.clusters[0].error?.message).toMatch(
      /Cannot reach Kubernetes cluster 'prod' at http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(body.desired.resources).toHaveLength(6);
    expect(body.comparison.every(c => c.status === 'unknown')).toBe(true);
    expect(body.comparison[0].message).toMatch(/^Cluster unreachable: prod:/);
  });

  it('works with no cluster configured (desired side only)', async () => {
    const server = await startBackend({ gitops: { repository: gitops } });
    const res = await resources(server, 'component', 'orders-api');
    const body: CrossplaneResourcesResponse = res.body;
    expect(body.liveAvailable).toBe(false);
    expect(body.clusters).toEqual([]);
    expect(body.desired.resources.map(r => r.name).sort()).toEqual([
      'dev-orders-cache',
      'dev-orders-db',
    ]);
    expect(body.comparison[0]).toMatchObject({
      status: 'unknown',
      message: 'No Kubernetes cluster configured: desired state only',
    });
  });

  it('rejects a wrong token with a clear error', async () => {
    const server = await startBackend({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sandbox',
                url: fake.url,
                authProvider: 'serviceAccount',
                serviceAccountToken: 'wrong',
              },
            ],
          },
        ],
      },
    });
    const res = await resources(server, 'component', 'orders-api');
    expect(res.body.clusters[0].error.message).toMatch(
      /refused .*HTTP 401.*check the cluster's credentials/,
    );
  });

  it('answers 400 for entities without annotations, bad selectors and unknown clusters', async () => {
    const server = await startBackend(config());
    const plain = await resources(server, 'component', 'plain');
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toMatch(
      /neither the epicshelter.io\/environment nor/,
    );
    expect((await resources(server, 'component', 'bad-selector')).status).toBe(
      400,
    );
    const elsewhere = await resources(server, 'component', 'elsewhere');
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toMatch(
      /Cluster 'nope'.*known clusters: sandbox/,
    );
    expect((await resources(server, 'component', 'missing')).status).toBe(404);
  });

  describe('permissions', () => {
    it('denies everything with DENY', async () => {
      const server = await startBackend(
        config(),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      );
      fake.requests.length = 0; // the startup XRD refresh is not a tree read
      expect((await resources(server, 'component', 'orders-api')).status).toBe(
        403,
      );
      expect(
        (
          await request(server).get(
            '/api/epicshelter-crossplane/entity/component/default/orders-api/events',
          )
        ).status,
      ).toBe(403);
      expect(fake.requests).toEqual([]);
    });

    it('omits YAML and refuses events when only read is allowed', async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              isPermission(r.permission, crossplaneYamlPermission) ||
              isPermission(r.permission, crossplaneEventsPermission)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })) as any,
      });
      const server = await startBackend(config(), permissions.factory);
      const res = await resources(server, 'component', 'orders-api');
      expect(res.status).toBe(200);
      expect(res.body.yamlAllowed).toBe(false);
      const nodeId = res.body.clusters[0].nodes[0].id;
      const yaml = await request(server)
        .get(
          '/api/epicshelter-crossplane/entity/component/default/orders-api/yaml',
        )
        .query({ node: nodeId });
      expect(yaml.status).toBe(403);
      expect(yaml.body.error.message).toMatch(/Not allowed to view the YAML/);
      const ev = await request(server).get(
        '/api/epicshelter-crossplane/entity/component/default/orders-api/events',
      );
      expect(ev.status).toBe(403);
    });
  });
});
