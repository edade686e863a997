import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import type { Entity } from '@backstage/catalog-model';

/**
 * Writes `entities` into a catalog file in `dir`, for the `catalogFiles` of
 * startGitopsBackend; returns its path.
 */
export function catalogFile(dir: string, entities: Entity[]): string {
  const file = path.join(dir, 'entities.yaml');
  fs.writeFileSync(file, entities.map(e => yaml.stringify(e)).join('---\n'));
  return file;
}

/** The catalog entity of an environment with an expiry, as the GitOps provider emits it. */
export function ephemeralEnvironmentEntity(
  name: string,
  owner: string,
  expiry: { ttl: string; expiresAt: string },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'environment',
      owner,
      environment: {
        target: 'local',
        provider: 'local',
        crossplaneApi: 'v2',
        workloads: [],
        resources: [],
        applications: {
          workloads: `${name}-workloads`,
          infrastructure: `${name}-infrastructure`,
        },
        expiry,
      },
    },
  };
}
