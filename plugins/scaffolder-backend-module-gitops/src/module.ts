import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { environmentPermissions } from '@epicshelter/plugin-gitops-common';
import {
  GitOpsPublisher,
  gitopsPublishersExtensionPoint,
  gitopsRepositoryServiceRef,
} from '@epicshelter/plugin-gitops-node';
import { createGitOpsPublishAction, gitOpsPublishers } from './actions/publish';
import { systemClock } from './actions/expiry';
import { registerEnvironmentChangeActions } from './agentActions';
import { createEnvironmentCreateAction } from './actions/createEnvironment';
import { createEnvironmentAddResourceAction } from './actions/addResource';
import { createEnvironmentPromoteAction } from './actions/promote';
import { createEnvironmentExtendAction } from './actions/extend';
import { createEnvironmentDecommissionAction } from './actions/decommission';
import { EnvironmentsBackendProtectionCheck } from './actions/decommissionProtection';
import { createGitOpsValidateAction } from './actions/validate';
import { createBlueprintFetchAction } from './actions/fetchBlueprint';
import { RepositoryAccess } from './repository';
import { loadDefaultBlueprint } from './blueprint';
import { PermissionEnvironmentAuthorizer } from './authorization/EnvironmentAuthorizer';

/**
 * Scaffolder module with the Epicshelter GitOps actions:
 * `epicshelter:environment:create`, `epicshelter:environment:add-resource`,
 * `epicshelter:environment:promote`, `epicshelter:environment:extend`,
 * `epicshelter:environment:decommission`,
 * `epicshelter:gitops:validate`, `epicshelter:gitops:publish` and
 * `epicshelter:blueprint:fetch`. It provides
 * `gitopsPublishersExtensionPoint`: publishers other modules add are asked
 * before the built-in local git, GitHub and GitLab publishers.
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'epicshelter-gitops',
  register(env) {
    const publishers: GitOpsPublisher[] = [];
    env.registerExtensionPoint(gitopsPublishersExtensionPoint, {
      addPublishers(...added) {
        publishers.push(...added);
      },
    });
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        repositories: gitopsRepositoryServiceRef,
        events: eventsServiceRef,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({
        scaffolder,
        config,
        repositories,
        events,
        permissions,
        permissionsRegistry,
        catalog,
        actionsRegistry,
        auditor,
        discovery,
        auth,
      }) {
        permissionsRegistry.addPermissions(environmentPermissions);
        const authorizer = new PermissionEnvironmentAuthorizer({
          permissions,
          catalog,
        });
        const integrations = ScmIntegrations.fromConfig(config);
        const protection = new EnvironmentsBackendProtectionCheck({
          discovery,
          auth,
        });
        const loadBlueprint = () => loadDefaultBlueprint();
        const access: RepositoryAccess = {
          config,
          integrations,
          repositories,
          loadBlueprint,
        };
        const publishOptions = {
          integrations,
          config,
          // One provider for every task, so GitHub App installation
          // tokens are cached across tasks instead of fetched per publish.
          githubCredentialsProvider:
            DefaultGithubCredentialsProvider.fromIntegrations(integrations),
          loadBlueprint: access.loadBlueprint,
          events,
          publishers,
        };
        scaffolder.addActions(
          createEnvironmentCreateAction({ ...access, authorizer }),
          createEnvironmentAddResourceAction({ ...access, authorizer }),
          createEnvironmentPromoteAction({ ...access, authorizer }),
          createEnvironmentExtendAction({ ...access, authorizer }),
          createEnvironmentDecommissionAction({
            ...access,
            authorizer,
            auditor,
            protection,
          }),
          createGitOpsValidateAction(access),
          createBlueprintFetchAction({ loadBlueprint }),
          createGitOpsPublishAction(publishOptions),
        );
        // create-environment, add-environment-resource and
        // promote-environment for agents (actions registry, MCP): the same
        // planning, authorization, validation and publishers.
        registerEnvironmentChangeActions(actionsRegistry, {
          access,
          authorizer,
          catalog,
          auditor,
          clock: systemClock,
          protection,
          publish: {
            config,
            integrations,
            publishers: gitOpsPublishers(publishOptions),
            events,
          },
        });
      },
    });
  },
});
