// The store as the store code sees it, whichever database holds it (docs/store.md,
// "PostgreSQL"): statements with `?` parameters, rows as objects or arrays,
// a read that sees one committed state, a write that loses no concurrent
// change. SqliteDb is better-sqlite3 with its statements prepared once;
// PgDb (pg/pg-db.ts) is the PostgreSQL connection. Where the two dialects
// differ, the store code asks `kind`, or uses the helpers below.
import type { DB } from './open.js';

export interface Db {
  readonly kind: 'sqlite' | 'postgres';
  /** The rows, as objects by column name. */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): T[];
  /** The first row as an object, if any. */
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): T | undefined;
  /** The rows, each an array of its columns. */
  rows<T extends unknown[] = unknown[]>(sql: string, params?: readonly unknown[]): T[];
  /** The first column of every row. */
  column<T = unknown>(sql: string, params?: readonly unknown[]): T[];
  /** The first column of the first row, if any. */
  value<T = unknown>(sql: string, params?: readonly unknown[]): T | undefined;
  /** Run one statement; how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): number;
  /**
   * `work` in one read transaction: every statement sees the same committed
   * state, whatever others commit meanwhile. Inside a transaction, `work` just runs.
   */
  read<T>(work: () => T): T;
  /**
   * `work` in one write transaction, committed when it returns, holding the
   * store's write lock from the start (SQLite's, or pops's advisory lock on
   * PostgreSQL): writers run one at a time, and none loses another's change.
   * Inside a transaction, `work` just runs.
   */
  write<T>(work: () => T): T;
  /** Like `read`, for work that awaits (a stream that waits for its reader). */
  readAsync<T>(work: () => Promise<T>): Promise<T>;
  close(): void;
}

type Statement = import('better-sqlite3').Statement<unknown[]>;

/** The SQLite store as a Db; `raw` is the better-sqlite3 connection, for the store code that needs it as it is. */
export class SqliteDb implements Db {
  readonly kind = 'sqlite';
  private readonly objects = new Map<string, Statement>();
  private readonly arrays = new Map<string, Statement>();
  private readonly plucked = new Map<string, Statement>();

  constructor(readonly raw: DB) {}

  all<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.statement(this.objects, sql).all(...params) as T[];
  }

  get<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.statement(this.objects, sql).get(...params) as T | undefined;
  }

  rows<T extends unknown[]>(sql: string, params: readonly unknown[] = []): T[] {
    return this.statement(this.arrays, sql, (statement) => statement.raw()).all(...params) as T[];
  }

  column<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.statement(this.plucked, sql, (statement) => statement.pluck()).all(...params) as T[];
  }

  value<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.statement(this.plucked, sql, (statement) => statement.pluck()).get(...params) as T | undefined;
  }

  run(sql: string, params: readonly unknown[] = []): number {
    return this.statement(this.objects, sql).run(...params).changes;
  }

  read<T>(work: () => T): T {
    return this.raw.inTransaction ? work() : this.raw.transaction(work).deferred();
  }

  write<T>(work: () => T): T {
    return this.raw.inTransaction ? work() : this.raw.transaction(work).immediate();
  }

  async readAsync<T>(work: () => Promise<T>): Promise<T> {
    if (this.raw.inTransaction) return work();
    this.raw.exec('BEGIN DEFERRED');
    try {
      const result = await work();
      this.raw.exec('COMMIT');
      return result;
    } finally {
      if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
    }
  }

  close(): void {
    this.raw.close();
  }

  private statement(cache: Map<string, Statement>, sql: string, mode?: (statement: Statement) => Statement): Statement {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = this.raw.prepare(sql);
      if (mode) statement = mode(statement);
      cache.set(sql, statement);
    }
    return statement;
  }
}

/**
 * A Db, or a better-sqlite3 connection: what the store functions that work on
 * both stores accept while the rest of the store code still takes
 * better-sqlite3's connection itself (toDb).
 */
export type DbLike = Db | DB;

/** `db` as a Db. */
export function toDb(db: DbLike): Db {
  return 'kind' in db ? db : sqliteDb(db);
}

const wrapped = new WeakMap<DB, SqliteDb>();

/** The Db of a better-sqlite3 connection (one per connection, so that its statements are prepared once). */
export function sqliteDb(raw: DB): SqliteDb {
  let db = wrapped.get(raw);
  if (db === undefined) {
    db = new SqliteDb(raw);
    wrapped.set(raw, db);
  }
  return db;
}

/**
 * A table of the elements of a JSON array given as one parameter, named
 * `alias` with one column `value`: on SQLite json_each (a number stays a
 * number), on PostgreSQL the elements as text (cast them with `asInteger`).
 */
export function jsonElements(db: Db, alias: string): string {
  return db.kind === 'sqlite' ? `json_each(?) AS ${alias}` : `jsonb_array_elements_text(?::jsonb) AS ${alias} (value)`;
}

/** `expression` (a text or a number) as an integer, as each dialect needs it for a comparison with an integer column. */
export function asInteger(db: Db, expression: string): string {
  return db.kind === 'sqlite' ? expression : `(${expression})::bigint`;
}
