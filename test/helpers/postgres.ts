// The PostgreSQL side of the tests: the run's server (test/global-setup.ts)
// and a database of its own for each test that asks.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { openPostgres, type PgConnection } from '../../src/store/pg/connection.js';

/** The run's server: a URL (with its password) whose user may create databases. */
export const pgAdminUrl = (): string => inject('pgAdminUrl');

/** `url` with another user, password or database (undefined: as it is; null: none). */
export function pgUrl(
  url: string,
  change: { user?: string; password?: string | null; database?: string; port?: number; host?: string; query?: string },
): string {
  const parsed = new URL(url);
  if (change.user !== undefined) parsed.username = change.user;
  if (change.password !== undefined) parsed.password = change.password ?? '';
  if (change.database !== undefined) parsed.pathname = `/${change.database}`;
  if (change.port !== undefined) parsed.port = String(change.port);
  if (change.host !== undefined) parsed.hostname = change.host;
  if (change.query !== undefined) parsed.search = change.query;
  return parsed.toString();
}

const made: string[] = [];

/** A new database on the run's server, for one test: its URL (with the password). Empty, or a copy of the database at `template`. */
export function pgDatabase(template?: string): string {
  const name = `pops_test_${crypto.randomBytes(6).toString('hex')}`;
  const from = template === undefined ? '' : ` TEMPLATE ${new URL(template).pathname.slice(1)}`;
  withAdmin((admin) => admin.run(`CREATE DATABASE ${name}${from}`));
  made.push(name);
  return pgUrl(pgAdminUrl(), { database: name });
}

/** Drop the databases this test file made (call in afterAll). */
export function dropTestDatabases(): void {
  if (made.length === 0) return;
  withAdmin((admin) => {
    for (const name of made.splice(0)) admin.run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
}

/** `work` with a connection to `url`, closed afterwards whatever happens. */
export function withConnection<T>(url: string, work: (db: PgConnection) => T): T {
  const db = openPostgres(url);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/**
 * The test's own reads and changes of a database (not pops's): through one of
 * the few connections this test file keeps open, as a tool of the team's
 * would, instead of a new connection (and its thread) each time. A
 * connection that failed is closed and not used again.
 */
const kept = new Map<string, PgConnection>();
const KEPT_AT_MOST = 3;

export function withKeptConnection<T>(url: string, work: (db: PgConnection) => T): T {
  let db = kept.get(url);
  if (db === undefined) {
    db = openPostgres(url);
    if (kept.size >= KEPT_AT_MOST) {
      const [oldest, connection] = kept.entries().next().value!;
      kept.delete(oldest);
      connection.close();
    }
  } else kept.delete(url);
  kept.set(url, db);
  try {
    return work(db);
  } catch (error) {
    kept.delete(url);
    db.close();
    throw error;
  }
}

/** `work` with a connection to the run's server as its admin user. */
export const withAdmin = <T>(work: (admin: PgConnection) => T): T => withKeptConnection(pgAdminUrl(), work);

/** What the database holds: each table's rows in order, and where each sequence stands, as JSON. */
export function pgContents(url: string): string {
  return withKeptConnection(url, (db) => {
    const tables = db
      .arrays<[string]>('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name')
      .map(([t]) => t);
    const sequences = db.arrays('SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1');
    return JSON.stringify([tables.map((table) => [table, db.arrays(`SELECT * FROM ${table} AS t ORDER BY t`)]), sequences]);
  });
}

/**
 * `url` without its password, as a team would give it (docs/store.md,
 * "PostgreSQL"): the password comes from a password file that PGPASSFILE names
 * in this process (and in the children popsBinary starts), made once.
 */
export function withoutPasswordInUrl(url: string): string {
  if (process.env.PGPASSFILE === undefined) {
    const admin = new URL(pgAdminUrl());
    const file = path.join(inject('runDir'), `pgpass-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    fs.writeFileSync(file, `${admin.hostname}:${admin.port}:*:${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}\n`, { mode: 0o600 });
    process.env.PGPASSFILE = file;
  }
  return pgUrl(url, { password: null });
}
