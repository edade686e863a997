import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import type { CrossplaneResourcesResponse } from '@epicshelter/plugin-crossplane-common';
import realWorldResources from '../__fixtures__/realWorldResources.json';
import { CrossplaneGraph } from './CrossplaneGraph';
import { nodeBadges } from './status';

/** The backend's answer for fake-kubernetes' real-world scenario. */
const cluster = (realWorldResources as unknown as CrossplaneResourcesResponse)
  .clusters[0];
const node = (role: string, name: string) =>
  cluster.nodes.find(n => n.role === role && n.name === name)!;

describe('nodeBadges', () => {
  it('shows the conditions Crossplane writes for each kind, and none where it writes none', () => {
    expect(nodeBadges(node('managed', 'orders-rg-paused'))).toEqual([
      { label: 'Ready', value: 'True' },
      { label: 'Synced', value: 'False' },
    ]);
    expect(
      nodeBadges(node('provider', 'upbound-provider-family-azure')),
    ).toEqual([
      { label: 'Installed', value: 'True' },
      { label: 'Healthy', value: 'True' },
    ]);
    expect(
      nodeBadges(
        node('package-revision', 'upbound-provider-family-azure-a1b2c3d4e5f6'),
      ),
    ).toEqual([{ label: 'Healthy', value: 'True' }]);
    expect(nodeBadges(node('provider-config', 'default'))).toEqual([]);
    expect(nodeBadges(node('missing', 'team-b'))).toEqual([]);
  });

  describe('in the graph', () => {
    let original: unknown;
    beforeEach(() => {
      original = (window.SVGElement.prototype as any).getBBox;
      // jsdom has no layout: text 8px per character, a node 240 x 66
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

    it('labels graph nodes with them: a healthy provider never reads "Ready Unknown"', async () => {
      await renderInTestApp(
        <CrossplaneGraph result={cluster} onSelect={() => {}} />,
      );
      const provider = await screen.findByTestId(
        'crossplane-node-Provider-upbound-provider-family-azure',
      );
      expect(provider).toHaveTextContent('Installed True');
      expect(provider).toHaveTextContent('Healthy True');
      expect(provider).not.toHaveTextContent('Unknown');
      expect(provider.getAttribute('aria-label')).toBe(
        'Provider upbound-provider-family-azure Healthy (HealthyPackageRevision) Installed True Healthy True',
      );
      const mr = screen.getByTestId(
        'crossplane-node-ResourceGroup-orders-rg-paused',
      );
      expect(mr.getAttribute('aria-label')).toBe(
        'ResourceGroup orders-rg-paused Paused (ReconcilePaused) Ready True Synced False',
      );
      const [config] = screen
        .getAllByTestId('crossplane-node-ClusterProviderConfig-default')
        .filter(n => n.textContent?.includes('provider config'));
      expect(config).not.toHaveTextContent(/Ready|Synced/);
    });
  });
});
