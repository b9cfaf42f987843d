// The synchronous PostgreSQL connection (src/store/pg/connection.ts) against
// the run's real server: values as the store code expects them, cursors,
// transactions that lose no concurrent change, and every connection fault as
// one line, exit 4, without the password (docs/store.md, "PostgreSQL").
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/base/errors.js';
import { openPostgres } from '../../src/store/pg/connection.js';
import { PgFault } from '../../src/store/pg/faults.js';
import { tempDir } from '../helpers/cli.js';
import { dropTestDatabases, pgAdminUrl, pgDatabase, pgUrl, withAdmin, withConnection } from '../helpers/postgres.js';

afterAll(dropTestDatabases);

/** The error `open` throws. */
function failureOf(open: () => unknown): StoreError {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('it opened');
}

const password = (): string => decodeURIComponent(new URL(pgAdminUrl()).password);

describe('values, cursors and transactions', () => {
  it('bigint as a number, a date as its text, rows as arrays or objects; statements and their row counts', () => {
    withConnection(pgDatabase(), (db) => {
      db.exec('CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, cents bigint NOT NULL, day date, name text)');
      expect(db.run('INSERT INTO t (cents, day, name) VALUES ($1, $2, $3), ($4, NULL, $5)', [9_007_199_254_740_991, '2026-12-02', 'Zoë', -5, '名前'])).toBe(2);
      expect(db.arrays('SELECT id, cents, day, name FROM t ORDER BY id')).toEqual([
        [1, 9_007_199_254_740_991, '2026-12-02', 'Zoë'],
        [2, -5, null, '名前'],
      ]);
      expect(db.rows('SELECT name FROM t WHERE cents < $1', [0])).toEqual([{ name: '名前' }]);
    });
  });

  it('a cursor gives every row in order, a batch at a time, and the connection works after it', () => {
    withConnection(pgDatabase(), (db) => {
      db.exec('CREATE TABLE t (n bigint); INSERT INTO t SELECT generate_series(1, 2500)');
      const seen = [...db.cursor<[number]>('SELECT n FROM t ORDER BY n', [], 1000)].map(([n]) => n);
      expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
      expect(db.arrays('SELECT count(*)::int FROM t')).toEqual([[2500]]);
    });
  });

  it('a transaction is committed when its work returns and rolled back when it throws', () => {
    withConnection(pgDatabase(), (db) => {
      db.exec('CREATE TABLE t (n int)');
      db.transaction(() => db.run('INSERT INTO t VALUES (1)'));
      expect(() =>
        db.transaction(() => {
          db.run('INSERT INTO t VALUES (2)');
          throw new Error('changed my mind');
        }),
      ).toThrow('changed my mind');
      expect(db.arrays('SELECT n FROM t')).toEqual([[1]]);
    });
  });

  it('a transaction whose statement failed is not committed, even when its work caught the failure', () => {
    withConnection(pgDatabase(), (db) => {
      db.exec('CREATE TABLE t (n int PRIMARY KEY)');
      expect(() =>
        db.transaction(() => {
          db.run('INSERT INTO t VALUES (1)');
          try {
            db.run('INSERT INTO t VALUES (1)');
          } catch {
            // swallowed: the transaction is still aborted
          }
        }),
      ).toThrow(/rolled back/);
      expect(db.arrays('SELECT count(*)::int FROM t')).toEqual([[0]]);
    });
  });

  it('SERIALIZABLE: a writer that lost the race is run again and no change is lost', () => {
    const url = pgDatabase();
    withConnection(url, (setup) => setup.exec('CREATE TABLE counter (n int); INSERT INTO counter VALUES (0)'));
    const first = openPostgres(url);
    const second = openPostgres(url);
    try {
      let attempts = 0;
      first.transaction(
        () => {
          attempts += 1;
          const [[n]] = first.arrays<[number]>('SELECT n FROM counter');
          // Meanwhile, the first time only, another writer commits its own increment.
          if (attempts === 1) second.transaction(() => second.run('UPDATE counter SET n = n + 1'), { isolation: 'SERIALIZABLE' });
          first.run('UPDATE counter SET n = $1', [n + 1]);
        },
        { isolation: 'SERIALIZABLE' },
      );
      expect(attempts).toBe(2);
      expect(first.arrays('SELECT n FROM counter')).toEqual([[2]]);
    } finally {
      first.close();
      second.close();
    }
  });

  it('a SQL failure is a PgFault with its SQLSTATE, and the connection goes on', () => {
    withConnection(pgDatabase(), (db) => {
      const failure = (() => {
        try {
          db.run('SELECT * FROM missing_table');
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toBeInstanceOf(PgFault);
      expect((failure as PgFault).code).toBe('42P01');
      expect(db.arrays('SELECT 1')).toEqual([[1]]);
    });
  });
});

describe('connection faults: exit 4, one line, no password', () => {
  it('refused, unknown host, wrong password, missing database', () => {
    const admin = pgAdminUrl();
    const cases: [string, RegExp][] = [
      [pgUrl(admin, { port: 1 }), /^cannot reach the PostgreSQL store postgres:\/\/[^:]+@127\.0\.0\.1:1\/postgres: connection refused$/],
      [pgUrl(admin, { host: 'no-such-host.invalid' }), /: unknown host$/],
      [pgUrl(admin, { password: 'not-the-password' }), /refused the login: password authentication failed for user "postgres"$/],
      [pgUrl(admin, { database: 'no_such_database' }), /\/no_such_database does not exist: database "no_such_database" does not exist$/],
    ];
    for (const [url, message] of cases) {
      const error = failureOf(() => openPostgres(url, { connectTimeoutMs: 5000 }));
      expect(error.exitCode).toBe(4);
      expect(error.message).toMatch(message);
      expect(`${error.message}\n${error.hint}\n${error.stack}`).not.toContain(password());
      expect(error.message).not.toContain('not-the-password');
    }
  });

  it('a server that requires TLS of this user, and TLS asked of a server without it, each say what to change', () => {
    const required = failureOf(() => openPostgres(pgUrl(pgAdminUrl(), { user: 'tls_only' })));
    expect(required.exitCode).toBe(4);
    expect(required.message).toMatch(/no encryption/);
    expect(required.hint).toMatch(/sslmode=require/);
    const offered = failureOf(() => openPostgres(pgUrl(pgAdminUrl(), { query: '?sslmode=require' })));
    expect(offered.message).toMatch(/does not support SSL/);
    expect(offered.hint).toMatch(/does not offer TLS/);
  });

  it('the password may come from PGPASSWORD or from a password file instead of the URL', () => {
    const bare = pgUrl(pgAdminUrl(), { password: null });
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    try {
      process.env.PGPASSWORD = password();
      expect(withConnection(bare, (db) => db.arrays('SELECT 1'))).toEqual([[1]]);
      delete process.env.PGPASSWORD;
      const file = path.join(tempDir(), 'pgpass');
      const { hostname, port } = new URL(pgAdminUrl());
      fs.writeFileSync(file, `${hostname}:${port}:*:postgres:${password()}\n`, { mode: 0o600 });
      process.env.PGPASSFILE = file;
      expect(withConnection(bare, (db) => db.arrays('SELECT 2'))).toEqual([[2]]);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('a connection the server ends mid-command: exit 4 for that call and every later one', () => {
    withConnection(pgDatabase(), (db) => {
      const [[pid]] = db.arrays<[number]>('SELECT pg_backend_pid()');
      withAdmin((admin) => admin.run('SELECT pg_terminate_backend($1)', [pid]));
      const lost = failureOf(() => db.arrays('SELECT 1'));
      expect(lost.exitCode).toBe(4);
      expect(lost.message).toMatch(/stopped answering/);
      expect(failureOf(() => db.arrays('SELECT 1')).message).toBe(lost.message);
    });
  });

  it('a connection the network drops while a statement is being sent: "stopped answering", not "cannot reach"', async () => {
    // A TCP relay in a process of its own (this thread waits while pops's connection works). Once
    // told (SIGUSR1), it resets the connection as soon as pops sends anything: pops is still
    // writing a long statement when the reset comes back (EPIPE or ECONNRESET, not a goodbye
    // from the server), as when a server goes away in the middle of an import.
    const target = new URL(pgDatabase());
    const { relay, said } = startRelay(target, 'signal');
    try {
      const port = Number(await said('its port'));
      const db = openPostgres(pgUrl(target.href, { host: '127.0.0.1', port }));
      try {
        expect(db.arrays('SELECT 1')).toEqual([[1]]);
        const armed = said('armed');
        relay.kill('SIGUSR1');
        expect(await armed).toBe('armed');
        const lost = failureOf(() => db.arrays('SELECT length($1::text)', ['x'.repeat(8_000_000)]));
        expect(lost.exitCode).toBe(4);
        expect(lost.message).toMatch(/^the PostgreSQL store \S+ stopped answering: /);
        expect(lost.hint).toMatch(/not saved/);
        expect(failureOf(() => db.arrays('SELECT 3')).message).toBe(lost.message);
      } finally {
        db.close();
      }
    } finally {
      relay.kill();
    }
  });

  it('a connection reset just after the login, in its first query: "stopped answering", not "cannot reach" or "closed before the login"', async () => {
    const target = new URL(pgDatabase());
    const { relay, said } = startRelay(target, 'first-query');
    try {
      const port = Number(await said('its port'));
      const lost = failureOf(() => openPostgres(pgUrl(target.href, { host: '127.0.0.1', port })));
      expect(lost.exitCode).toBe(4);
      expect(lost.message).toMatch(/^the PostgreSQL store \S+ stopped answering: /);
      expect(lost.hint).toMatch(/not saved/);
    } finally {
      relay.kill();
    }
  });

  it('a statement without a result in time is cancelled on the server: exit 4, and the connection goes on', () => {
    const db = openPostgres(pgDatabase(), { timeoutMs: 300 });
    try {
      const slow = failureOf(() => db.arrays('SELECT pg_sleep(5)'));
      expect(slow.exitCode).toBe(4);
      expect(slow.message).toMatch(/no result within 0\.3 s/);
      expect(db.arrays('SELECT 3')).toEqual([[3]]);
    } finally {
      db.close();
    }
  });
});

/**
 * A TCP relay to `host port` that prints the port it listens on and resets
 * a connection (no goodbye from the server) as soon as its client sends
 * anything once armed: on SIGUSR1 (it prints "armed"), or, with
 * `first-query`, from the client's first query on (a message starting with
 * Q or P: the login is done by then).
 */
const RELAY = `
const net = require('node:net');
const [host, port, mode] = process.argv.slice(1);
let armed = false;
const server = net.createServer((client) => {
  const upstream = net.connect(Number(port), host);
  client.on('data', (chunk) => {
    const query = chunk[0] === 0x51 || chunk[0] === 0x50;
    if (armed || (mode === 'first-query' && query)) { upstream.destroy(); client.resetAndDestroy(); } else upstream.write(chunk);
  });
  upstream.pipe(client);
  const end = () => { client.destroy(); upstream.destroy(); };
  for (const socket of [client, upstream]) { socket.on('error', end); socket.on('close', end); }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGUSR1', () => { armed = true; console.log('armed'); });
`;

/** The relay started towards `url`'s server, and what it prints, a line at a time. */
function startRelay(url: URL, mode: 'signal' | 'first-query') {
  const relay = spawn(process.execPath, ['-e', RELAY, url.hostname, url.port, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const said = (what: string) =>
    new Promise<string>((resolve, reject) => {
      relay.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      relay.once('exit', () => reject(new Error(`the relay stopped before saying ${what}`)));
    });
  return { relay, said };
}
