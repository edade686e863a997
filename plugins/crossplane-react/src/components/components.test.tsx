import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  MockFetchApi,
  TestApiProvider,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { CrossplaneResourcesContent } from './CrossplaneResourcesContent';
import { renderWithCrossplaneApi } from '../__testUtils__/renderWithCrossplaneApi';
import { CrossplaneOverviewCard } from './CrossplaneOverviewCard';
import { CrossplaneGraph } from './CrossplaneGraph';
import { HEALTH_LABELS } from './status';
import type {
  CrossplaneClusterResult,
  CrossplaneHealth,
  CrossplaneNode,
  CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';
import resources from '../__fixtures__/resources.json';
import events from '../__fixtures__/events.json';
import nodeYaml from '../__fixtures__/nodeYaml.json';
import realWorldResources from '../__fixtures__/realWorldResources.json';

// Rendering the SVG graph, tables and the lazy code snippet in jsdom is slow on 2 cores.
jest.setTimeout(30_000);

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://backstage.test/api/epicshelter-crossplane';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'dev',
    namespace: 'default',
    annotations: { 'epicshelter.io/environment': 'dev' },
  },
  spec: { type: 'environment' },
};

beforeAll(() => {
  // jsdom has no SVG layout; DependencyGraph measures nodes with getBBox.
  (window.SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 200,
    height: 60,
  });
});

function renderWithApis(element: JSX.Element) {
  return renderWithCrossplaneApi(element, { baseUrl: BASE, entity });
}

describe('CrossplaneGraph', () => {
  let original: unknown;
  beforeEach(() => {
    original = (window.SVGElement.prototype as any).getBBox;
    // Text 8px per character; a whole node as the graph measures it.
    (window.SVGElement.prototype as any).getBBox = function getBBox(
      this: SVGElement,
    ) {
      const width =
        this.tagName === 'text' ? (this.textContent ?? '').length * 8 : 240;
      return { x: 0, y: 0, width, height: 66 };
    };
  });
  afterEach(() => {
    (window.SVGElement.prototype as any).getBBox = original;
  });

  it('sizes each node box to its measured text and never scales the graph up', async () => {
    const cluster = (resources as unknown as CrossplaneResourcesResponse)
      .clusters[0];
    await renderInTestApp(
      <CrossplaneGraph result={cluster} onSelect={() => {}} />,
    );
    const db = await screen.findByTestId('crossplane-node-Database-orders-db');
    // "Database · composite" is 160px wide, "Ready False" and "Synced True"
    // 88px each: Synced starts after Ready's dot, label and a gap, and the
    // box ends 10px after it.
    await waitFor(() =>
      expect(db.querySelector('rect')).toHaveAttribute('width', '232'),
    );
    const badges = db.querySelectorAll(':scope > g');
    expect(badges[0]).toHaveAttribute('transform', 'translate(10, 56)');
    expect(badges[1]).toHaveAttribute('transform', 'translate(122, 56)');
    expect(badges[1]).toHaveTextContent('Synced True');
    const svg = document.querySelector('svg#dependency-graph')!;
    expect(svg).toHaveAttribute('preserveAspectRatio', 'xMinYMin meet');
    // Natural height in px ("grow"), not stretched to the container.
    expect(svg.getAttribute('height')).toMatch(/^\d+(\.\d+)?$/);
  });
});

