import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  DecommissionLifecycle,
  EnvironmentDeploymentsResponse,
  EnvironmentLifecycleResponse,
  EnvironmentStatusResponse,
  EnvironmentWorkloadsResponse,
  GitOpsAppsResponse,
  GitOpsLocalRepositoriesResponse,
  PromotionMatrixResponse,
} from '@epicshelter/plugin-environments-common';

/** Browser client of the environments backend. @public */
export interface EnvironmentsApi {
  getDeployments(environment: string): Promise<EnvironmentDeploymentsResponse>;
  getLifecycle(environment: string): Promise<EnvironmentLifecycleResponse>;
  getMatrix(): Promise<PromotionMatrixResponse>;
  /** The one verdict of an environment, where it runs, and its lifecycle. */
  getStatus(environment: string): Promise<EnvironmentStatusResponse>;
  /** The apps of the GitOps repository (`apps/<name>/base`). */
  getApps(): Promise<GitOpsAppsResponse>;
  /** What the environment's workloads overlay deploys at the head of the GitOps branch. */
  getWorkloads(environment: string): Promise<EnvironmentWorkloadsResponse>;
  /** The local repositories templates may write to (gitops.repository, gitops.allowedRepositories). */
  getLocalRepositories(): Promise<GitOpsLocalRepositoriesResponse>;
  /** How far the environment's decommission got (change, Argo CD, Crossplane, catalog). */
  getDecommission(environment: string): Promise<DecommissionLifecycle>;
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

  getStatus(environment: string) {
    return this.get<EnvironmentStatusResponse>(
      `/environments/${encodeURIComponent(environment)}/status`,
    );
  }

  getApps() {
    return this.get<GitOpsAppsResponse>('/apps');
  }

  getWorkloads(environment: string) {
    return this.get<EnvironmentWorkloadsResponse>(
      `/environments/${encodeURIComponent(environment)}/workloads`,
    );
  }

  getLocalRepositories() {
    return this.get<GitOpsLocalRepositoriesResponse>('/repositories');
  }

  getDecommission(environment: string) {
    return this.get<DecommissionLifecycle>(
      `/environments/${encodeURIComponent(environment)}/decommission`,
    );
  }
}
