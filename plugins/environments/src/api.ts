import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EnvironmentDeploymentsResponse,
  EnvironmentLifecycleResponse,
  PromotionMatrixResponse,
} from '@epicshelter/plugin-environments-common';

/** Browser client of the environments backend. @public */
export interface EnvironmentsApi {
  getDeployments(environment: string): Promise<EnvironmentDeploymentsResponse>;
  getLifecycle(environment: string): Promise<EnvironmentLifecycleResponse>;
  getMatrix(): Promise<PromotionMatrixResponse>;
}

/** API ref of {@link EnvironmentsApi}. @public */
export const environmentsApiRef = createApiRef<EnvironmentsApi>({
  id: 'plugin.environments.api',
});

/** Default {@link EnvironmentsApi} over discovery + fetch. @public */
export class EnvironmentsClient implements EnvironmentsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('environments');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  getDeployments(environment: string) {
    return this.get<EnvironmentDeploymentsResponse>(
      `/environments/${encodeURIComponent(environment)}/deployments`,
    );
  }

  getLifecycle(environment: string) {
    return this.get<EnvironmentLifecycleResponse>(
      `/environments/${encodeURIComponent(environment)}/lifecycle`,
    );
  }

  getMatrix() {
    return this.get<PromotionMatrixResponse>('/matrix');
  }
}
