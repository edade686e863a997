import { randomUUID } from 'node:crypto';
import type {
  BackstageCredentials,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/**
 * How long a snapshot is reused at the same head commit. A new commit on the
 * GitOps branch changes the key at once; the time bound lets live Argo CD
 * and Crossplane state (which changes without commits) show up soon after.
 */
export const SNAPSHOT_TTL_MS = 15_000;

/**
 * How long an invalidation is remembered: far longer than a snapshot lives,
 * so no snapshot read before it can be served after it.
 */
const GENERATION_TTL_MS = 60 * 60_000;

/** Cache key of an environment's generation (see SnapshotCache.invalidate). */
const generationKey = (environment: string) =>
  `snapshot:generation:${environment}`;

/** Who a snapshot was read as: the catalog, Argo CD and Crossplane answer per caller. */
function callerOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal?.type === 'user') return `user=${principal.userEntityRef}`;
  if (principal?.type === 'service') return `service=${principal.subject}`;
  return 'none';
}

/**
 * Snapshots of environments, kept in the backend's cache service (shared by
 * replicas) under the caller, the environment, the head commit of the
 * GitOps branch they were read at and the environment's generation. Without
 * a head (no repository, or it cannot be read) nothing is cached.
 *
 * {@link SnapshotCache.invalidate} starts a new generation of one
 * environment (an Argo CD or Crossplane change was seen): every caller's
 * snapshot of it is read again, on every replica, while the other
 * environments' snapshots stay.
 */
export class SnapshotCache<T> {
  constructor(
    private readonly deps: {
      cache: CacheService;
      logger: LoggerService;
      ttlMs?: number;
    },
  ) {}

  /** The cached snapshot of `environment` at `head`, or `compute()`'s, then cached. */
  async getOrCompute(options: {
    credentials: BackstageCredentials;
    environment: string;
    head?: string;
    compute: () => Promise<T>;
  }): Promise<T> {
    const { head, compute } = options;
    if (!head) return compute();
    const generation = await this.generation(options.environment);
    const key = `snapshot:v2:${head}:${
      options.environment
    }:${generation}:${callerOf(options.credentials)}`;
    try {
      const hit = await this.deps.cache.get(key);
      if (hit !== undefined) return hit as unknown as T;
    } catch (e) {
      this.deps.logger.warn(
        `Environment snapshot cache could not be read, computing: ${
          isError(e) ? e.message : String(e)
        }`,
      );
    }
    const value = await compute();
    try {
      await this.deps.cache.set(
        key,
        value as unknown as Parameters<CacheService['set']>[1],
        {
          ttl: this.deps.ttlMs ?? SNAPSHOT_TTL_MS,
        },
      );
    } catch (e) {
      this.deps.logger.warn(
        `Environment snapshot could not be cached: ${
          isError(e) ? e.message : String(e)
        }`,
      );
    }
    return value;
  }

  /**
   * Forgets every cached snapshot of `environment` (as the service names it:
   * `resource:default/<name>`), for every caller and replica.
   */
  async invalidate(environment: string): Promise<void> {
    await this.deps.cache.set(generationKey(environment), randomUUID(), {
      ttl: GENERATION_TTL_MS,
    });
  }

  private async generation(environment: string): Promise<string> {
    try {
      const value = await this.deps.cache.get(generationKey(environment));
      return typeof value === 'string' ? value : '0';
    } catch (e) {
      this.deps.logger.warn(
        `Environment snapshot generation could not be read: ${
          isError(e) ? e.message : String(e)
        }`,
      );
      return '0';
    }
  }
}
