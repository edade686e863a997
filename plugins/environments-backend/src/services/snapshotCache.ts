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
 * replicas) under the caller, the environment and the head commit of the
 * GitOps branch they were read at. Without a head (no repository, or it
 * cannot be read) nothing is cached.
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
    const key = `snapshot:v1:${head}:${options.environment}:${callerOf(
      options.credentials,
    )}`;
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
}
