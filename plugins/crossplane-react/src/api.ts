import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  CROSSPLANE_PLUGIN_ID,
  type CrossplaneEventsResponse,
  type CrossplaneResourcesResponse,
  type CrossplaneYamlResponse,
} from '@epicshelter/plugin-crossplane-common';

/**
 * Client of the crossplane backend.
 * @public
 */
export interface CrossplaneApi {
  /** Live trees, desired state and their comparison for an entity. */
  getResources(entity: CompoundEntityRef): Promise<CrossplaneResourcesResponse>;
  /**
   * Events of the Crossplane objects of an entity, or of one of them (a
   * node id): one Kubernetes call for a node.
   */
  getEvents(
    entity: CompoundEntityRef,
    nodeId?: string,
  ): Promise<CrossplaneEventsResponse>;
  /** The redacted YAML of one node of an entity's trees. */
  getYaml(
    entity: CompoundEntityRef,
    nodeId: string,
  ): Promise<CrossplaneYamlResponse>;
}

/**
 * API reference of {@link CrossplaneApi}.
 * @public
 */
export const crossplaneApiRef = createApiRef<CrossplaneApi>({
  id: 'plugin.epicshelter.crossplane.api',
});

/**
 * Default {@link CrossplaneApi}, talking to the crossplane backend.
 * @public
 */
export class CrossplaneClient implements CrossplaneApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(entity: CompoundEntityRef, what: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl(CROSSPLANE_PLUGIN_ID);
    const path = [entity.kind, entity.namespace, entity.name]
      .map(encodeURIComponent)
      .join('/');
    const res = await this.deps.fetchApi.fetch(
      `${base}/entity/${path}/${what}`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  getResources(entity: CompoundEntityRef) {
    return this.get<CrossplaneResourcesResponse>(entity, 'resources');
  }

  getEvents(entity: CompoundEntityRef, nodeId?: string) {
    return this.get<CrossplaneEventsResponse>(
      entity,
      nodeId ? `events?${new URLSearchParams({ node: nodeId })}` : 'events',
    );
  }

  getYaml(entity: CompoundEntityRef, nodeId: string) {
    return this.get<CrossplaneYamlResponse>(
      entity,
      `yaml?${new URLSearchParams({ node: nodeId })}`,
    );
  }
}
