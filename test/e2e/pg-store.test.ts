// A PostgreSQL store beside a store file (docs/store.md, "PostgreSQL"):
// export from one and import into the other gives identical exports, both
// ways; ids are never reused; an import that is killed, whose connection the
// server ends, or whose server stops, leaves the database as it was or fully
// imported, while a writer at the same time loses nothing; a snapshot set
// shows one committed state; doctor finds what it finds on a file.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, BIN, childEnv, DEMO_FIXTURE, makeStore, pops, popsBinary, ROOT, storeDigest, storeRows, storeSql, tempDir } from '../helpers/cli.js';
import { generateDump } from '../helpers/account-generator.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { pgAdminUrl, pgContents, pgDatabase, pgUrl, withConnection, withoutPasswordInUrl } from '../helpers/postgres.js';
import { newServerFolder, startPostgres } from '../helpers/pg-start.js';
import { openPostgres } from '../../src/store/pg/connection.js';

/** Hostile texts, every kind of encounter and payment, and accounts without figures of their own. */
const DUMP = generateDump(20261202, 600);

async function exported(db: string): Promise<string> {
  const result = await pops(['--db', db, 'export']);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

describe('export from one store, import into the other', () => {
  it('SQLite → PostgreSQL → SQLite: the three exports are identical', async () => {
    const file = await makeStore({ dump: DUMP });
    const first = await exported(file);
    const pg = await makeStore({}, 'postgres');
    const loaded = await pops(['--db', pg, 'import', '-'], { input: first });
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(loaded.stderr).toContain('pops: imported 4 groups, 600 accounts');
    const second = await exported(pg);
    expect(second).toBe(first);
    const back = await makeStore();
    expect((await pops(['--db', back, 'import', '-'], { input: second })).code).toBe(0);
    expect(await exported(back)).toBe(first);
  });

  it('the real binary, through a pipe: pops export --db old.db | pops import - --db postgres://…', async () => {
    const file = await makeStore({ demo: true });
    const pg = await makeStore({}, 'postgres');
    const dump = popsBinary(['--db', file, 'export']);
    const loaded = popsBinary(['import', '-', '--db', pg], { input: dump.stdout });
    expect(loaded.code, loaded.stderr).toBe(0);
    expect(popsBinary(['--db', pg, 'export']).stdout).toBe(dump.stdout);
  });

  it('import --replace: new groups get new ids, never those of the groups it deleted; the audit log keeps both', async () => {
    const pg = await makeStore({ demo: true }, 'postgres');
    const before = JSON.parse((await pops(['--db', pg, 'groups', 'list', '--json'])).stdout) as { id: number }[];
    const replaced = await pops(['--db', pg, 'import', '--replace', '-'], { input: await exported(pg) });
    expect(replaced.code, replaced.stderr).toBe(0);
    const after = JSON.parse((await pops(['--db', pg, 'groups', 'list', '--json'])).stdout) as { id: number }[];
    expect(after).toHaveLength(before.length);
    const oldIds = new Set(before.map((g) => g.id));
    expect(after.every((g) => !oldIds.has(g.id))).toBe(true);
    const audit = JSON.parse((await pops(['--db', pg, 'audit', '--json'])).stdout) as { action: string }[];
    expect(audit.filter((entry) => entry.action === 'delete')).toHaveLength(before.length);
    expect(audit.filter((entry) => entry.action === 'create')).toHaveLength(before.length * 2);
  });

  it('a bad dump into PostgreSQL: the same problems as into a file, nothing written (no id drawn either)', async () => {
    const bad = JSON.parse(JSON.stringify(DUMP));
    bad.accounts[3].encounters[0].lines[0].billed = '1.234';
    bad.accounts[500].group = 'Nowhere';
    const file = await makeStore({ demo: true });
    const pg = await makeStore({ demo: true }, 'postgres');
    const before = storeDigest(pg);
    const onFile = await pops(['--db', file, 'import', '-'], { input: JSON.stringify(bad) });
    const onPg = await pops(['--db', pg, 'import', '-'], { input: JSON.stringify(bad) });
    expect(onFile.code).toBe(2);
    expect(onPg).toEqual(onFile);
    expect(storeDigest(pg)).toBe(before);
  });
});

describe('faults at connecting, as a user meets them', () => {
  it('a port where something else than PostgreSQL listens: exit 4, one line saying so, whatever the sslmode', async () => {
    const impostor = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const port = (impostor.address() as net.AddressInfo).port;
    try {
      const tls = await runBinary(['--db', `postgres://ann@127.0.0.1:${port}/pops`, 'groups', 'list'], { PGPASSWORD: 'x' });
      expect(tls.code).toBe(4);
      expect(tls.stderr).toBe(
        `pops: cannot reach the PostgreSQL store postgres://ann@127.0.0.1:${port}/pops: what answers there is not a PostgreSQL server\nCheck the host and port, and that the server is running.\n`,
      );
      const plain = await runBinary(['--db', `postgres://ann@127.0.0.1:${port}/pops?sslmode=disable`, 'groups', 'list'], { PGPASSWORD: 'x' });
      expect(plain.code).toBe(4);
      expect(plain.stderr).toMatch(
        /^pops: cannot open the PostgreSQL store \S+: the connection was closed before the login \(.*\)\nCheck the port: is it a PostgreSQL server that listens there\?\n$/,
      );
    } finally {
      impostor.close();
    }
  });

  it('a password file that others may read is ignored, and the hint says so', async () => {
    const pg = await makeStore({}, 'postgres');
    const admin = new URL(pgAdminUrl());
    const file = path.join(tempDir(), 'pgpass');
    fs.writeFileSync(file, `*:*:*:${decodeURIComponent(admin.username)}:${decodeURIComponent(admin.password)}\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const open = popsBinary(['--db', pg, 'groups', 'list'], { env: { PGPASSFILE: file, PGPASSWORD: undefined } });
    expect(open.code).toBe(4);
    expect(open.stderr).toContain(`${file} is ignored: others may read it (mode 0644). Make it yours alone: chmod 600 ${file}\n`);
    fs.chmodSync(file, 0o600);
    expect(popsBinary(['--db', pg, 'groups', 'list'], { env: { PGPASSFILE: file, PGPASSWORD: undefined } }).code).toBe(0);
  });
});

/** The real binary, run without blocking this thread (a server of the test's own must keep answering). */
function runBinary(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

describe.each(BACKENDS)('three `pops init --demo` at once on an empty %s store', (backend) => {
  it('one makes the store and says so, one loads the demo data, the others say the store is not empty (exit 2); nothing is loaded twice', async () => {
    const db = backend === 'sqlite' ? path.join(tempDir(), 'pops.db') : withoutPasswordInUrl(pgDatabase());
    const runs = await Promise.all([0, 1, 2].map(() => runBinary(['--db', db, 'init', '--demo'])));
    expect(runs.map((run) => run.code).sort()).toEqual([0, 2, 2]);
    // One run made the store's schema and says so; it need not be the one that loaded the data.
    expect(runs.filter((run) => run.stderr.startsWith(`pops: created store ${db}\n`))).toHaveLength(1);
    for (const run of runs.filter((r) => r.code === 2)) {
      const refusal = `pops: store ${db} is not empty; --demo loads only into an empty store\nUse another --db path, or replace its content: pops import --replace ${DEMO_FIXTURE}\n`;
      expect([refusal, `pops: created store ${db}\n${refusal}`]).toContain(run.stderr);
    }
    expect(runs.find((run) => run.code === 0)!.stderr).toContain('pops: loaded the demo data: 3 groups, 36 accounts, 106 encounters\n');
    const dump = JSON.parse((await pops(['--db', db, 'export'])).stdout) as { accounts: unknown[]; groups: unknown[] };
    expect([dump.groups.length, dump.accounts.length]).toEqual([3, 36]);
  });
});

describe('one committed state per command on PostgreSQL', () => {
  it('every page of a snapshot set shows one state while another process commits every few milliseconds', async () => {
    const pg = await makeStore({ dump: DUMP }, 'postgres');
    storeSql(pg, "UPDATE groups SET footer_text = 'State 0'");
    // Another program, committing a new footer text for every group at once, again and again.
    const script = `
      const pg = require(process.argv[1]);
      const client = new pg.Client({ connectionString: process.argv[2] });
      client.connect().then(async () => {
        for (let n = 1; ; n += 1) await client.query("UPDATE groups SET footer_text = 'State ' || $1", [n]);
      });`;
    const writer = spawn(process.execPath, ['-e', script, path.join(ROOT, 'node_modules', 'pg'), pg], { env: childEnv(), stdio: 'ignore' });
    try {
      const state = () => storeRows(pg, 'SELECT footer_text FROM groups ORDER BY id LIMIT 1')[0].footer_text;
      for (let i = 0; i < 500 && state() === 'State 0'; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      const before = state();
      const dir = path.join(tempDir(), 'snapshots');
      const result = popsBinary(['--db', pg, 'preview', '--all', '--out', dir]);
      expect(result.code, result.stderr).toBe(0);
      const states = new Set<string>();
      for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        for (const match of fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8').matchAll(/State \d+/g)) states.add(match[0]);
      }
      expect(state(), 'the writer kept committing during the run').not.toBe(before);
      expect([...states], 'the pages show more than one state of the store').toHaveLength(1);
    } finally {
      writer.kill('SIGKILL');
    }
  }, 60_000);
});

describe('pops doctor on PostgreSQL', () => {
  it('figures changed or removed outside pops: the same findings as on a store file, exit 1', async () => {
    const file = await makeStore({ dump: DUMP });
    const pg = await makeStore({ dump: DUMP }, 'postgres');
    const [changed, removed] = (
      JSON.parse((await pops(['--db', file, 'accounts', 'list', '--json', '--limit', '2'])).stdout) as { accountNumber: string }[]
    ).map((row) => row.accountNumber);
    const edits = [
      ['UPDATE account_figures SET total_cents = total_cents + 1, collection_agencies = ? WHERE account_number = ?', '["Nobody"]', changed],
      ['DELETE FROM account_figures WHERE account_number = ?', removed],
    ] as const;
    for (const store of [file, pg]) for (const [sql, ...params] of edits) storeSql(store, sql, ...params);
    const onFile = await pops(['--db', file, 'doctor']);
    const onPg = await pops(['--db', pg, 'doctor']);
    expect(onFile.code).toBe(1);
    expect(onFile.stdout).toContain(`figures: account ${changed}: stored totalBalance, collectionAgencies differ`);
    const missing = `figures: account ${removed} has no stored balance figures (the store was changed outside pops); `;
    expect(onFile.stdout).toContain(`${missing}lists compute them from the line items\n`);
    // The same findings, but what the lists do about the missing figures.
    expect(onPg.stdout).toContain(`${missing}the account lists refuse the store until pops export, then pops import --replace, writes them again\n`);
    const sameBut = (text: string) => text.replace(/(has no stored balance figures \(the store was changed outside pops\); ).*/, '$1…');
    expect({ ...onPg, stdout: sameBut(onPg.stdout) }).toEqual({ ...onFile, stdout: sameBut(onFile.stdout) });
    // A store file's lists compute the missing figures; PostgreSQL's refuse rather than leave the account out.
    expect((await pops(['--db', file, 'accounts', 'list', '--all', '--json'])).code).toBe(0);
    const list = await pops(['--db', pg, 'accounts', 'list', '--all', '--json']);
    expect(list.code).toBe(4);
    expect(list.stderr).toMatch(
      /^pops: store is inconsistent: 1 account has no stored balance figures \(the store was changed outside pops\); no accounts listed\nRun `pops doctor`/,
    );
    expect(list.stdout).toBe('');
    // The repair the finding names: every account's figures written again.
    const repaired = await pops(['--db', pg, 'import', '--replace', '-'], { input: (await pops(['--db', pg, 'export'])).stdout });
    expect(repaired.code, repaired.stderr).toBe(0);
    expect((await pops(['--db', pg, 'doctor'])).stdout).not.toContain('figures:');
    expect((await pops(['--db', pg, 'accounts', 'list', '--all', '--json'])).code).toBe(0);
  });
});

/** The database's sessions of pops other than the watcher's own that are inside a transaction. */
function popsInTransaction(watcher: ReturnType<typeof openPostgres>): number[] {
  return watcher
    .arrays<[number]>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pops' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()",
    )
    .map(([pid]) => pid);
}

/** Start `pops <args>`; resolves once the server sees its transaction (a write's, or a read's) open, with the child and its end. */
async function startedWriting(args: string[], watcher: ReturnType<typeof openPostgres>, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let pids: number[] = [];
  while (child.exitCode === null && (pids = popsInTransaction(watcher)).length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(child.exitCode, `the run ended before its transaction began: ${stderr}`).toBeNull();
  return { child, pids, exited, stderr: () => stderr };
}

/** What the store holds before the import: one group (audited) and one account. */
const EXISTING = baseDump({
  facilities: [{ code: 'LAKE', name: 'Lakeside Main Clinic' }],
  accounts: [account('L-1', { encounters: [encounter({ number: 1, facility: 'LAKE', lines: [line(1, { billed: '10.00' })] })] })],
});

describe('an import cut short on PostgreSQL', () => {
  const big = path.join(tempDir(), 'big.json');
  fs.writeFileSync(big, JSON.stringify(generateDump(20261203, 3000)));

  it('killed (SIGKILL) at any moment of its transaction: the database as before, or fully imported', async () => {
    const template = await makeStore({ dump: EXISTING }, 'postgres');
    const before = pgContents(template);
    // Left alone, the import succeeds.
    const started = performance.now();
    const whole = popsBinary(['--db', template, 'import', big]);
    const wholeMs = performance.now() - started;
    expect(whole.code, whole.stderr).toBe(0);
    const outcomes: string[] = [];
    for (const delay of [0, 30, 150, Math.round(wholeMs * 0.7), Math.round(wholeMs * 1.5)]) {
      const pg = await makeStore({ dump: EXISTING }, 'postgres');
      const watcher = openPostgres(pg);
      try {
        const run = await startedWriting(['--db', pg, 'import', big], watcher);
        await new Promise((resolve) => setTimeout(resolve, delay));
        run.child.kill('SIGKILL');
        await run.exited;
      } finally {
        watcher.close();
      }
      const [[accounts]] = withConnection(pg, (db) => db.arrays<[number]>('SELECT count(*)::int FROM accounts'));
      if (accounts === 1) {
        // (sequences may have moved: ids drawn by a transaction that did not commit are never used)
        expect(JSON.parse(pgContents(pg))[0], `killed ${delay} ms in`).toEqual(JSON.parse(before)[0]);
        outcomes.push('before');
      } else {
        expect(accounts, `killed ${delay} ms in`).toBe(3001);
        expect(await exported(pg)).toContain('"accountNumber"');
        outcomes.push('after');
      }
    }
    if (process.env.POPS_TEST_VERBOSE) console.log(outcomes.join(', '));
    // The early kills landed inside the transaction; the last one after the commit.
    expect(outcomes.slice(0, 2)).toEqual(['before', 'before']);
    expect(outcomes.at(-1)).toBe('after');
  }, 90_000);

  it('the server ends its connection mid-import: exit 4 with one line, nothing written', async () => {
    const pg = await makeStore({ dump: EXISTING }, 'postgres');
    const before = pgContents(pg);
    const watcher = openPostgres(pg);
    try {
      const run = await startedWriting(['--db', pg, 'import', big], watcher);
      // At once: the rows go over in a short copy at the end of the transaction, and a wait of 50 ms let a
      // fast run commit before the server ended its connection (seen once on Node 24).
      for (const pid of run.pids) watcher.run('SELECT pg_terminate_backend($1)', [pid]);
      expect(await run.exited, run.stderr()).toBe(4);
      const lines = run.stderr().trim().split('\n');
      expect(lines[0]).toMatch(/^pops: .*PostgreSQL store/);
      expect(run.stderr()).not.toMatch(/\n\s+at /);
      if (process.env.POPS_TEST_VERBOSE) console.log(run.stderr());
    } finally {
      watcher.close();
    }
    expect(JSON.parse(pgContents(pg))[0]).toEqual(JSON.parse(before)[0]);
  }, 60_000);

  it('over a Unix socket too; the server stops mid-import (shut down for a restart): exit 4 with one line; started again, the database is as before', async () => {
    const folder = newServerFolder();
    let server = await startPostgres(folder);
    try {
      const password = decodeURIComponent(new URL(server.url).password);
      withConnection(server.url, (admin) => admin.run('CREATE DATABASE pops'));
      const bare = pgUrl(server.url, { database: 'pops', password: null });
      const env = { PGPASSWORD: password };
      expect(popsBinary(['--db', bare, 'init'], { env }).code).toBe(0);
      expect(popsBinary(['--db', bare, 'import', '-'], { env, input: JSON.stringify(EXISTING) }).code).toBe(0);
      // The same database through the server's Unix socket (its folder in the URL, as libpq takes it).
      const socket = `postgres:///pops?host=${encodeURIComponent(path.join(folder, 'data'))}&port=${new URL(server.url).port}&user=postgres`;
      const overSocket = popsBinary(['--db', socket, 'groups', 'list', '--json'], { env });
      expect(overSocket.code, overSocket.stderr).toBe(0);
      expect(popsBinary(['--db', bare, 'groups', 'list', '--json'], { env }).stdout).toBe(overSocket.stdout);
      const before = pgContents(pgUrl(server.url, { database: 'pops' }));
      const watcher = openPostgres(pgUrl(server.url, { database: 'pops' }));
      let run;
      try {
        run = await startedWriting(['--db', bare, 'import', big], watcher, env);
      } finally {
        watcher.close();
      }
      await server.stop(true);
      expect(await run.exited, run.stderr()).toBe(4);
      expect(run.stderr()).toMatch(/^pops: the PostgreSQL store \S+ stopped answering: /);
      expect(run.stderr().trim().split('\n').length).toBeLessThanOrEqual(2);
      server = await startPostgres(folder);
      expect(JSON.parse(pgContents(pgUrl(server.url, { database: 'pops' })))[0]).toEqual(JSON.parse(before)[0]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('the server ends its connection mid-export --out: exit 4, the file as it was, no temporary file left', async () => {
    const pg = await makeStore({}, 'postgres');
    expect(popsBinary(['--db', pg, 'import', big]).code).toBe(0);
    const folder = tempDir();
    const out = path.join(folder, 'backup.json');
    fs.writeFileSync(out, 'the previous backup\n', { mode: 0o600 });
    const watcher = openPostgres(pg);
    try {
      const run = await startedWriting(['--db', pg, 'export', '--out', out], watcher);
      for (const pid of run.pids) watcher.run('SELECT pg_terminate_backend($1)', [pid]);
      expect(await run.exited, run.stderr()).toBe(4);
      expect(run.stderr()).toMatch(/^pops: the PostgreSQL store \S+ stopped answering/);
    } finally {
      watcher.close();
    }
    expect(fs.readFileSync(out, 'utf8')).toBe('the previous backup\n');
    expect(fs.readdirSync(folder)).toEqual(['backup.json']);
  }, 60_000);

  it('a groups change made while an import runs waits for it, and both are kept', async () => {
    const pg = await makeStore({ dump: EXISTING }, 'postgres');
    const watcher = openPostgres(pg);
    try {
      const run = await startedWriting(['--db', pg, 'import', big], watcher);
      const set = await pops(['--db', pg, 'groups', 'set', 'Lakeside Pediatrics', '--footer-phone', '(312) 555-0199'], {
        env: { POPS_BUSY_TIMEOUT_MS: '60000' },
      });
      expect(set.code, set.stderr).toBe(0);
      expect(await run.exited, run.stderr()).toBe(0);
    } finally {
      watcher.close();
    }
    const dump = JSON.parse(await exported(pg));
    expect(dump.accounts).toHaveLength(3001);
    expect(dump.groups.find((g: { name: string }) => g.name === 'Lakeside Pediatrics').footerPhone).toBe('+13125550199');
  }, 60_000);
});