describe('CrossplaneResourcesContent', () => {
  it('renders the graph with Ready/Synced per node, a sandbox banner and desired vs live', async () => {
    const yamlRequests: string[] = [];
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json(resources),
      ),
      http.get(`${BASE}/entity/Resource/default/dev/events`, () =>
        HttpResponse.json(events),
      ),
      http.get(`${BASE}/entity/Resource/default/dev/yaml`, ({ request }) => {
        const nodeId = new URL(request.url).searchParams.get('node')!;
        yamlRequests.push(nodeId);
        return HttpResponse.json({
          nodeId,
          yaml: (nodeYaml as Record<string, string>)[nodeId],
        });
      }),
    );
    await renderWithApis(<CrossplaneResourcesContent />);
    expect(
      await screen.findByTestId('crossplane-sandbox-banner'),
    ).toBeInTheDocument();
    const db = await screen.findByTestId('crossplane-node-Database-orders-db');
    expect(db).toHaveAttribute(
      'aria-label',
      'Database orders-db Progressing (Creating) Ready False Synced True',
    );
    expect(
      screen.getByTestId('crossplane-node-Key-orders-db-kms4t'),
    ).toHaveTextContent('Key · unknown');
    expect(
      screen.getByTestId('crossplane-node-Network-dev-cluster-net'),
    ).toBeInTheDocument();
    expect(screen.getByText('Not yet created')).toBeInTheDocument();
    expect(screen.getByText('Live, no longer declared')).toBeInTheDocument();
    // a fixed layout: every column but Details has its width, so the table
    // never grows past the page; the state stays on one line, the details
    // keep their line breaks, identifiers wrap only between their words
    const notCreated = screen.getByText('Not yet created').closest('tr')!;
    expect(notCreated.closest('table')!.style.tableLayout).toBe('fixed');
    const cells = Array.from(notCreated.querySelectorAll('td'));
    expect(cells.map(c => c.style.width)).toEqual([
      '120px',
      '125px',
      '150px',
      '250px',
      expect.stringMatching(/^calc\(/),
      '120px',
    ]);
    expect(cells[3].style.whiteSpace).toBe('nowrap');
    expect(cells[4].style.whiteSpace).toBe('pre-wrap');
    for (const i of [0, 1, 2, 5]) {
      const identifier = cells[i].querySelector('span[title]') as HTMLElement;
      expect(identifier.style.whiteSpace).toBe('normal');
      expect(identifier.style.overflowWrap).toBe('');
      expect(identifier.style.wordBreak).toBe('');
    }
    // declared in: the file name, the full path on hover
    expect(cells[5].textContent).toBe('orders-api.yaml');
    expect(cells[5].querySelector('span')).toHaveAttribute(
      'title',
      'environments/dev/infrastructure/orders-api.yaml',
    );

    // side panel: conditions, external name, provider config, composition, events, redacted YAML
    fireEvent.click(
      screen.getByTestId('crossplane-node-Instance-orders-db-hk2x9'),
    );
    const panel = await screen.findByRole('dialog', {
      name: 'Instance orders-db-hk2x9',
    });
    expect(within(panel).getByText('dev-orders-db')).toBeInTheDocument();
    expect(
      within(panel).getByText(/ClusterProviderConfig\/default/),
    ).toBeInTheDocument();
    expect(within(panel).getByText('Creating')).toBeInTheDocument();
    // reasons are single tokens: never broken across lines
    expect(
      within(panel).getByText('Creating').closest('td')!.style.whiteSpace,
    ).toBe('nowrap');
    expect(within(panel).getByText(/dev\/orders-db-conn/)).toBeInTheDocument();
    expect(
      await within(panel).findByText('CannotObserveExternalResource'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(panel.textContent).toContain('password: <redacted>'),
    );
    expect(panel.textContent).not.toContain('hunter2');
    // the YAML of the opened node only, fetched when the panel opened
    expect(yamlRequests).toEqual([
      resources.clusters[0].nodes.find(n => n.name === 'orders-db-hk2x9')!.id,
    ]);
  });

  it('says so instead of fetching YAML when the caller may not view it', async () => {
    const yamlRequests: string[] = [];
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json({ ...resources, yamlAllowed: false }),
      ),
      http.get(`${BASE}/entity/Resource/default/dev/events`, () =>
        HttpResponse.json(events),
      ),
      http.get(`${BASE}/entity/Resource/default/dev/yaml`, ({ request }) => {
        yamlRequests.push(request.url);
        return HttpResponse.json({}, { status: 403 });
      }),
    );
    await renderWithApis(<CrossplaneResourcesContent />);
    fireEvent.click(
      await screen.findByTestId('crossplane-node-Instance-orders-db-hk2x9'),
    );
    const panel = await screen.findByRole('dialog', {
      name: 'Instance orders-db-hk2x9',
    });
    expect(
      within(panel).getByText(
        'You are not allowed to view the YAML of these resources.',
      ),
    ).toBeInTheDocument();
    expect(yamlRequests).toEqual([]);
  });

  it('switches to the table view', async () => {
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json(resources),
      ),
    );
    await renderWithApis(<CrossplaneResourcesContent />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Table' }));
    expect(await screen.findByText('orders-db-sng7q')).toBeInTheDocument();
    expect(
      screen.getAllByText(/The cluster does not serve Key/).length,
    ).toBeGreaterThan(0);
  });

  it('shows a clear error for an unreachable cluster and still the desired side', async () => {
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json({
          ...resources,
          sandbox: false,
          clusters: [
            {
              cluster: 'prod',
              error: {
                name: 'ServiceUnavailableError',
                message:
                  "Cannot reach Kubernetes cluster 'prod' at https://k8s.example: connect ECONNREFUSED",
              },
              nodes: [],
              edges: [],
              roots: [],
              requestCount: 0,
            },
          ],
          comparison: resources.comparison
            .filter(c => c.status !== 'not-declared')
            .map(c => ({
              ...c,
              status: 'unknown',
              message: 'Cluster unreachable',
            })),
        }),
      ),
    );
    await renderWithApis(<CrossplaneResourcesContent />);
    expect(
      await screen.findByText(
        /Cannot read Crossplane resources from cluster prod/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('crossplane-sandbox-banner'),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText('Declared (live state unknown)')).toHaveLength(
      5,
    );
  });

  it('labels the desired-only view when no cluster is configured', async () => {
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json({
          ...resources,
          liveAvailable: false,
          clusters: [],
          comparison: [],
        }),
      ),
    );
    await renderWithApis(<CrossplaneResourcesContent />);
    expect(
      await screen.findByText(
        /Desired state only: no Kubernetes cluster is configured/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error when not permitted', async () => {
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message:
                'Not allowed to read Crossplane resources of resource:default/dev',
            },
          },
          { status: 403 },
        ),
      ),
    );
    await renderWithApis(<CrossplaneResourcesContent />);
    expect(
      (await screen.findAllByText(/Not allowed to read Crossplane resources/))
        .length,
    ).toBeGreaterThan(0);
  });
});

