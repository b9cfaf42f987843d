// The PostgreSQL store as a Db (../db.ts): the store code's `?` parameters
// become `$1`, `$2`…; a read is one REPEATABLE READ, READ ONLY transaction
// (one committed state), a write one SERIALIZABLE transaction, run again when
// a concurrent writer got there first (docs/store.md, "PostgreSQL").
import type { Db } from '../db.js';
import type { PgConnection } from './connection.js';

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

  run(sql: string, params: readonly unknown[] = []): number {
    return this.connection.run(this.sql(sql), [...params]);
  }

  read<T>(work: () => T): T {
    return this.within(work, { isolation: 'REPEATABLE READ', readOnly: true, retries: 0 });
  }

  write<T>(work: () => T): T {
    return this.within(work, { isolation: 'SERIALIZABLE' });
  }

  close(): void {
    this.connection.close();
  }

  private within<T>(work: () => T, options: Parameters<PgConnection['transaction']>[1]): T {
    if (this.inTransaction) return work();
    this.inTransaction = true;
    try {
      return this.connection.transaction(work, options);
    } finally {
      this.inTransaction = false;
    }
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
