import plugin from './alpha';

describe('environments frontend plugin (new frontend system)', () => {
  it('provides the API, the Environments page and four environment tabs', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.pluginId).toBe('environments');
    const ids = [
      'api:environments',
      'page:environments',
      'entity-content:environments/overview',
      'entity-content:environments/deployments',
      'entity-content:environments/infrastructure',
      'entity-content:environments/lifecycle',
    ];
    for (const id of ids) {
      expect((plugin as any).getExtension(id)).toBeDefined();
    }
  });
});
