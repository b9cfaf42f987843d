// Opening the store as a Db, a file or a PostgreSQL database (docs/store.md,
// "Store locations" and "PostgreSQL"): the same checks on both, in an order
// that never modifies a store that must be refused.
import { StoreError } from '../base/errors.js';
import { storeLocation, type StoreLocation } from '../base/store-location.js';
import { sqliteDb, type Db } from './db.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import { openStore, type OpenOptions } from './open.js';
import { openPostgres, type PgConnection } from './pg/connection.js';
import { migratePostgres, pgSchemaVersion } from './pg/migrations.js';
import { PgDb } from './pg/pg-db.js';

export interface OpenedDb {
  db: Db;
  /** Whether this run made the store (`init`). */
  created: boolean;
  /** The schema version found before any migration ran. */
  previousVersion: number;
  /** The schema version the store is at now (see OpenedStore). */
  version: number;
}

/** The store at `value` (`--db` or POPS_DB, as `options.from` says), opened as openStore opens a file. */
export function openDb(value: string, options: OpenOptions = {}): OpenedDb {
  const location = storeLocation(value, options.from ?? '--db');
  if (location.kind === 'postgres') return openPgStore(location, options);
  const opened = openStore(value, options);
  return { db: sqliteDb(opened.db), created: opened.created, previousVersion: opened.previousVersion, version: opened.version };
}

/**
 * A PostgreSQL database as the store: connected, its schema checked, and
 * migrated when older (`init` also makes it in an empty database).
 */
function openPgStore(location: Extract<StoreLocation, { kind: 'postgres' }>, options: OpenOptions): OpenedDb {
  // The wait for another command's lock: POPS_BUSY_TIMEOUT_MS when set, else the connection's default (5 s, as on SQLite).
  const quick = options.quickMs === undefined ? {} : { connectTimeoutMs: options.quickMs, timeoutMs: options.quickMs, cancelGraceMs: options.quickMs };
  const connection = openPostgres(location.url.href, { ...(options.busyTimeoutMs === undefined ? {} : { lockTimeoutMs: options.busyTimeoutMs }), ...quick });
  try {
    let version = pgSchemaVersion(connection);
    if (version > SCHEMA_VERSION) {
      throw new StoreError(
        `store schema version ${version} is newer than this program supports (${SCHEMA_VERSION}): ${location.shown}`,
        'Upgrade pops-admin to use this store; it was not modified.',
      );
    }
    // (Another `pops init` may have made the schema since: then it is a pops store after all.)
    if (version === 0 && !refuseNonStore(connection, location.shown, options.create === true)) version = pgSchemaVersion(connection);
    const migrates = version < SCHEMA_VERSION && !options.readonly && !options.readsOnly;
    const previousVersion = migrates ? migratePostgres(connection) : version;
    // Another pops may have made the schema while this one waited for the migration lock: then this one made nothing.
    return { db: new PgDb(connection), created: previousVersion === 0, previousVersion, version: migrates ? SCHEMA_VERSION : version };
  } catch (error) {
    connection.close();
    throw error;
  }
}

/**
 * A database without the pops schema: refused when it holds anything else (a
 * table, view or sequence in its schema), or when it is not UTF-8 (names in
 * any script must fit); else refused unless `init` asks to make the schema.
 * False when the pops schema has appeared meanwhile (another `pops init`).
 */
function refuseNonStore(connection: PgConnection, shown: string, create: boolean): boolean {
  const [[relations, encoding]] = connection.arrays<[number, string]>(
    `SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'S', 'f')),
            (SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database())`,
  );
  if (relations > 0) {
    if (pgSchemaVersion(connection) > 0) return false;
    throw new StoreError(`not a pops store (a database with other tables): ${shown}`, 'Give pops a database of its own (createdb); this one was not modified.');
  }
  if (!create) throw new StoreError(`not a pops store (no pops schema in this database): ${shown}`, 'Run `pops init` with this --db to create it.');
  if (encoding !== 'UTF8') {
    throw new StoreError(
      `the database's encoding is ${encoding}, and pops needs UTF8 (names in any script): ${shown}`,
      'Create the database with: createdb -E UTF8 -T template0 <name>',
    );
  }
  return true;
}
