import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ENVIRONMENT_RESOURCE_TYPE,
  EnvironmentStatus,
} from '@epicshelter/plugin-environments-common';
import type { EnvironmentService } from '../services/EnvironmentService';
import { ownerRef } from './recipients';

/** One environment's verdict and who is notified about it. @public */
export interface OwnedEnvironmentStatus {
  environment: string;
  /** The owner's full entity ref (`group:default/team-a`). */
  owner: string;
  status: EnvironmentStatus;
}

/** Where the incident check reads the environments' verdicts from. @public */
export interface EnvironmentStatusSource {
  /**
   * Every environment whose verdict could be computed, with its owner; with
   * `environments`, only those of them (names) that are environments.
   */
  statuses(environments?: string[]): Promise<OwnedEnvironmentStatus[]>;
}

/**
 * The verdicts the promotion matrix computes (`GET /matrix`, with its
 * snapshot cache), read as the plugin itself, with the owners from the
 * catalog; a few named environments are read one by one as their status
 * route computes them.
 * @public
 */
export class MatrixStatusSource implements EnvironmentStatusSource {
  constructor(
    private readonly deps: {
      service: Pick<EnvironmentService, 'matrix' | 'status'>;
      catalog: CatalogService;
      auth: AuthService;
    },
  ) {}

  async statuses(environments?: string[]): Promise<OwnedEnvironmentStatus[]> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    if (environments) return this.named(environments, credentials);
    const [{ items }, { matrix }] = await Promise.all([
      this.deps.catalog.getEntities(
        {
          filter: { kind: 'Resource', 'spec.type': ENVIRONMENT_RESOURCE_TYPE },
          fields: ['metadata.name', 'spec.owner'],
        },
        { credentials },
      ),
      this.deps.service.matrix(credentials),
    ]);
    const owners = new Map<string, string>();
    for (const entity of items) {
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      if (typeof owner === 'string') {
        owners.set(entity.metadata.name, ownerRef(owner));
      }
    }
    return matrix.columns.flatMap(column => {
      const owner = owners.get(column.name);
      return owner && column.status
        ? [{ environment: column.name, owner, status: column.status }]
        : [];
    });
  }

  private async named(
    names: string[],
    credentials: BackstageCredentials,
  ): Promise<OwnedEnvironmentStatus[]> {
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: names.map(name =>
          stringifyEntityRef({ kind: 'Resource', namespace: 'default', name }),
        ),
        fields: ['kind', 'metadata.name', 'spec.type', 'spec.owner'],
      },
      { credentials },
    );
    const found: OwnedEnvironmentStatus[] = [];
    for (const entity of items) {
      const owner = (entity?.spec as { owner?: unknown } | undefined)?.owner;
      if (
        !entity ||
        entity.spec?.type !== ENVIRONMENT_RESOURCE_TYPE ||
        typeof owner !== 'string'
      ) {
        continue; // not an environment (e.g. a namespace named otherwise)
      }
      const { status } = await this.deps.service.status(
        entity.metadata.name,
        credentials,
      );
      found.push({
        environment: entity.metadata.name,
        owner: ownerRef(owner),
        status,
      });
    }
    return found;
  }
}
