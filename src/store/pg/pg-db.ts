// The PostgreSQL store as a Db (../db.ts): the store code's `?` parameters
// become `$1`, `$2`…; a read is one REPEATABLE READ, READ ONLY transaction
// (one committed state); a write takes pops's write lock first, so that pops's
// writers run one at a time, as on SQLite, and each sees what the one before
// it committed: no change is lost, and no writer has to be run again
// (docs/store.md, "PostgreSQL"). Readers never wait for it.
import type { Db } from '../db.js';
import type { PgConnection, TransactionOptions } from './connection.js';

/** The advisory lock of pops's writers ("pops" + 1; migrations take "pops"). */
const WRITE_LOCK = 0x706f7074;
const READ: TransactionOptions = { isolation: 'REPEATABLE READ', readOnly: true, retries: 0 };
const WRITE: TransactionOptions = { isolation: 'READ COMMITTED', lock: WRITE_LOCK };

export class PgDb implements Db {
  readonly kind = 'postgres';
  private inTransaction = false;
  private readonly numbered = new Map<string, string>();

  constructor(readonly connection: PgConnection) {}

  all<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.connection.rows<T>(this.sql(sql), [...params]);
  }

  get<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  rows<T extends unknown[]>(sql: string, params: readonly unknown[] = []): T[] {
    return this.connection.arrays<T>(this.sql(sql), [...params]);
  }

  column<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.rows<[T]>(sql, params).map((row) => row[0]);
  }

  value<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.rows<[T]>(sql, params)[0]?.[0];
  }

  /** The rows of a query read a batch at a time through a server-side cursor (memory stays flat), as arrays. */
  cursor<T extends unknown[]>(sql: string, params: readonly unknown[] = [], batch?: number): Generator<T> {
    return this.connection.cursor<T>(this.sql(sql), [...params], batch);
  }

  run(sql: string, params: readonly unknown[] = []): number {
    return this.connection.run(this.sql(sql), [...params]);
  }

  read<T>(work: () => T): T {
    return this.within(work, READ);
  }

  write<T>(work: () => T): T {
    return this.within(work, WRITE);
  }

  async readAsync<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return work();
    return this.openedAsync(READ, work);
  }

  /** Begin a write transaction as `write` makes it, for work driven from outside (import); end it with `commit` or `rollback`. */
  beginWrite(): void {
    this.connection.begin(WRITE);
    this.inTransaction = true;
    this.mayWait();
  }

  commit(): void {
    try {
      this.connection.commit();
    } finally {
      this.inTransaction = false;
    }
  }

  rollback(): void {
    this.inTransaction = false;
    this.connection.rollback();
  }

  close(): void {
    this.connection.close();
  }

  private async openedAsync<T>(options: TransactionOptions, work: () => Promise<T>): Promise<T> {
    this.inTransaction = true;
    try {
      this.connection.begin(options);
      try {
        this.mayWait();
        const result = await work();
        this.connection.commit();
        return result;
      } catch (error) {
        this.connection.rollback();
        throw error;
      }
    } finally {
      this.inTransaction = false;
    }
  }

  private within<T>(work: () => T, options: TransactionOptions): T {
    if (this.inTransaction) return work();
    this.inTransaction = true;
    try {
      return this.connection.transaction(work, options);
    } finally {
      this.inTransaction = false;
    }
  }

  /**
   * The transaction may stay idle as long as it takes: an import reading a
   * slow pipe, checking a long dump before it writes anything, or an export
   * waiting for its reader (a pager). The connection's limit (60 s, for a
   * command that hangs) would otherwise end it midway; a killed pops still
   * ends it, with its connection.
   */
  private mayWait(): void {
    this.connection.run('SET LOCAL idle_in_transaction_session_timeout = 0');
  }

  /** `sql` with its `?` parameters numbered (`?` inside a quoted text or name is left alone). */
  private sql(sql: string): string {
    let numbered = this.numbered.get(sql);
    if (numbered === undefined) {
      let n = 0;
      numbered = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === '?' ? `$${(n += 1)}` : match));
      this.numbered.set(sql, numbered);
    }
    return numbered;
  }
}
