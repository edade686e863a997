import plugin from './alpha';

describe('environments frontend plugin (new frontend system)', () => {
  it('provides the API, the Environments page, four environment tabs, the status and workloads cards, the environment page header and the workloads and GitOps repository form fields', () => {
    expect(plugin.$$type).toBe('@backstage/FrontendPlugin');
    expect(plugin.pluginId).toBe('environments');
    const ids = [
      'api:environments',
      'page:environments',
      'entity-content:environments/overview',
      'entity-content:environments/deployments',
      'entity-content:environments/infrastructure',
      'entity-content:environments/lifecycle',
      'entity-card:environments/status',
      'entity-card:environments/workloads',
      'entity-header-layout:environments/environment',
      'scaffolder-form-field:environments/environment-workloads-picker',
      'scaffolder-form-field:environments/gitops-repository-picker',
    ];
    for (const id of ids) {
      expect((plugin as any).getExtension(id)).toBeDefined();
    }
  });
});
