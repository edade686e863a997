import type {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { parseSyncEvents, syncOutcome } from './syncEvents';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';

/** What one prebuild pass did, by entity ref. */
export type PrebuildResult = { built: string[]; failed: string[] };

/**
 * Builds the TechDocs sites that have not been built yet, through the
 * TechDocs backend's own `/sync` endpoint (the call the Docs page makes when
 * it opens a site), so that the techdocs search collator, which only reads
 * built sites, finds every documented entity without anyone opening its
 * docs first. Sites already published are left to the normal rebuild on
 * view.
 *
 * Each pass asks only about entities this instance has not yet seen
 * published, and retries a failed build after `retryFailedAfterMs`, so a
 * pass over an unchanged catalog costs one catalog query and a broken site
 * is not reported every minute.
 */
export class DocsPrebuilder {
  /** Entity refs whose site is published (seen or built here). */
  private readonly published = new Set<string>();
  /** When the last build of an entity ref failed, in epoch milliseconds. */
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      fetch?: typeof fetch;
      retryFailedAfterMs?: number;
      now?: () => number;
    },
  ) {}

  async buildMissing(): Promise<PrebuildResult> {
    const { catalog, auth, discovery, logger } = this.deps;
    const doFetch = this.deps.fetch ?? fetch;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${TECHDOCS_REF}`]: CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    const now = this.deps.now ?? Date.now;
    const retryAfter = this.deps.retryFailedAfterMs ?? 10 * 60_000;
    const base = await discovery.getBaseUrl('techdocs');
    const result: PrebuildResult = { built: [], failed: [] };
    for (const entity of items) {
      const namespace = entity.metadata.namespace ?? 'default';
      const ref = `${entity.kind}:${namespace}/${entity.metadata.name}`;
      const failedAt = this.failedAt.get(ref);
      if (
        this.published.has(ref) ||
        (failedAt !== undefined && now() - failedAt < retryAfter)
      ) {
        continue;
      }
      const triplet = [namespace, entity.kind, entity.metadata.name]
        .map(s => encodeURIComponent(s.toLocaleLowerCase('en-US')))
        .join('/');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'techdocs',
      });
      const headers = { Authorization: `Bearer ${token}` };
      const published = await doFetch(
        `${base}/static/docs/${triplet}/techdocs_metadata.json`,
        { headers },
      );
      if (published.ok) {
        this.published.add(ref);
        continue;
      }
      const sync = await doFetch(`${base}/sync/${triplet}`, { headers });
      const outcome = sync.ok
        ? syncOutcome(parseSyncEvents(await sync.text()))
        : { ok: false as const, message: `HTTP ${sync.status}` };
      if (outcome.ok) {
        this.published.add(ref);
        this.failedAt.delete(ref);
        result.built.push(ref);
      } else {
        this.failedAt.set(ref, now());
        result.failed.push(ref);
        logger.warn(`Could not build the docs of ${ref}: ${outcome.message}`);
      }
    }
    return result;
  }
}
