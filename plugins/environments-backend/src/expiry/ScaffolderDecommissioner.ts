import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** Starts the decommission of an expired environment. @public */
export interface ExpiredEnvironmentDecommissioner {
  /** Starts it and says where it can be followed. */
  decommission(environment: string): Promise<{ taskId: string; url: string }>;
}

/** The template run for an expired environment unless configured otherwise. @public */
export const DEFAULT_DECOMMISSION_TEMPLATE =
  'template:default/decommission-environment';

/**
 * Starts the decommission template through the scaffolder's REST API, as the
 * environments plugin (a service principal), confirming with the
 * environment's name; the template's action opens the one change that
 * removes the environment, on the same publish path as every other change.
 * @public
 */
export class ScaffolderDecommissioner
  implements ExpiredEnvironmentDecommissioner
{
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      templateRef?: string;
      fetch?: typeof fetch;
    },
  ) {}

  async decommission(
    environment: string,
  ): Promise<{ taskId: string; url: string }> {
    const { discovery, auth } = this.deps;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const base = await discovery.getBaseUrl('scaffolder');
    const response = await (this.deps.fetch ?? fetch)(`${base}/v2/tasks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        templateRef: this.deps.templateRef ?? DEFAULT_DECOMMISSION_TEMPLATE,
        values: {
          environment: `resource:default/${environment}`,
          previewOnly: false,
          confirmation: environment,
        },
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const { id } = (await response.json()) as { id: string };
    return { taskId: id, url: `/create/tasks/${id}` };
  }
}
