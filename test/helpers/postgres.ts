// The PostgreSQL side of the tests: the run's server (test/global-setup.ts)
// and a database of its own for each test that asks.
import crypto from 'node:crypto';
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

/** A new, empty database on the run's server, for one test: its URL (with the password). */
export function pgDatabase(): string {
  const name = `pops_test_${crypto.randomBytes(6).toString('hex')}`;
  withAdmin((admin) => admin.run(`CREATE DATABASE ${name}`));
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

/** `work` with a connection to the run's server as its admin user. */
export const withAdmin = <T>(work: (admin: PgConnection) => T): T => withConnection(pgAdminUrl(), work);
