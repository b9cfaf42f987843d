// Opening the store as a Db, a file or a PostgreSQL database (docs/store.md,
// "Store locations" and "PostgreSQL"): the same checks on both, in an order
// that never modifies a store that must be refused.
import { StoreError } from '../base/errors.js';
import { storeLocation, type StoreLocation } from '../base/store-location.js';
import { sqliteDb, type Db } from './db.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import { openStore, type OpenOptions } from './open.js';
import { openPostgres } from './pg/connection.js';
import { migratePostgres, pgSchemaVersion } from './pg/migrations.js';
import { PgDb } from './pg/pg-db.js';

export interface OpenedDb {
  db: Db;
  /** Whether this run made the store (`init`). */
  created: boolean;
  /** The schema version found before any migration ran. */
  previousVersion: number;
}

/** The store at `value` (`--db` or POPS_DB, as `options.from` says), opened as openStore opens a file. */
export function openDb(value: string, options: OpenOptions = {}): OpenedDb {
  const location = storeLocation(value, options.from ?? '--db');
  if (location.kind === 'postgres') return openPgStore(location, options);
  const opened = openStore(value, options);
  return { db: sqliteDb(opened.db), created: opened.created, previousVersion: opened.previousVersion };
}

/**
 * A PostgreSQL database as the store: connected, its schema checked, and
 * migrated when older (`init` also makes it in an empty database).
 */
function openPgStore(location: Extract<StoreLocation, { kind: 'postgres' }>, options: OpenOptions): OpenedDb {
  const connection = openPostgres(location.url.href, { lockTimeoutMs: options.busyTimeoutMs });
  try {
    const version = pgSchemaVersion(connection);
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `store schema version ${version} is newer than this program supports (${SCHEMA_VERSION}): ${location.shown}`,
        'Upgrade pops-admin to use this store; it was not modified.',
      );
    }
    if (version === 0) {
      if (!options.create)
        throw new StoreError(`not a pops store (no pops schema in this database): ${location.shown}`, `Run \`pops init\` with this --db to create it.`);
      const tables = connection.arrays<[number]>(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      )[0][0];
      if (tables > 0) {
        throw new StoreError(
          `not a pops store (a database with other tables): ${location.shown}`,
          'Give pops a database of its own; this one was not modified.',
        );
      }
    }
    if (version < SCHEMA_VERSION && !options.readonly && !options.readsOnly) migratePostgres(connection);
    return { db: new PgDb(connection), created: version === 0, previousVersion: version };
  } catch (error) {
    connection.close();
    throw error;
  }
}
