// The PostgreSQL schema (src/store/pg/migrations.ts) on a real server: the
// same version and the same tables and columns as the SQLite store, and the
// rules the schema itself enforces (docs/store.md, "PostgreSQL").
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.js';
import { openPostgres, type PgConnection } from '../../src/store/pg/connection.js';
import { migratePostgres, pgSchemaVersion } from '../../src/store/pg/migrations.js';
import { makeStore } from '../helpers/cli.js';
import { dropTestDatabases, pgDatabase, withConnection } from '../helpers/postgres.js';

afterAll(dropTestDatabases);

function migrated<T>(work: (db: PgConnection) => T): T {
  return withConnection(pgDatabase(), (db) => {
    migratePostgres(db);
    return work(db);
  });
}

/** The message of what `work` throws. */
function failure(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  return 'nothing was thrown';
}

describe('the PostgreSQL schema', () => {
  it("has the SQLite store's version, and its tables with the same columns in the same order", async () => {
    const file = await makeStore({ demo: false });
    const sqlite = new Database(file, { readonly: true });
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    const sqliteColumns = Object.fromEntries(tables.map((table) => [table, sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table)]));
    sqlite.close();
    migrated((db) => {
      expect(pgSchemaVersion(db)).toBe(SCHEMA_VERSION);
      const pgColumns: Record<string, string[]> = {};
      for (const [table, column] of db.arrays<[string, string]>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name <> 'pops_schema' ORDER BY table_name, ordinal_position`,
      )) {
        (pgColumns[table] ??= []).push(column);
      }
      expect(pgColumns).toEqual(sqliteColumns);
    });
  });

  it('every text column sorts by code point, as SQLite does, whatever the database locale', () => {
    migrated((db) => {
      expect(
        db.arrays(
          `SELECT table_name, column_name, collation_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'`,
        ),
      ).toEqual([]);
      const groupId = db.arrays<[number]>("INSERT INTO groups (name, name_key) VALUES ('x', 'x') RETURNING id")[0][0];
      for (const number of ['b', 'B', 'a-2', 'a10', 'é'])
        db.run("INSERT INTO accounts (account_number, guarantor_first_name, guarantor_last_name, group_id) VALUES ($1, 'A', 'B', $2)", [number, groupId]);
      expect(db.arrays('SELECT account_number FROM accounts ORDER BY account_number').flat()).toEqual(['B', 'a-2', 'a10', 'b', 'é']);
    });
  });

  it('migrating again, from another connection, finds the latest version and does nothing', () => {
    const url = pgDatabase();
    const first = openPostgres(url);
    const second = openPostgres(url);
    try {
      expect(migratePostgres(first)).toBe(0);
      expect(migratePostgres(second)).toBe(SCHEMA_VERSION);
      expect(pgSchemaVersion(second)).toBe(SCHEMA_VERSION);
    } finally {
      first.close();
      second.close();
    }
  });

  it('the audit log is append-only: UPDATE, DELETE and TRUNCATE fail', () => {
    migrated((db) => {
      db.run("INSERT INTO audit_log (at, actor, action, group_id, group_name, batch) VALUES ('2026-12-02T00:00:00Z', 'ann', 'create', 1, 'A', 'b1')");
      expect(failure(() => db.run("UPDATE audit_log SET actor = 'eve'"))).toMatch(/append-only/);
      expect(failure(() => db.run('DELETE FROM audit_log'))).toMatch(/append-only/);
      expect(failure(() => db.run('TRUNCATE audit_log'))).toMatch(/append-only/);
      expect(db.arrays('SELECT actor FROM audit_log')).toEqual([['ann']]);
    });
  });

  it('ids are never reused: a group made after the newest one was deleted gets a new id', () => {
    migrated((db) => {
      const add = (name: string): number =>
        db.arrays<[number]>('INSERT INTO groups (name, name_key) VALUES ($1, $2) RETURNING id', [name, name.toLowerCase()])[0][0];
      const first = add('A');
      const second = add('B');
      db.run('DELETE FROM groups WHERE id = $1', [second]);
      expect(add('C')).toBeGreaterThan(second);
      expect(second).toBeGreaterThan(first);
    });
  });

  it('names are unique by their key, money is bigint cents, settings are 0 or 1, colors are #rrggbb', () => {
    migrated((db) => {
      db.run("INSERT INTO groups (name, name_key) VALUES ('Lakeside', 'lakeside')");
      expect(failure(() => db.run("INSERT INTO groups (name, name_key) VALUES ('LAKESIDE', 'lakeside')"))).toMatch(/duplicate key/);
      expect(failure(() => db.run("UPDATE groups SET show_collections = 2 WHERE name = 'Lakeside'"))).toMatch(/check constraint/);
      expect(failure(() => db.run("UPDATE groups SET theme_primary = 'red' WHERE name = 'Lakeside'"))).toMatch(/check constraint/);
      db.run("UPDATE groups SET theme_primary = '#0a7e8c', landing_page = 'pay' WHERE name = 'Lakeside'");
      const [[groupId]] = db.arrays<[number]>('SELECT id FROM groups');
      db.run(
        "INSERT INTO accounts (account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents) VALUES ('1', 'A', 'B', $1, $2)",
        [groupId, 90_071_992_547_409],
      );
      expect(db.arrays('SELECT unapplied_funds_cents FROM accounts')).toEqual([[90_071_992_547_409]]);
    });
  });
});
