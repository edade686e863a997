import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { AgentActionDeps } from './proposeChange';
import { registerCreateEnvironmentAction } from './createEnvironmentAction';
import { registerAddResourceAction } from './addResourceAction';
import { registerPromoteEnvironmentAction } from './promoteEnvironmentAction';
import { registerDecommissionEnvironmentAction } from './decommissionEnvironmentAction';

export type { AgentActionDeps } from './proposeChange';

/**
 * Registers the environment changes with the actions registry (served to
 * agents over MCP by the mcp-actions plugin): create-environment,
 * add-environment-resource, promote-environment and
 * decommission-environment.
 */
export function registerEnvironmentChangeActions(
  registry: ActionsRegistryService,
  deps: AgentActionDeps,
) {
  registerCreateEnvironmentAction(registry, deps);
  registerAddResourceAction(registry, deps);
  registerPromoteEnvironmentAction(registry, deps);
  registerDecommissionEnvironmentAction(registry, deps);
}
