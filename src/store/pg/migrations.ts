// The PostgreSQL schema, as migration files beside the SQLite store's and
// numbered as they are (src/store/migrations/postgres/): migration N brings `pops_schema.version` to N and
// gives the same tables, columns and rules as SQLite's migration N, in
// PostgreSQL's terms (docs/store.md, "PostgreSQL"):
// - money is bigint cents; ids are bigint identities, never reused (a
//   sequence never hands out a value twice, deleted rows' included);
// - settings that are on or off stay 0/1 (smallint with a CHECK), and dates
//   and times stay texts, so that both stores give every row the same values;
// - the audit log is append-only by a trigger (UPDATE, DELETE and TRUNCATE
//   fail);
// - group names are unique by the key pops computes (NFC, case folding,
//   invisible characters ignored), as on SQLite;
// - every text column compares and sorts by code point (COLLATE "C"), as
//   SQLite's do, whatever the database's locale: names, account numbers and
//   dates list in the same order on both stores.
// Never edit a migration that has shipped; add the next one.
import type { PgConnection } from './connection.js';
import { sql as initial } from '../migrations/postgres/001-initial.js';
import { sql as groupIdentity } from '../migrations/postgres/002-group-identity.js';
import { sql as portal } from '../migrations/postgres/003-portal.js';
import { sql as accountFigures } from '../migrations/postgres/004-account-figures.js';
import { sql as coveringFigures } from '../migrations/postgres/005-covering-figures.js';

/** Every text column of `sql` with the code-point collation. */
const byCodePoint = (sql: string): string => sql.replace(/ text(?=[\s,)])/g, ' text COLLATE "C"');

let made: readonly string[] | undefined;
/**
 * The migrations in order: the SQL of migration N is pgMigrations()[N - 1].
 * Made when first asked for, not when pops starts: every command's start-up
 * pays for what its modules do when loaded (docs/performance.md, "Start-up").
 */
export function pgMigrations(): readonly string[] {
  return (made ??= [initial, groupIdentity, portal, accountFigures, coveringFigures].map((migration) => byCodePoint(migration())));
}

/** Any number that fits: the lock every pops migration of one database takes, so that two never run at once. */
const MIGRATION_LOCK = 0x706f7073; // "pops"

/** The schema version of the connected database: 0 when it has no pops schema. */
export function pgSchemaVersion(db: PgConnection): number {
  const [[exists]] = db.arrays<[boolean]>("SELECT to_regclass('pops_schema') IS NOT NULL");
  if (!exists) return 0;
  return db.arrays<[number]>('SELECT version FROM pops_schema')[0]?.[0] ?? 0;
}

/**
 * Bring the connected database's schema to the latest version, in one
 * transaction; another pops migrating the same database meanwhile waits,
 * then finds nothing left to do. Returns the version found before.
 */
export function migratePostgres(db: PgConnection): number {
  // The lock is taken before the transaction begins, and held by the session: a server reads the
  // catalog changes another session committed while this one waited (the other's new tables) only
  // at a transaction's start, so one begun before the wait would not see the schema just made.
  db.run('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    return db.transaction(() => {
      const from = pgSchemaVersion(db);
      if (from === 0) db.exec('CREATE TABLE pops_schema (version integer NOT NULL); INSERT INTO pops_schema VALUES (0)');
      const migrations = pgMigrations();
      for (let version = from + 1; version <= migrations.length; version += 1) db.exec(migrations[version - 1]);
      db.run('UPDATE pops_schema SET version = $1', [migrations.length]);
      return from;
    });
  } finally {
    try {
      db.run('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    } catch {
      // a connection that failed: the server releases the lock with the session
    }
  }
}
