import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { DecommissionLifecycle } from '@epicshelter/plugin-environments-common';

/** What {@link LiveProtectionCheck.check} found. @public */
export interface LiveProtection {
  /** The live objects carry the protection: the removal may be proposed. */
  live: boolean;
  /** Where the protection stands, in one sentence. */
  message: string;
}

/**
 * Whether the kept (orphaned) resources of an environment carry their
 * protection on the live objects, as the decommission's protect step
 * observes it. The removal that follows a protect step is recorded only
 * when it does.
 * @public
 */
export interface LiveProtectionCheck {
  check(options: {
    environment: string;
    credentials: BackstageCredentials;
  }): Promise<LiveProtection>;
}

/**
 * Asks the environments backend (`GET /environments/:name/decommission`),
 * on behalf of the requester, whether the protect step is done.
 * @public
 */
export class EnvironmentsBackendProtectionCheck implements LiveProtectionCheck {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async check(options: {
    environment: string;
    credentials: BackstageCredentials;
  }): Promise<LiveProtection> {
    const { discovery, auth } = this.deps;
    const base = await discovery.getBaseUrl('environments');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'environments',
    });
    let response: Response;
    try {
      response = await fetch(
        `${base}/environments/${encodeURIComponent(
          options.environment,
        )}/decommission`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
    } catch (e) {
      return {
        live: false,
        message: `the environments backend could not be asked: ${
          (e as Error).message
        }`,
      };
    }
    if (!response.ok) {
      return {
        live: false,
        message: `the environments backend answered ${response.status}`,
      };
    }
    const lifecycle = (await response.json()) as DecommissionLifecycle;
    const step = lifecycle.steps?.find(s => s.id === 'protected');
    if (!step) {
      return { live: false, message: 'the decommission shows no protect step' };
    }
    return { live: step.state === 'done', message: step.message };
  }
}
