import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

/**
 * Remembers which expiry events (warnings, expiries) were handled, so each is
 * handled once across runs, restarts and replicas.
 * @public
 */
export interface ExpiryEventStore {
  /** True when `key` was not claimed before and is now; false otherwise. */
  claim(key: string, environment: string): Promise<boolean>;
  /** Forgets a claim whose handling failed, so the next run tries again. */
  release(key: string): Promise<void>;
}

const TABLE = 'epicshelter_environment_expiry_events';

/**
 * {@link ExpiryEventStore} in the plugin's database: one row per handled
 * event, the key its primary key, so two runners cannot both claim one.
 * @public
 */
export class DatabaseExpiryEventStore implements ExpiryEventStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<ExpiryEventStore> {
    const db = await database.getClient();
    if (!(await db.schema.hasTable(TABLE))) {
      await db.schema.createTable(TABLE, table => {
        table.string('key', 255).primary();
        table.string('environment', 63).notNullable().index();
        table.timestamp('handled_at').notNullable();
      });
    }
    return new DatabaseExpiryEventStore(db);
  }

  async claim(key: string, environment: string): Promise<boolean> {
    try {
      await this.db(TABLE).insert({
        key,
        environment,
        handled_at: new Date(),
      });
      return true;
    } catch (e) {
      // A primary key violation: claimed before, by this or another runner.
      const existing = await this.db(TABLE).where({ key }).first();
      if (existing) return false;
      throw e;
    }
  }

  async release(key: string): Promise<void> {
    await this.db(TABLE).where({ key }).delete();
  }
}
