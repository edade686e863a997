import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EnvironmentService } from '../services/EnvironmentService';
import { registerListEnvironmentsAction } from './listEnvironmentsAction';
import { registerEnvironmentStatusAction } from './environmentStatusAction';

/**
 * Registers the read-only environment actions with the actions registry
 * (served to agents over MCP): list-environments and get-environment-status.
 */
export function registerEnvironmentActions(
  registry: ActionsRegistryService,
  deps: { catalog: CatalogService; service: EnvironmentService },
) {
  registerListEnvironmentsAction(registry, deps);
  registerEnvironmentStatusAction(registry, deps);
}