describe('CrossplaneResourcesContent without a registered API', () => {
  it('talks to the backend itself when the app registered no crossplane API, and can hide desired vs live', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () => {
        calls++;
        return HttpResponse.json(resources);
      }),
    );
    const discoveryApi = { getBaseUrl: async () => BASE };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, discoveryApi],
          [fetchApiRef, new MockFetchApi()],
        ]}
      >
        <EntityProvider entity={entity}>
          <CrossplaneResourcesContent hideDesiredVsLive />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByTestId('crossplane-node-Database-orders-db'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Desired \(Git\) vs live/)).toBeNull();
    expect(calls).toBe(1);
  });
});

describe('CrossplaneOverviewCard', () => {
  it('lists one line per declared resource with the first failing condition', async () => {
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json(resources),
      ),
    );
    await renderWithApis(<CrossplaneOverviewCard />);
    expect(
      await screen.findByText('Cloud resources (Crossplane)'),
    ).toBeInTheDocument();
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(6);
    const assets = items.find(i =>
      i.textContent?.includes('storefront-assets'),
    )!;
    expect(assets).toHaveTextContent('Not ready');
    expect(assets).toHaveTextContent(
      'Synced=False (ReconcileError): cannot compose resources',
    );
    const cache = items.find(i => i.textContent?.includes('orders-cache'))!;
    expect(cache).toHaveTextContent('Ready');
    expect(
      screen.getByText('Sandbox data (fake Kubernetes API)'),
    ).toBeInTheDocument();
  });
});

