import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ActionResponse,
  ARGOCD_PLUGIN_ID,
  ApplicationDetailResponse,
  ApplicationHistoryResponse,
  EntityApplicationsResponse,
  RefreshRequest,
  ResourceTreeResponse,
  SyncRequest,
} from '@epicshelter/plugin-argocd-common';

/** One application of an entity, as the API addresses it. @public */
export interface ArgoCdAppRef {
  entity: CompoundEntityRef;
  instance: string;
  name: string;
  appNamespace?: string;
}

/** Browser client of the argocd backend. @public */
export interface ArgoCdApi {
  getApplications(
    entity: CompoundEntityRef,
  ): Promise<EntityApplicationsResponse>;
  getApplication(ref: ArgoCdAppRef): Promise<ApplicationDetailResponse>;
  getResourceTree(ref: ArgoCdAppRef): Promise<ResourceTreeResponse>;
  getHistory(ref: ArgoCdAppRef): Promise<ApplicationHistoryResponse>;
  sync(ref: ArgoCdAppRef, options: SyncRequest): Promise<ActionResponse>;
  refresh(ref: ArgoCdAppRef, options: RefreshRequest): Promise<ActionResponse>;
  terminate(ref: ArgoCdAppRef): Promise<ActionResponse>;
}

/** API ref of {@link ArgoCdApi}. @public */
export const argoCdApiRef = createApiRef<ArgoCdApi>({
  id: 'plugin.epicshelter.argocd.api',
});

const enc = encodeURIComponent;

/** Default {@link ArgoCdApi} implementation over discovery + fetch. @public */
export class ArgoCdClient implements ArgoCdApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl(ARGOCD_PLUGIN_ID);
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  private entityPath(e: CompoundEntityRef) {
    return `/entities/${enc(e.kind.toLocaleLowerCase('en-US'))}/${enc(
      e.namespace,
    )}/${enc(e.name)}`;
  }

  private appPath(ref: ArgoCdAppRef, suffix = '') {
    const qs = ref.appNamespace ? `?appNamespace=${enc(ref.appNamespace)}` : '';
    return `${this.entityPath(ref.entity)}/instances/${enc(
      ref.instance,
    )}/applications/${enc(ref.name)}${suffix}${qs}`;
  }

  private send<T>(method: string, path: string, body?: object) {
    return this.call<T>(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  getApplications(entity: CompoundEntityRef) {
    return this.call<EntityApplicationsResponse>(
      `${this.entityPath(entity)}/applications`,
    );
  }
  getApplication(ref: ArgoCdAppRef) {
    return this.call<ApplicationDetailResponse>(this.appPath(ref));
  }
  getResourceTree(ref: ArgoCdAppRef) {
    return this.call<ResourceTreeResponse>(this.appPath(ref, '/resource-tree'));
  }
  getHistory(ref: ArgoCdAppRef) {
    return this.call<ApplicationHistoryResponse>(this.appPath(ref, '/history'));
  }
  sync(ref: ArgoCdAppRef, options: SyncRequest) {
    return this.send<ActionResponse>(
      'POST',
      this.appPath(ref, '/sync'),
      options,
    );
  }
  refresh(ref: ArgoCdAppRef, options: RefreshRequest) {
    return this.send<ActionResponse>(
      'POST',
      this.appPath(ref, '/refresh'),
      options,
    );
  }
  terminate(ref: ArgoCdAppRef) {
    return this.send<ActionResponse>('DELETE', this.appPath(ref, '/operation'));
  }
}
