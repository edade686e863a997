import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ARGOCD_PLUGIN_ID,
  type EntityApplicationsResponse,
} from '@epicshelter/plugin-argocd-common';
import {
  CROSSPLANE_PLUGIN_ID,
  type CrossplaneResourcesResponse,
} from '@epicshelter/plugin-crossplane-common';

/**
 * What is kept of a catalog entity to find its Argo CD applications and
 * Crossplane resources once the catalog has dropped it.
 * @public
 */
export interface EntitySnapshot {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

/** A scaffolder task as `GET /api/scaffolder/v2/tasks` lists it. @public */
export interface ScaffolderTaskSummary {
  id: string;
  status: string;
  createdAt: string;
  lastHeartbeatAt?: string;
  spec?: {
    parameters?: Record<string, unknown>;
    steps?: Array<{ action?: string; input?: Record<string, unknown> }>;
    templateInfo?: { entityRef?: string };
  };
}

/**
 * Calls the other portal plugins (argocd, crossplane, scaffolder) on behalf
 * of the user, so their permission checks apply unchanged.
 * @public
 */
export class PortalClient {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      fetch?: typeof fetch;
    },
  ) {}

  private async get<T>(
    pluginId: string,
    path: string,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const base = await this.deps.discovery.getBaseUrl(pluginId);
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: pluginId,
    });
    const res = await (this.deps.fetch ?? fetch)(`${base}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  /** POSTs JSON to another plugin as this backend itself (its service credentials). */
  private async postAsService<T>(
    pluginId: string,
    path: string,
    body: unknown,
  ): Promise<T> {
    const base = await this.deps.discovery.getBaseUrl(pluginId);
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const res = await (this.deps.fetch ?? fetch)(`${base}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  /**
   * Argo CD applications of an entity the catalog no longer holds, from its
   * last snapshot, asked as this backend (`POST /entity-snapshots/applications`).
   */
  snapshotApplications(entity: EntitySnapshot) {
    return this.postAsService<EntityApplicationsResponse>(
      ARGOCD_PLUGIN_ID,
      '/entity-snapshots/applications',
      { entity },
    );
  }

  /**
   * Crossplane resources of an entity the catalog no longer holds, from its
   * last snapshot, asked as this backend (`POST /entity-snapshots/resources`).
   */
  snapshotResources(entity: EntitySnapshot) {
    return this.postAsService<CrossplaneResourcesResponse>(
      CROSSPLANE_PLUGIN_ID,
      '/entity-snapshots/resources',
      { entity },
    );
  }

  /** Argo CD applications of an environment entity (`/api/epicshelter-argocd`). */
  applications(environment: string, credentials: BackstageCredentials) {
    return this.get<EntityApplicationsResponse>(
      ARGOCD_PLUGIN_ID,
      `/entities/resource/default/${encodeURIComponent(
        environment,
      )}/applications`,
      credentials,
    );
  }

  /** Crossplane desired vs live of an environment entity (`/api/epicshelter-crossplane`). */
  resources(environment: string, credentials: BackstageCredentials) {
    return this.get<CrossplaneResourcesResponse>(
      CROSSPLANE_PLUGIN_ID,
      `/entity/resource/default/${encodeURIComponent(environment)}/resources`,
      credentials,
    );
  }

  /** The 200 newest scaffolder tasks the user may read. */
  async tasks(
    credentials: BackstageCredentials,
  ): Promise<ScaffolderTaskSummary[]> {
    const { tasks } = await this.get<{ tasks: ScaffolderTaskSummary[] }>(
      'scaffolder',
      '/v2/tasks?limit=200&order=desc:created_at',
      credentials,
    );
    return tasks;
  }

  /** The newest template run of an environment (see {@link latestTemplateRun}). */
  async templateRun(
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<ScaffolderTaskSummary | undefined> {
    return latestTemplateRun(await this.tasks(credentials), environment);
  }
}

/**
 * The newest scaffolder task with parameter `name` equal to the
 * environment whose template runs `epicshelter:environment:create`. Step
 * inputs are not looked at: the task list holds them unrendered.
 * @public
 */
export function latestTemplateRun(
  tasks: ScaffolderTaskSummary[],
  environment: string,
): ScaffolderTaskSummary | undefined {
  return tasks
    .filter(
      t =>
        t.spec?.parameters?.name === environment &&
        ((t.spec?.steps ?? []).some(
          s => s.action === 'epicshelter:environment:create',
        ) ||
          /create-environment/.test(t.spec?.templateInfo?.entityRef ?? '')),
    )
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
}
