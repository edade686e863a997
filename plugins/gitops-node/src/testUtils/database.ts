import knexFactory, { Knex } from 'knex';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';

/** Longer than the scaffolder's one-second event poll. */
const POLLERS_DONE_MS = 1500;

/**
 * The database service for `startTestBackend`: like its default, one
 * in-memory SQLite database per plugin, but each one is destroyed when the
 * backend stops. The default database manager never destroys SQLite
 * connections on shutdown, so each plugin's pool keeps its reaping interval
 * running and the Jest worker cannot exit after the suite.
 * @public
 */
export const testDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: { rootLifecycle: coreServices.rootLifecycle },
  async createRootContext({ rootLifecycle }) {
    const clients: Knex[] = [];
    // Root shutdown hooks run after every plugin has stopped. The
    // scaffolder's task event streams poll the database once a second and
    // only see that they were unsubscribed after their pause: destroying the
    // pools at once would fail their last query ("Unable to acquire a
    // connection") as an unhandled rejection inside whichever test the Jest
    // worker runs next. So the pools outlive that pause.
    rootLifecycle.addShutdownHook(async () => {
      await new Promise(resolve => setTimeout(resolve, POLLERS_DONE_MS));
      await Promise.all(clients.splice(0).map(client => client.destroy()));
    });
    return clients;
  },
  async factory(_deps, clients) {
    const client = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    clients.push(client);
    return { getClient: async () => client };
  },
});
