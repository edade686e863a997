import { expect, Locator, Page, test } from '@playwright/test';
import { keepScreenshot, signInAsGuest } from './helpers';

/**
 * What a platform engineer reads when Argo CD and Crossplane are in trouble
 * (issue #12): a failed multi-source application in a non-default
 * namespace with its ApplicationSet in error, managed resources that are
 * paused, deleting, creating and failing for a missing ProviderConfig, and
 * a Crossplane graph of more than 50 nodes. The objects come from the
 * fakes' `states` scenario (packages/fake-argocd/src/scenarios,
 * packages/fake-kubernetes/src/scenarios) that scripts/e2e.sh starts, the
 * components from examples/states.yaml. Screenshots are kept in
 * .data/e2e-artifacts and the HTML report.
 */

/** The graph node of a Crossplane object (an SVG group with the node's state in its label). */
const graphNode = (page: Page, kind: string, name: string) =>
  page.locator(
    `g[role="button"][data-testid="crossplane-node-${kind}-${name}"]`,
  );

/** Every node of the Crossplane graph. */
const graphNodes = (page: Page) =>
  page.locator('g[role="button"][data-testid^="crossplane-node-"]');

/** The table row of a Crossplane object, found by its name cell. */
const tableRow = (page: Page, name: string): Locator =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name, exact: true }) });

/**
 * Asserts every table on the page fits the viewport: no table scrolls
 * sideways inside its container, no cell ends past the page's right edge,
 * and no kind or name is clipped (they wrap between their words instead).
 */
async function expectTablesFitThePage(page: Page) {
  const layout = await page.evaluate(() => {
    const tables = Array.from(document.querySelectorAll('table'));
    return {
      viewport: document.documentElement.clientWidth,
      containers: tables.map(t => {
        const c = t.parentElement!;
        return { scrollWidth: c.scrollWidth, clientWidth: c.clientWidth };
      }),
      cellsPastTheEdge: tables.flatMap(t =>
        Array.from(t.querySelectorAll('th, td'))
          .filter(
            c =>
              c.getBoundingClientRect().right >
              document.documentElement.clientWidth,
          )
          .map(c => c.textContent),
      ),
      clippedIdentifiers: tables.flatMap(t => {
        const headers = Array.from(t.querySelectorAll('thead th')).map(
          h => h.textContent ?? '',
        );
        const columns = ['Kind', 'Name', 'Resource'].map(h =>
          headers.indexOf(h),
        );
        return Array.from(t.querySelectorAll('tbody tr')).flatMap(row =>
          columns
            .map(i => row.children[i]?.querySelector('span[title]'))
            .filter(
              (span): span is HTMLElement =>
                !!span &&
                (span as HTMLElement).scrollWidth >
                  (span as HTMLElement).clientWidth,
            )
            .map(span => span.textContent),
        );
      }),
    };
  });
  expect(layout.containers.length).toBeGreaterThan(0);
  for (const c of layout.containers) {
    expect(c.scrollWidth).toBeLessThanOrEqual(c.clientWidth);
  }
  expect(layout.cellsPastTheEdge).toEqual([]);
  expect(layout.clippedIdentifiers).toEqual([]);
}

const OPERATION_MESSAGE =
  'one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Required value (retried 2 times).';
const APPSET_ERROR =
  'ApplicationSet checkout-set: ErrorOccurred=True (ApplicationGenerationFromParamsError): failed to execute go template {{.path.basenamee}}';

