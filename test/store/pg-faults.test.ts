// How a fault at connecting is reported (src/store/pg/faults.ts), for the
// faults the run's server cannot produce: an older server, and node-postgres's
// own errors, which carry no code.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/base/errors.js';
import { connectFault, PgFault, plainFault, secretsOf } from '../../src/store/pg/faults.js';

const URL = 'postgres://ann:s3cret-pw@db.example/pops';
const shown = 'postgres://ann@db.example/pops';
const reported = (error: unknown): Error => connectFault(new PgFault(plainFault(error, secretsOf(URL))), shown);

describe('faults at connecting', () => {
  it('a server older than PostgreSQL 14 is named as such', () => {
    const error = reported(
      Object.assign(new Error('unrecognized configuration parameter "client_connection_check_interval"'), { code: '42704', severity: 'FATAL' }),
    );
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toBe(`the PostgreSQL server of ${shown} is older than PostgreSQL 14, which pops needs`);
  });

  it("node-postgres's errors without a code: no password, a CA that must be given; each exit 4, the password scrubbed", () => {
    const none = reported(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'));
    expect(none).toBeInstanceOf(StoreError);
    expect(none.message).toBe(`no password for the PostgreSQL store ${shown}: none in the URL, PGPASSWORD or ~/.pgpass`);
    const ca = reported(new Error('SECURITY WARNING: Using sslmode=verify-ca requires specifying a CA with sslrootcert (s3cret-pw)'));
    expect(ca).toBeInstanceOf(StoreError);
    expect((ca as StoreError).exitCode).toBe(4);
    expect(ca.message).not.toContain('s3cret-pw');
    expect((ca as StoreError).hint).toMatch(/sslrootcert/);
  });

  it('closed before the login: without a word, "check the port"; ended by the server itself (57P01), "stopped answering"', () => {
    const silent = reported(new Error('Connection terminated unexpectedly'));
    expect(silent.message).toBe(`cannot open the PostgreSQL store ${shown}: the connection was closed before the login (Connection terminated unexpectedly)`);
    expect((silent as StoreError).hint).toMatch(/Check the port/);
    const ended = reported(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' }));
    expect(ended).toBeInstanceOf(StoreError);
    expect(ended.message).toBe(`the PostgreSQL store ${shown} stopped answering: terminating connection due to administrator command`);
    expect((ended as StoreError).exitCode).toBe(4);
  });

  it('anything else at connecting is still exit 4, with its message', () => {
    const odd = reported(new Error('something unforeseen'));
    expect(odd).toBeInstanceOf(StoreError);
    expect(odd.message).toBe(`cannot open the PostgreSQL store ${shown}: something unforeseen`);
  });
});
