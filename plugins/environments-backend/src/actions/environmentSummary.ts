import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { getEnvironmentSpec } from '@epicshelter/plugin-environments-common';

/** What an agent is told about an environment in a list: the catalog's view. */
export type EnvironmentListItem = {
  name: string;
  entityRef: string;
  owner?: string;
  description?: string;
  target?: string;
  provider?: string;
  region?: string;
  workloads: Array<{ name: string; imageTag?: string; replicas?: number }>;
  resources: Array<{ type: string; name: string; entityRef: string }>;
  expiresAt?: string;
  ttl?: string;
};

/** The list item of an environment entity (spec.environment where present). */
export function environmentListItem(entity: Entity): EnvironmentListItem {
  const spec = getEnvironmentSpec(entity);
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  return {
    name: entity.metadata.name,
    entityRef: stringifyEntityRef(entity),
    ...(typeof owner === 'string' ? { owner } : {}),
    ...(entity.metadata.description
      ? { description: entity.metadata.description }
      : {}),
    ...(spec
      ? {
          target: spec.target,
          provider: spec.provider,
          ...(spec.region ? { region: spec.region } : {}),
        }
      : {}),
    workloads: (spec?.workloads ?? []).map(w => ({
      name: w.name,
      ...(w.imageTag !== undefined ? { imageTag: w.imageTag } : {}),
      ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
    })),
    resources: (spec?.resources ?? []).map(r => ({
      type: r.type,
      name: r.name,
      entityRef: r.entityRef,
    })),
    ...(spec?.expiry
      ? { expiresAt: spec.expiry.expiresAt, ttl: spec.expiry.ttl }
      : {}),
  };
}
