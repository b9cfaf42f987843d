// pops init, the groups commands and pops audit on a PostgreSQL store, against
// the run's real server (docs/store.md, "PostgreSQL"): the same output as on a
// store file, writers that lose no change, and a kill that leaves the
// database before or after.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { BIN, childEnv, pops, popsBinary, tempDir } from '../helpers/cli.js';
import { dropTestDatabases, pgAdminUrl, pgContents, pgDatabase, pgUrl, withAdmin } from '../helpers/postgres.js';
import { openPostgres } from '../../src/store/pg/connection.js';
import { withoutPassword } from '../../src/base/secrets.js';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.js';

afterAll(dropTestDatabases);

/** A new database with the pops schema (pops init). */
async function pgStore(): Promise<string> {
  const url = pgDatabase();
  const init = await pops(['--db', url, 'init']);
  expect(init.code, init.stderr).toBe(0);
  return url;
}

/** What an empty database holds (pgContents). */
const EMPTY = '[[],[]]';

const PASSWORD_WARNING = 'holds a password, which others on this machine may read; prefer PGPASSWORD or ~/.pgpass';

describe('pops init on PostgreSQL', () => {
  it('makes the schema in an empty database, then finds it up to date; names the URL without its password, and warns of it once', async () => {
    const url = pgDatabase();
    const first = await pops(['--db', url, 'init']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`pops: created store ${withoutPassword(url)}\n`);
    expect(first.stderr.split(PASSWORD_WARNING)).toHaveLength(2);
    expect(first.stderr).not.toContain(new URL(url).password);
    const again = await pops(['--db', url, 'init']);
    expect(again.stderr).toContain(`pops: store ${withoutPassword(url)} is up to date (schema ${SCHEMA_VERSION})\n`);
  });

  it('a database with other tables, or without the pops schema: exit 4, nothing written', async () => {
    const other = pgDatabase();
    const db = openPostgres(other);
    db.exec('CREATE TABLE invoices (id int)');
    db.close();
    const before = pgContents(other);
    const refused = await pops(['--db', other, 'init']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`pops: not a pops store (a database with other tables): ${withoutPassword(other)}\n`);
    expect(pgContents(other)).toBe(before);
    const empty = pgDatabase();
    const list = await pops(['--db', empty, 'groups', 'list']);
    expect(list.code).toBe(4);
    expect(list.stderr).toContain('not a pops store (no pops schema in this database)');
    expect(pgContents(empty)).toBe(EMPTY);
  });

  it('--demo on PostgreSQL loads the same demo data as into a file; a second time it refuses, nothing written', async () => {
    const url = pgDatabase();
    const result = await pops(['--db', url, 'init', '--demo']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('pops: loaded the demo data: 3 groups, 36 accounts, 106 encounters\n');
    const file = path.join(tempDir(), 'demo.db');
    expect((await pops(['--db', file, 'init', '--demo'])).code).toBe(0);
    expect((await pops(['--db', url, 'export'])).stdout).toBe((await pops(['--db', file, 'export'])).stdout);
    const before = pgContents(url);
    const again = await pops(['--db', url, 'init', '--demo']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`pops: store ${withoutPassword(url)} is not empty`);
    expect(again.stderr).not.toContain(new URL(url).password);
    expect(pgContents(url)).toBe(before);
  });

  it('the password may come from PGPASSWORD instead of the URL: no warning then', () => {
    const url = pgDatabase();
    const bare = pgUrl(url, { password: null });
    const result = popsBinary(['--db', bare, 'init'], { env: { PGPASSWORD: decodeURIComponent(new URL(url).password) } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain(PASSWORD_WARNING);
  });
});

describe('URLs, passwords and privileges', () => {
  it('a password is never shown: in a password= parameter, or typed without percent-encoding in a URL that does not parse', async () => {
    const url = await pgStore();
    const { password } = new URL(url);
    const inQuery = pgUrl(url, { password: null, query: `?password=${password}` });
    const listed = await pops(['--db', inQuery, 'groups', 'list'], { env: { POPS_DEBUG: '1' } });
    expect(listed.code, listed.stderr).toBe(0);
    const wrong = await pops(['--db', pgUrl(url, { password: null, query: '?password=wrong-password-1&sslmode=disable' }), 'groups', 'list']);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('sslmode=disable');
    const raw = await pops(['--db', 'postgres://carol:p@ss:w/rd#?@127.0.0.1:1/db', 'groups', 'list']);
    expect(raw.code).toBe(2);
    const blank = await pops(['--db', 'postgres://carol:my secret@127.0.0.1/db', 'groups', 'list']);
    expect(blank.code).toBe(2);
    for (const [result, secret] of [
      [listed, password],
      [wrong, 'wrong-password-1'],
      [raw, 'ss:w/rd'],
      [blank, 'secret'],
    ] as const) {
      expect(result.stderr).not.toContain(secret);
    }
  });

  it('no password anywhere, or an sslmode that does not exist: one line saying so', async () => {
    const url = pgUrl(await pgStore(), { password: null });
    const none = popsBinary(['--db', url, 'groups', 'list'], { env: { PGPASSWORD: undefined, PGPASSFILE: path.join(tempDir(), 'none') } });
    expect(none.code).toBe(4);
    expect(none.stderr).toContain(`pops: no password for the PostgreSQL store ${url}: none in the URL, PGPASSWORD or ~/.pgpass\n`);
    const bogus = await pops(['--db', `${url}?sslmode=bogus`, 'groups', 'list']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('sslmode=bogus is not an sslmode');
  });

  it('sslmode=prefer (as when none is given) connects to a server without TLS; sslmode=require says the server does not offer it', async () => {
    const url = await pgStore();
    expect((await pops(['--db', pgUrl(url, { query: '?sslmode=prefer' }), 'groups', 'list'])).code).toBe(0);
    const required = await pops(['--db', pgUrl(url, { query: '?sslmode=require' }), 'groups', 'list']);
    expect(required.code).toBe(4);
    expect(required.stderr).toContain('The server does not offer TLS');
  });

  it('a user without the privileges pops needs: exit 4 naming what was refused', async () => {
    const url = await pgStore();
    const role = `reader_${Date.now()}`;
    withAdmin((admin) => admin.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'reader-password'`));
    const result = await pops(['--db', pgUrl(url, { user: role, password: 'reader-password' }), 'groups', 'list']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/refused: permission denied for table/);
    withAdmin((admin) => admin.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`));
  });

  it('a database that is not UTF-8, or holds a view: init refuses it, nothing written', async () => {
    const latin = `pops_latin_${Date.now()}`;
    withAdmin((admin) => admin.exec(`CREATE DATABASE ${latin} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`));
    const latinUrl = pgUrl(pgAdminUrl(), { database: latin });
    const refused = await pops(['--db', latinUrl, 'init']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("the database's encoding is LATIN1, and pops needs UTF8");
    expect(pgContents(latinUrl)).toBe(EMPTY);
    withAdmin((admin) => admin.exec(`DROP DATABASE ${latin} WITH (FORCE)`));
    const withView = pgDatabase();
    const db = openPostgres(withView);
    db.exec('CREATE VIEW v AS SELECT 1 AS one');
    db.close();
    for (const command of [['init'], ['groups', 'list']]) {
      const result = await pops(['--db', withView, ...command]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('not a pops store (a database with other tables)');
    }
  });

  it("a writer that waits for another's write lock longer than the wait: exit 4, store is busy", async () => {
    const url = await pgStore();
    expect((await pops(['--db', url, 'groups', 'create', 'A'])).code).toBe(0);
    const holder = openPostgres(url);
    try {
      holder.exec('BEGIN');
      holder.run('SELECT pg_advisory_xact_lock($1)', [0x706f7074]);
      const started = Date.now();
      const blocked = await pops(['--db', url, 'groups', 'set', 'A', '--footer-text', 'x'], { env: { POPS_BUSY_TIMEOUT_MS: '300' } });
      expect(blocked.code).toBe(4);
      expect(blocked.stderr).toContain('store is busy');
      expect(Date.now() - started).toBeLessThan(10_000);
      holder.exec('ROLLBACK');
    } finally {
      holder.close();
    }
  });
});

describe('the groups commands and audit: the same on PostgreSQL as on a store file', () => {
  const SCRIPT: string[][] = [
    ['groups', 'create', 'Lakeside Pediatrics', '--show-collections', 'on', '--footer-phone', '(312) 555-0199'],
    ['groups', 'create', 'Harbor Dermatology'],
    ['groups', 'create', 'lakeside pediatrics'],
    ['groups', 'set', 'Harbor Dermatology', '--footer-text', 'Open on Saturdays', '--landing-page', 'pay', '--theme-primary', '#0a7e8c'],
    ['groups', 'collections', 'Harbor Dermatology', 'on', '--dry-run'],
    ['groups', 'collections', 'Harbor Dermatology', 'on'],
    ['groups', 'footer-number', 'Harbor Dermatology', '+1 415 555 0100'],
    ['groups', 'set', 'Harbor Dermatology', '--name', 'Harbor Skin'],
    ['groups', 'show', 'harbor skin', '--json'],
    ['groups', 'list', '--json'],
    ['groups', 'list'],
    ['groups', 'export', '--format', 'csv'],
    ['groups', 'show', 'Nowhere'],
    ['groups', 'delete', 'Lakeside Pediatrics', '--yes'],
    ['audit', '--json'],
    ['audit', '--group', 'Lakeside Pediatrics'],
  ];

  it('every command of a script prints the same and exits the same on both stores', async () => {
    const file = path.join(tempDir(), 'pops.db');
    expect((await pops(['--db', file, 'init'])).code).toBe(0);
    const url = await pgStore();
    // Times and batch ids differ from run to run.
    const steady = (text: string) =>
      text
        .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d/g, '<time>')
        .replace(/[0-9a-f]{8}-[0-9a-f-]{27}|(?<=│ )[0-9a-f]{8}(?= │)/g, '<batch>');
    for (const args of SCRIPT) {
      const onFile = await pops(['--db', file, '--actor', 'ann', ...args]);
      const onPg = await pops(['--db', url, '--actor', 'ann', ...args]);
      expect({ code: onPg.code, stdout: steady(onPg.stdout) }, args.join(' ')).toEqual({ code: onFile.code, stdout: steady(onFile.stdout) });
      expect(onPg.stderr.replace(new RegExp(`pops: warning: the --db URL ${PASSWORD_WARNING}\\n`), ''), args.join(' ')).toBe(onFile.stderr);
    }
  });

  it('groups apply: the plan, then the changes and their audit rows; a dry run writes nothing', async () => {
    const url = await pgStore();
    for (const name of ['North', 'South']) expect((await pops(['--db', url, 'groups', 'create', name])).code).toBe(0);
    const csv = 'name,showCollections,footerPhone\nNorth,on,(312) 555-0101\nSouth,on,(312) 555-0102\nEast,off,\n';
    const before = pgContents(url);
    const dry = await pops(['--db', url, 'groups', 'apply', '-', '--format', 'csv', '--create', '--dry-run'], { input: csv });
    expect(dry.code, dry.stderr).toBe(0);
    expect(pgContents(url)).toBe(before);
    const applied = await pops(['--db', url, 'groups', 'apply', '-', '--format', 'csv', '--create'], { input: csv });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe(dry.stdout);
    const list = JSON.parse((await pops(['--db', url, 'groups', 'list', '--json'])).stdout) as {
      name: string;
      showCollections: boolean;
      footerPhone: string | null;
    }[];
    expect(list.map((g) => [g.name, g.showCollections, g.footerPhone])).toEqual([
      ['East', false, null],
      ['North', true, '+13125550101'],
      ['South', true, '+13125550102'],
    ]);
    const audit = JSON.parse((await pops(['--db', url, 'audit', '--json'])).stdout) as { action: string; group: string; field: string | null }[];
    expect(
      audit
        .filter((entry) => entry.action === 'set')
        .map((entry) => `${entry.group} ${entry.field}`)
        .sort(),
    ).toEqual(['North footerPhone', 'North showCollections', 'South footerPhone', 'South showCollections']);
  });
});

describe('writers at once, and a kill', () => {
  it('ten processes setting settings of the same groups at once: every change is in the store and in the audit log', async () => {
    const url = await pgStore();
    for (const name of ['A', 'B']) expect((await pops(['--db', url, 'groups', 'create', name])).code).toBe(0);
    const runs = Array.from({ length: 10 }, (_, i) => {
      const group = i % 2 === 0 ? 'A' : 'B';
      const args = [
        '--db',
        url,
        'groups',
        'set',
        group,
        '--footer-text',
        `text ${i}`,
        i < 2 ? '--show-collections' : '--require-cvv',
        i < 2 ? 'on' : i % 4 < 2 ? 'off' : 'on',
      ];
      return new Promise<number | null>((resolve) => spawn(process.execPath, [BIN, ...args], { env: childEnv(), stdio: 'ignore' }).once('exit', resolve));
    });
    expect(await Promise.all(runs)).toEqual(Array(10).fill(0));
    const audit = JSON.parse((await pops(['--db', url, 'audit', '--json'])).stdout) as { group: string; field: string | null; to: unknown }[];
    // Each run's footer text was set, by a change the audit log has, from the value the run before it left.
    const texts = audit.filter((entry) => entry.field === 'footerText');
    expect(texts.map((entry) => entry.to).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `text ${i}`).sort());
    const show = JSON.parse((await pops(['--db', url, 'groups', 'show', 'A', '--json'])).stdout) as { showCollections: boolean };
    expect(show.showCollections).toBe(true);
  });

  it('killed mid-apply: the database is as it was before, or has every change', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `G${String(i).padStart(4, '0')},on,(312) 555-${String(i).padStart(4, '0')}`);
    const file = path.join(tempDir(), 'groups.csv');
    fs.writeFileSync(file, `name,showCollections,footerPhone\n${rows.join('\n')}\n`);
    for (const delay of [0, 20, 80]) {
      const url = await pgStore();
      const watcher = openPostgres(url);
      try {
        const child = spawn(process.execPath, [BIN, '--db', url, 'groups', 'apply', file, '--create'], { env: childEnv(), stdio: 'ignore' });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // Killed once its write transaction is open (as the server sees it), and `delay` ms later.
        const inTransaction = () =>
          watcher.arrays<[number]>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pops' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()",
          )[0][0] > 0;
        while (child.exitCode === null && !inTransaction()) await new Promise((resolve) => setTimeout(resolve, 2));
        expect(child.exitCode, 'the run ended before its transaction began').toBeNull();
        await new Promise((resolve) => setTimeout(resolve, delay));
        child.kill('SIGKILL');
        await exited;
        const [[groups, audited]] = watcher.arrays<[number, number]>(
          "SELECT (SELECT count(*) FROM groups), (SELECT count(*) FROM audit_log WHERE action = 'create')",
        );
        expect([0, 3000], `killed ${delay} ms into the transaction`).toContain(groups);
        expect(audited).toBe(groups);
      } finally {
        watcher.close();
      }
    }
  }, 60_000);
});
