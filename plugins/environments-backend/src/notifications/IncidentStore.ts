import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { IncidentKind, IncidentState } from './incidents';

/** An incident as stored, with the environment and kind it is about. @public */
export interface StoredIncident extends IncidentState {
  environment: string;
  kind: IncidentKind;
}

/**
 * Remembers the open incidents of environments between runs, restarts and
 * replicas. Notifications are claimed: of two runners, only the one whose
 * claim changed the row sends.
 * @public
 */
export interface IncidentStore {
  /** Every remembered incident. */
  list(): Promise<StoredIncident[]>;
  /** Remembers a problem first seen now (not yet notified); a no-op when one is remembered. */
  open(incident: StoredIncident): Promise<void>;
  /** True when this call marked the incident notified (with `reason`); false when another did. */
  claimOpened(
    environment: string,
    kind: IncidentKind,
    reason: string,
  ): Promise<boolean>;
  /** Undoes {@link IncidentStore.claimOpened} after a failed send, so the next run retries. */
  releaseOpened(environment: string, kind: IncidentKind): Promise<void>;
  /** True when this call removed the notified incident (its recovery is to be sent). */
  claimRecovered(environment: string, kind: IncidentKind): Promise<boolean>;
  /** Undoes {@link IncidentStore.claimRecovered} after a failed send, so the next run retries. */
  releaseRecovered(incident: StoredIncident): Promise<void>;
  /** Forgets an incident that was never notified, or whose environment is gone. */
  forget(environment: string, kind: IncidentKind): Promise<void>;
}

const TABLE = 'epicshelter_environment_incidents';

interface Row {
  environment: string;
  kind: string;
  since: string;
  reason: string;
  notified_at: Date | string | null;
}

/**
 * {@link IncidentStore} in the plugin's database: one row per open incident,
 * (environment, kind) its primary key; claims are conditional updates and
 * deletes, so they hold across replicas.
 * @public
 */
export class DatabaseIncidentStore implements IncidentStore {
  private constructor(private readonly db: Knex) {}

  static async create(database: DatabaseService): Promise<IncidentStore> {
    const db = await database.getClient();
    if (!(await db.schema.hasTable(TABLE))) {
      await db.schema.createTable(TABLE, table => {
        table.string('environment', 63).notNullable();
        table.string('kind', 63).notNullable();
        table.string('since', 32).notNullable();
        table.text('reason').notNullable();
        table.timestamp('notified_at').nullable();
        table.primary(['environment', 'kind']);
      });
    }
    return new DatabaseIncidentStore(db);
  }

  async list(): Promise<StoredIncident[]> {
    const rows: Row[] = await this.db(TABLE).select();
    return rows.map(r => ({
      environment: r.environment,
      kind: r.kind as IncidentKind,
      since: r.since,
      reason: r.reason,
      notified: r.notified_at !== null,
    }));
  }

  async open(incident: StoredIncident): Promise<void> {
    await this.db(TABLE)
      .insert({
        environment: incident.environment,
        kind: incident.kind,
        since: incident.since,
        reason: incident.reason,
        notified_at: null,
      })
      .onConflict(['environment', 'kind'])
      .ignore();
  }

  async claimOpened(
    environment: string,
    kind: IncidentKind,
    reason: string,
  ): Promise<boolean> {
    const changed = await this.db(TABLE)
      .where({ environment, kind })
      .whereNull('notified_at')
      .update({ notified_at: new Date(), reason });
    return changed === 1;
  }

  async releaseOpened(environment: string, kind: IncidentKind): Promise<void> {
    await this.db(TABLE)
      .where({ environment, kind })
      .update({ notified_at: null });
  }

  async claimRecovered(
    environment: string,
    kind: IncidentKind,
  ): Promise<boolean> {
    const deleted = await this.db(TABLE)
      .where({ environment, kind })
      .whereNotNull('notified_at')
      .delete();
    return deleted === 1;
  }

  async releaseRecovered(incident: StoredIncident): Promise<void> {
    await this.db(TABLE)
      .insert({
        environment: incident.environment,
        kind: incident.kind,
        since: incident.since,
        reason: incident.reason,
        notified_at: new Date(),
      })
      .onConflict(['environment', 'kind'])
      .ignore();
  }

  async forget(environment: string, kind: IncidentKind): Promise<void> {
    await this.db(TABLE).where({ environment, kind }).delete();
  }
}