test.describe('states a platform engineer must be able to read', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });

  test('a failed multi-source Argo CD application in namespace team-a and its ApplicationSet in error', async ({
    page,
  }) => {
    await page.goto('/catalog/default/component/checkout/argocd');
    const app = page.getByTestId('argocd-app-platform-checkout');
    await expect(app).toBeVisible();

    // sync and health, where it lives, and that it never synced successfully
    await expect(app).toContainText('OutOfSync');
    await expect(app).toContainText('Degraded');
    await expect(app).toContainText('platform · namespace team-a');
    await expect(app).toContainText('project team-a');
    await expect(app).toContainText('ApplicationSet checkout-set');
    // the failed operation, who started it and Argo CD's message in full
    await expect(app).toContainText('Last sync failed');
    await expect(app).toContainText('(by grace)');
    await expect(app).toContainText(OPERATION_MESSAGE);
    await expect(app).toContainText(
      'Health: Deployment "checkout" exceeded its progress deadline',
    );
    // every source with its own revision
    await expect(app.getByTestId('argocd-source')).toHaveText([
      '18.1.0 chart nginx of https://charts.bitnami.com/bitnami',
      '9c4e1b7 ref values of https://github.com/acme/checkout-config.git',
      '4b8d2f6 path overlays/prod of https://github.com/acme/checkout-manifests.git',
    ]);
    // the ApplicationSet's error, without expanding anything
    await expect(app.getByTestId('argocd-appset-conditions')).toContainText(
      APPSET_ERROR,
    );
    await expect(app.getByTestId('argocd-appset-conditions')).toContainText(
      'ResourcesUpToDate=False',
    );
    await keepScreenshot(page, 'states-argocd-failing-app');

    // the history shows the revisions of each source per deployment
    await app.getByRole('button', { name: 'History & resources' }).click();
    await expect(page.getByText('History of checkout')).toBeVisible();
    const deployment = page.getByRole('row').filter({ hasText: '18.0.2' });
    await expect(deployment).toContainText('e1d2c3b');
    await expect(deployment).toContainText('0a1b2c3');
    await keepScreenshot(page, 'states-argocd-history');

    // the overview card says the same in brief
    await page.goto('/catalog/default/component/checkout');
    await expect(page.getByText('Last sync failed').first()).toBeVisible();
    await expect(page.getByText(APPSET_ERROR).first()).toBeVisible();
    await expect(
      page.getByText('platform · namespace team-a').first(),
    ).toBeVisible();
    await keepScreenshot(page, 'states-argocd-overview');
  });

  test('paused, deleting, creating and failing managed resources and a missing ProviderConfig', async ({
    page,
  }) => {
    await page.goto('/catalog/default/component/shop-database/crossplane');
    await expect(
      page.getByTestId('crossplane-resources-content'),
    ).toBeVisible();

    // the graph says each state and its reason on the node itself
    const expected: Array<[string, string, string]> = [
      ['ResourceGroup', 'orders-rg-paused', 'Paused (ReconcilePaused)'],
      ['ResourceGroup', 'orders-rg-deleting', 'Deleting (Deleting)'],
      ['ResourceGroup', 'orders-rg-creating', 'Progressing (Creating)'],
      ['ResourceGroup', 'orders-rg-team-b', 'Failing (ReconcileError)'],
      ['ResourceGroup', 'orders-rg', 'Failing (ReconcileError)'],
      ['SQLInstance', 'orders-db', 'Progressing (Creating)'],
    ];
    for (const [kind, name, state] of expected) {
      await expect(graphNode(page, kind, name)).toHaveAttribute(
        'aria-label',
        new RegExp(`^${kind} ${name} ${state.replace(/[()]/g, '\\$&')}`),
      );
    }
    const reasonOf = (kind: string, name: string) =>
      graphNode(page, kind, name).getByTestId('crossplane-node-reason');
    await expect(reasonOf('ResourceGroup', 'orders-rg-paused')).toHaveText(
      'Paused · ReconcilePaused',
    );
    await expect(reasonOf('ResourceGroup', 'orders-rg-deleting')).toHaveText(
      'Deleting',
    );
    await expect(reasonOf('ResourceGroup', 'orders-rg-creating')).toHaveText(
      'Progressing · Creating',
    );
    // the ProviderConfig that is not found is a node of its own
    await expect(
      page.locator(
        'g[role="button"][data-testid$="-team-b"]:not([data-testid*="ResourceGroup"])',
      ),
    ).toHaveCount(1);
    await keepScreenshot(page, 'states-crossplane-graph');

    // the table: state and reason in one column, the full message beside it
    await page.getByRole('tab', { name: 'Table' }).click();
    await expect(tableRow(page, 'orders-rg-paused')).toContainText(
      'Paused · ReconcilePaused',
    );
    await expect(tableRow(page, 'orders-rg-paused')).toContainText(
      'Reconciliation is paused via the pause annotation',
    );
    await expect(tableRow(page, 'orders-rg-deleting')).toContainText(
      'Deleting',
    );
    await expect(tableRow(page, 'orders-rg-creating')).toContainText(
      'Progressing · Creating',
    );
    await expect(tableRow(page, 'orders-rg-team-b')).toContainText(
      'Failing · ReconcileError',
    );
    await expect(tableRow(page, 'orders-rg-team-b')).toContainText(
      'ClusterProviderConfig.azure.m.upbound.io "team-b" not found',
    );
    await expect(tableRow(page, 'team-b')).toContainText(
      "ClusterProviderConfig 'team-b' not found: the managed resources that use it cannot be reconciled",
    );
    // at 1280 px both tables fit the page, long provider revision names
    // and messages included
    expect(page.viewportSize()?.width).toBe(1280);
    await expectTablesFitThePage(page);
    await keepScreenshot(page, 'states-crossplane-table');

    // a node's panel: the paused resource's conditions
    await tableRow(page, 'orders-rg-paused').click();
    const panel = page.getByRole('dialog', {
      name: 'ResourceGroup orders-rg-paused',
    });
    await expect(
      panel.getByRole('heading', { name: 'Conditions' }),
    ).toBeVisible();
    await expect(panel).toContainText('ReconcilePaused');
    await expect(panel).toContainText(
      'Reconciliation is paused via the pause annotation',
    );
    await expect(panel).toContainText('crossplane.io/paused');
    await keepScreenshot(page, 'states-crossplane-paused-panel');
  });

  test('a Crossplane graph of more than 50 nodes is laid out readably, with the reason on every unhealthy node', async ({
    page,
  }) => {
    await page.goto(
      '/catalog/default/component/analytics-warehouse/crossplane',
    );
    await expect(
      page.getByTestId('crossplane-resources-content'),
    ).toBeVisible();
    const nodes = graphNodes(page);
    await expect(graphNode(page, 'SQLInstance', 'analytics-ap')).toBeVisible();
    const count = await nodes.count();
    expect(count).toBeGreaterThanOrEqual(51);
    for (const region of ['eu', 'us', 'ap']) {
      for (let i = 1; i <= 16; i++) {
        await expect(
          graphNode(
            page,
            'ResourceGroup',
            `analytics-${region}-rg-${String(i).padStart(2, '0')}`,
          ),
        ).toHaveCount(1);
      }
    }

    // every unhealthy node says why on its face, no healthy one does
    const labels = await nodes.evaluateAll(els =>
      els.map(el => ({
        label: el.getAttribute('aria-label') ?? '',
        reason:
          el.querySelector('[data-testid="crossplane-node-reason"]')
            ?.textContent ?? null,
      })),
    );
    const unhealthy = labels.filter(
      l => !/^\S+ \S+ Healthy /.test(l.label) && !/^Secret /.test(l.label),
    );
    expect(unhealthy.length).toBeGreaterThanOrEqual(16);
    for (const l of unhealthy) {
      expect(l.reason, l.label).toBeTruthy();
    }
    for (const l of labels.filter(x => /^\S+ \S+ Healthy /.test(x.label))) {
      expect(l.reason, l.label).toBeNull();
    }
    const reasonText = (name: string) =>
      graphNode(page, 'ResourceGroup', name).getByTestId(
        'crossplane-node-reason',
      );
    await expect(reasonText('analytics-eu-rg-03')).toHaveText(
      'Paused · ReconcilePaused',
    );
    await expect(reasonText('analytics-us-rg-04')).toHaveText('Deleting');
    await expect(reasonText('analytics-ap-rg-02')).toHaveText(
      'Progressing · Creating',
    );
    await expect(reasonText('analytics-ap-rg-05')).toContainText('Failing');

    // no two node boxes overlap on the page
    const boxes = await nodes.evaluateAll(els =>
      els.map(el => {
        const r = (
          el.querySelector('rect') as SVGRectElement
        ).getBoundingClientRect();
        return {
          id: el.getAttribute('data-testid'),
          x: r.x,
          y: r.y,
          w: r.width,
          h: r.height,
        };
      }),
    );
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        if (
          a.x < b.x + b.w &&
          b.x < a.x + a.w &&
          a.y < b.y + b.h &&
          b.y < a.y + a.h
        ) {
          overlaps.push(`${a.id} / ${b.id}`);
        }
      }
    }
    expect(overlaps).toEqual([]);
    // the graph takes the height it is drawn at: no empty band below it
    const graph = await page.getByTestId('crossplane-graph').boundingBox();
    const lowest = Math.max(...boxes.map(b => b.y + b.h));
    expect(graph!.y + graph!.height - lowest).toBeLessThan(60);
    await keepScreenshot(page, 'states-crossplane-large-graph');
  });
});
