import { expect, Locator, Page, test } from '@playwright/test';
import { keepScreenshot, signInAsGuest } from './helpers';

/**
 * An environment's catalog graph reads well: the seeded staging environment
 * with its owner, its System, the resources it declares and the components
 * it deploys (which use them), each once, no two boxes overlapping, every
 * label whole inside its box and the boxes inside the drawing. Checked on
 * the environment's Overview card and on the catalog graph page it links to.
 */

const ENV = 'staging';

/** The catalog entities of the seeded staging (examples/gitops/staging.yaml). */
const EXPECTED = [
  'resource:default/staging',
  'group:default/platform-team',
  'system:default/environments',
  'resource:default/staging-orders-db',
  'resource:default/staging-storefront-assets',
  'resource:default/staging-kubernetes-cluster',
  'component:default/orders-api',
  'component:default/storefront',
];

type Box = { x: number; y: number; width: number; height: number };
type DrawnNode = { ref: string; box: Box; label: Box; text: string };

const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width &&
  b.x < a.x + a.width &&
  a.y < b.y + b.height &&
  b.y < a.y + a.height;

/** Whether `inner` lies within `outer` (1 px of rounding allowed). */
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 1 &&
  inner.y >= outer.y - 1 &&
  inner.x + inner.width <= outer.x + outer.width + 1 &&
  inner.y + inner.height <= outer.y + outer.height + 1;

/** The nodes of a drawn dependency graph as the browser lays them out. */
async function drawnNodes(graph: Locator): Promise<DrawnNode[]> {
  return graph.locator('[data-testid="node"]').evaluateAll(nodes =>
    nodes.map(node => {
      const rect = node.querySelector('rect')!.getBoundingClientRect();
      const text = node.querySelector('text')!;
      const label = text.getBoundingClientRect();
      const box = (r: DOMRect) => ({
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
      });
      return {
        ref: node.querySelector('title')?.textContent ?? '',
        box: box(rect),
        label: box(label),
        text: text.textContent ?? '',
      };
    }),
  );
}

/** Asserts the environment's graph in `graph`: its nodes, and that it reads. */
async function expectReadableEnvironmentGraph(page: Page, graph: Locator) {
  await expect(graph.locator('[data-testid="node"]')).toHaveCount(
    EXPECTED.length,
    { timeout: 30_000 },
  );
  // the layout settles after the labels are measured
  await page.waitForTimeout(1_000);
  const nodes = await drawnNodes(graph);
  expect(nodes.map(n => n.ref).sort()).toEqual([...EXPECTED].sort());

  // what is visible of the drawing: the svg within its (overflow hidden) box
  const drawing = await graph.evaluate(svg => {
    const a = svg.getBoundingClientRect();
    const b = svg.parentElement!.getBoundingClientRect();
    const x = Math.max(a.left, b.left);
    const y = Math.max(a.top, b.top);
    return {
      x,
      y,
      width: Math.min(a.right, b.right) - x,
      height: Math.min(a.bottom, b.bottom) - y,
    };
  });
  for (const node of nodes) {
    expect(node.text.trim(), `${node.ref} has a label`).not.toBe('');
    expect(
      inside(node.label, node.box),
      `the label of ${node.ref} lies whole inside its box`,
    ).toBe(true);
    expect(
      inside(node.box, drawing),
      `the box of ${node.ref} lies inside the drawing`,
    ).toBe(true);
    expect(
      node.label.height,
      `the label of ${node.ref} is not scaled down to unreadable`,
    ).toBeGreaterThanOrEqual(10);
  }
  // the relation labels on the edges cover no box either
  const edgeLabels = await graph
    .locator('[data-testid="label"]')
    .evaluateAll(labels =>
      labels.map(label => {
        const r = label.getBoundingClientRect();
        return {
          text: label.textContent ?? '',
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
        };
      }),
    );
  expect(edgeLabels.length).toBeGreaterThan(0);
  for (const label of edgeLabels) {
    for (const node of nodes) {
      expect(
        overlaps(label.box, node.box),
        `the edge label "${label.text}" does not cover the box of ${node.ref}`,
      ).toBe(false);
    }
  }
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      expect(
        overlaps(a.box, b.box),
        `the boxes of ${a.ref} and ${b.ref} do not overlap`,
      ).toBe(false);
    }
  }
}

test("an environment's catalog graph shows its owner, System, resources and the components using them, without overlaps or clipped labels", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInAsGuest(page);

  // The card on the environment's Overview; catalog-graph's own card is
  // not shown as well.
  await page.goto(`/catalog/default/resource/${ENV}`);
  await expect(
    page.getByText('Environment graph', { exact: true }),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Relations', { exact: true })).toHaveCount(0);
  const cardGraph = page.locator('svg#dependency-graph');
  await expect(cardGraph).toHaveCount(1);
  await cardGraph.scrollIntoViewIfNeeded();
  await expectReadableEnvironmentGraph(page, cardGraph);
  await keepScreenshot(page, 'graph-environment-card');

  // The catalog graph page it links to, rooted at the environment.
  await page.getByRole('link', { name: 'View graph' }).click();
  await expect(page).toHaveURL(/\/catalog-graph\?/);
  const pageGraph = page.locator('svg#dependency-graph').first();
  await expectReadableEnvironmentGraph(page, pageGraph);
  await keepScreenshot(page, 'graph-environment-page');
});