/**
 * The backend's answer for fake-kubernetes' realWorldObjects (recorded MRs
 * in failing, creating, paused and deleting states, a composed Secret,
 * providers, no desired state): `__fixtures__/realWorldResources.json`.
 */
describe('real-world states', () => {
  const realWorld =
    realWorldResources as unknown as CrossplaneResourcesResponse;
  const nodeNamed = (name: string) =>
    realWorld.clusters[0].nodes.find(n => n.name === name)!;

  function serve(body: CrossplaneResourcesResponse, requests: string[] = []) {
    server.use(
      http.get(`${BASE}/entity/Resource/default/dev/resources`, () =>
        HttpResponse.json(body),
      ),
      http.get(`${BASE}/entity/Resource/default/dev/events`, ({ request }) => {
        requests.push(
          `events ${new URL(request.url).searchParams.get('node')}`,
        );
        return HttpResponse.json({ events: [], errors: [] });
      }),
      http.get(`${BASE}/entity/Resource/default/dev/yaml`, ({ request }) => {
        const node = new URL(request.url).searchParams.get('node')!;
        requests.push(`yaml ${node}`);
        return HttpResponse.json({ nodeId: node, yaml: 'kind: X\n' });
      }),
    );
  }

  it('shows each unhealthy node with its state and reason in the graph, healthy ones without', async () => {
    serve(realWorld);
    await renderWithApis(<CrossplaneResourcesContent hideDesiredVsLive />);
    const reason = async (kind: string, name: string) => {
      const node = await screen.findByTestId(`crossplane-node-${kind}-${name}`);
      return node.querySelector('[data-testid="crossplane-node-reason"]')
        ?.textContent;
    };
    expect(await reason('ResourceGroup', 'orders-rg-creating')).toBe(
      'Progressing · Creating',
    );
    expect(await reason('ResourceGroup', 'orders-rg-paused')).toBe(
      'Paused · ReconcilePaused',
    );
    expect(await reason('ResourceGroup', 'orders-rg-deleting')).toBe(
      'Deleting',
    );
    expect(await reason('ResourceGroup', 'orders-rg')).toBe(
      'Failing · ReconcileError',
    );
    expect(await reason('ClusterProviderConfig', 'team-b')).toBe(
      'Failing · NotFound',
    );
    expect(await reason('ResourceGroup', 'platform-rg')).toBeUndefined();
    expect(
      await screen.findByTestId(
        'crossplane-node-Provider-upbound-provider-family-azure',
      ),
    ).toHaveTextContent('Provider · provider');
    expect(
      screen.getByTestId('crossplane-node-Secret-orders-db-connection'),
    ).toHaveTextContent('Secret · secret (not read)');
  });

  it('shows state and reason in the table, and long messages with their line breaks', async () => {
    const multiLine = structuredClone(realWorld);
    const rg = multiLine.clusters[0].nodes.find(n => n.name === 'orders-rg')!;
    rg.status.message =
      'Synced=False (ReconcileError): cannot apply composed resource:\nline two of the error';
    serve(multiLine);
    await renderWithApis(<CrossplaneResourcesContent hideDesiredVsLive />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Table' }));
    const row = (name: string) =>
      screen.getAllByText(name, { selector: 'td span' })[0].closest('tr')!;
    expect(row('orders-rg-paused')).toHaveTextContent(
      'Paused · ReconcilePaused',
    );
    expect(row('orders-rg-deleting')).toHaveTextContent('Deleting');
    expect(row('orders-rg-creating')).toHaveTextContent(
      'Progressing · Creating',
    );
    expect(row('upbound-provider-family-azure')).toHaveTextContent(
      'Healthy · HealthyPackageRevision',
    );
    const message = within(row('orders-rg')).getByText(/line two/);
    expect(message.textContent).toContain('resource:\nline two');
    expect(message.style.whiteSpace).toBe('pre-wrap');
    expect(message.style.wordBreak).toBe('normal');
    // Message takes what the fixed columns leave
    expect(message.style.width).toMatch(/^calc\(/);
    expect(message.closest('table')!.style.tableLayout).toBe('fixed');
    // the state on one line, the full text a hover away
    const paused = within(row('orders-rg-paused')).getByTitle(
      'Paused · ReconcilePaused',
    );
    expect(paused.closest('td')!.style.whiteSpace).toBe('nowrap');
    // a long dotted token wraps at its dots, not mid-word
    const teamB = within(row('orders-rg-team-b')).getByText(/upbound/);
    expect(teamB.innerHTML).toContain('ClusterProviderConfig.<wbr>azure.');
    // kinds wrap between the words of their CamelCase name, with the role
    // below; long names at their hyphens
    const revision = row('crossplane-contrib-provider-kubernetes-a1b2c3d4e5f6');
    expect(revision.querySelector('td')!.innerHTML).toContain(
      'Provider<wbr>Revision',
    );
    expect(revision.querySelector('td')).toHaveTextContent(
      'ProviderRevisionpackage revision',
    );
  });

  it('opens a node for its own YAML and events only; a Secret is never fetched', async () => {
    const requests: string[] = [];
    serve(realWorld, requests);
    await renderWithApis(<CrossplaneResourcesContent hideDesiredVsLive />);
    fireEvent.click(
      await screen.findByTestId(
        'crossplane-node-ResourceGroup-orders-rg-paused',
      ),
    );
    const panel = await screen.findByRole('dialog', {
      name: 'ResourceGroup orders-rg-paused',
    });
    expect(
      within(panel).getByTestId('crossplane-node-status-message'),
    ).toHaveTextContent('Reconciliation is paused via the pause annotation');
    await waitFor(() => expect(requests).toHaveLength(2));
    const id = nodeNamed('orders-rg-paused').id;
    expect(requests.sort()).toEqual([`events ${id}`, `yaml ${id}`]);

    fireEvent.click(within(panel).getByRole('button', { name: 'Close' }));
    requests.length = 0;
    fireEvent.click(
      screen.getByTestId('crossplane-node-Secret-orders-db-connection'),
    );
    const secret = await screen.findByRole('dialog', {
      name: 'Secret orders-db-connection',
    });
    expect(secret).toHaveTextContent('never read');
    expect(requests).toEqual([]);
  });

  it('says "desired state unavailable" on the card instead of "no longer declared"', async () => {
    serve(realWorld);
    await renderWithApis(<CrossplaneOverviewCard />);
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(3);
    for (const item of items) {
      expect(item).toHaveTextContent('Desired state unavailable');
      expect(item).not.toHaveTextContent('no longer declared');
    }
    const orders = items.find(i => i.textContent?.includes('orders-db'))!;
    expect(orders).toHaveTextContent('live progressing · creating');
  });

  it('shows a creating, paused or deleting declared resource as such on the card, with its reason', async () => {
    const declared = structuredClone(realWorld);
    const entry = (name: string, state: any, reason: string) => ({
      kind: 'ResourceGroup',
      name,
      status: 'failing' as const,
      state,
      reason,
      message: nodeNamed(name).status.message,
      desired: {
        apiVersion: 'azure.m.upbound.io/v1beta1',
        kind: 'ResourceGroup',
        name,
        path: `environments/shop/${name}.yaml`,
      },
    });
    declared.comparison = [
      entry('orders-rg-creating', 'progressing', 'Creating'),
      entry('orders-rg-paused', 'paused', 'ReconcilePaused'),
      entry('orders-rg-deleting', 'deleting', 'Deleting'),
      entry('orders-rg', 'failing', 'ReconcileError'),
    ];
    serve(declared);
    await renderWithApis(<CrossplaneOverviewCard />);
    const items = await screen.findAllByRole('listitem');
    const text = (name: string) =>
      items.find(i => i.textContent?.includes(`${name} `))!.textContent;
    expect(text('orders-rg-creating')).toContain('Progressing · Creating');
    expect(text('orders-rg-paused')).toContain('Paused · ReconcilePaused');
    expect(text('orders-rg-paused')).toContain(
      'Reconciliation is paused via the pause annotation',
    );
    expect(text('orders-rg-deleting')).toContain('Deleting');
    expect(text('orders-rg')).toContain('Failing · ReconcileError');
    expect(screen.queryByText(/Not ready/)).toBeNull();
  });
});

describe('CrossplaneGraph at 50+ nodes', () => {
  let original: unknown;
  beforeEach(() => {
    original = (window.SVGElement.prototype as any).getBBox;
    // text: 7px per character; a node: the size of its box
    (window.SVGElement.prototype as any).getBBox = function getBBox(
      this: SVGElement,
    ) {
      if (this.tagName === 'text') {
        return {
          x: 0,
          y: 0,
          width: (this.textContent ?? '').length * 7,
          height: 16,
        };
      }
      const rect = this.querySelector('rect');
      return {
        x: 0,
        y: 0,
        width: Number(rect?.getAttribute('width') ?? 0),
        height: Number(rect?.getAttribute('height') ?? 0),
      };
    };
  });
  afterEach(() => {
    (window.SVGElement.prototype as any).getBBox = original;
  });

  /** 3 XRs composing 54 MRs in every state, their ProviderConfig, provider and revision. */
  function bigTree(): CrossplaneClusterResult {
    const base = (realWorldResources as unknown as CrossplaneResourcesResponse)
      .clusters[0];
    const template = (name: string) => base.nodes.find(n => n.name === name)!;
    const states = [
      'orders-rg',
      'orders-rg-creating',
      'orders-rg-paused',
      'orders-rg-deleting',
      'platform-rg',
      'platform-rg',
    ];
    const config = template('default');
    const provider = template('upbound-provider-family-azure');
    const revision = base.nodes.find(n => n.role === 'package-revision')!;
    const nodes: CrossplaneNode[] = [config, provider, revision];
    const edges = [
      { from: config.id, to: provider.id },
      { from: provider.id, to: revision.id },
    ];
    const roots: string[] = [];
    for (const xr of ['alpha', 'beta', 'gamma']) {
      const root = {
        ...template('orders-db'),
        id: `xr-${xr}`,
        name: `${xr}-db`,
      };
      nodes.push(root);
      roots.push(root.id);
      for (let i = 0; i < 18; i++) {
        const mr = {
          ...template(states[i % states.length]),
          id: `mr-${xr}-${i}`,
          name: `${xr}-rg-${i}`,
        };
        nodes.push(mr);
        edges.push(
          { from: root.id, to: mr.id },
          { from: mr.id, to: config.id },
        );
      }
    }
    return { cluster: 'prod', nodes, edges, roots, requestCount: 0 };
  }

  /** Points along an SVG path of lines and cubic curves (d3's output). */
  function pathPoints(d: string): { x: number; y: number }[] {
    const nums = (d.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
    const pts: { x: number; y: number }[] = [];
    for (let i = 0; i + 1 < nums.length; i += 2) {
      pts.push({ x: nums[i], y: nums[i + 1] });
    }
    const out = [pts[0]];
    const cubic = d.includes('C');
    for (let i = 1; i < pts.length; i += cubic ? 3 : 1) {
      const p0 = out[out.length - 1];
      if (!cubic) {
        out.push(pts[i]);
        continue;
      }
      const [c1, c2, p1] = [pts[i], pts[i + 1], pts[i + 2]];
      if (!p1) break;
      for (const t of [0.25, 0.5, 0.75, 1]) {
        const u = 1 - t;
        out.push({
          x:
            u ** 3 * p0.x +
            3 * u * u * t * c1.x +
            3 * u * t * t * c2.x +
            t ** 3 * p1.x,
          y:
            u ** 3 * p0.y +
            3 * u * u * t * c1.y +
            3 * u * t * t * c2.y +
            t ** 3 * p1.y,
        });
      }
    }
    return out;
  }

  it('lays out 60 nodes in layers: no overlap, no edge under another node, the reason on every unhealthy node', async () => {
    const result = bigTree();
    expect(result.nodes.length).toBeGreaterThanOrEqual(60);
    await renderInTestApp(
      <CrossplaneGraph result={result} onSelect={() => {}} />,
    );
    await screen.findByTestId('crossplane-node-ResourceGroup-gamma-rg-17');
    await waitFor(() =>
      expect(
        document.querySelectorAll('[data-testid^="crossplane-node-"] > rect'),
      ).toHaveLength(result.nodes.length),
    );
    // the graph is laid out in passes (text measured, then laid out): the
    // settled layout is checked, however long a loaded machine takes
    await waitFor(
      () => {
        // boxes in graph coordinates, from the layout's translate()
        const boxes = new Map<
          string,
          { x: number; y: number; w: number; h: number }
        >();
        for (const n of result.nodes) {
          const g = screen.getByTestId(`crossplane-node-${n.kind}-${n.name}`);
          const m = g
            .parentElement!.getAttribute('transform')!
            .match(/translate\((-?[\d.]+),\s*(-?[\d.]+)\)/)!;
          const rect = g.querySelector('rect')!;
          boxes.set(n.id, {
            x: Number(m[1]),
            y: Number(m[2]),
            w: Number(rect.getAttribute('width')),
            h: Number(rect.getAttribute('height')),
          });
        }
        const all = [...boxes.entries()];
        for (const [i, [, a]] of all.entries()) {
          for (const [, b] of all.slice(i + 1)) {
            const apart =
              a.x + a.w <= b.x ||
              b.x + b.w <= a.x ||
              a.y + a.h <= b.y ||
              b.y + b.h <= a.y;
            expect(apart).toBe(true);
          }
        }
        const paths = Array.from(
          document.querySelectorAll('#dependency-graph path[d^="M"]'),
        ).filter(p => !p.closest('marker'));
        expect(paths).toHaveLength(result.edges.length);
        const inside = (p: { x: number; y: number }, b: (typeof all)[0][1]) =>
          p.x > b.x + 1 &&
          p.x < b.x + b.w - 1 &&
          p.y > b.y + 1 &&
          p.y < b.y + b.h - 1;
        const onBorder = (p: { x: number; y: number }, b: (typeof all)[0][1]) =>
          p.x >= b.x - 2 &&
          p.x <= b.x + b.w + 2 &&
          p.y >= b.y - 2 &&
          p.y <= b.y + b.h + 2 &&
          !inside(p, b);
        for (const path of paths) {
          const points = pathPoints(path.getAttribute('d')!);
          // edges and boxes share one coordinate space: each edge starts and
          // ends on the border of a box
          expect(points.length).toBeGreaterThanOrEqual(5);
          for (const end of [points[0], points[points.length - 1]]) {
            expect(all.some(([, b]) => onBorder(end, b))).toBe(true);
          }
          // and passes through no box, its own or another
          const crossed = all.filter(([, b]) => points.some(p => inside(p, b)));
          expect(crossed.map(([id]) => id)).toEqual([]);
        }
      },
      { timeout: 15_000 },
    );
    // every unhealthy node says why, without a click; healthy ones do not
    const reasons = result.nodes.map(n => [
      n.status.health,
      screen
        .getByTestId(`crossplane-node-${n.kind}-${n.name}`)
        .querySelector('[data-testid="crossplane-node-reason"]')?.textContent,
    ]);
    expect(reasons.filter(([h]) => h === 'healthy').map(([, r]) => r)).toEqual(
      reasons.filter(([h]) => h === 'healthy').map(() => undefined),
    );
    for (const [health, reason] of reasons.filter(([h]) => h !== 'healthy')) {
      expect(reason).toMatch(
        new RegExp(`^${HEALTH_LABELS[health as CrossplaneHealth]}`),
      );
    }
  });
});
