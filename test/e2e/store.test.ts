// The store's lifecycle (SPEC §3, §5): init, refusal of unusable files, global options.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.js';
import { BIN, makeStore, pops, popsBinary, storeDigest, tempDir } from '../helpers/cli.js';

describe('pops init', () => {
  it('creates the store with mode 0600, WAL and the current schema', async () => {
    const db = path.join(tempDir(), 'new.db');
    const result = await pops(['--db', db, 'init']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('created store');
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
    const sqlite = new Database(db, { readonly: true });
    expect(sqlite.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    sqlite.close();
  });

  it('is a no-op on an up-to-date store', async () => {
    const db = await makeStore({ demo: true });
    const before = storeDigest(db);
    const result = await pops(['--db', db, 'init']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('up to date');
    expect(storeDigest(db)).toBe(before);
  });

  it('refuses --demo into a store that already has data (exit 2, unchanged)', async () => {
    const db = await makeStore({ demo: true });
    const before = storeDigest(db);
    const result = await pops(['--db', db, 'init', '--demo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pops: .*not empty/);
    expect(storeDigest(db)).toBe(before);
  });

  it('loads the demo data set: at least 10 accounts, one with a collection balance in a Show Collections group', async () => {
    const db = await makeStore({ demo: true });
    const sqlite = new Database(db, { readonly: true });
    const accounts = (sqlite.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
    const showcase = sqlite
      .prepare(
        `SELECT COUNT(DISTINCT a.id) AS n FROM accounts a JOIN groups g ON g.id = a.group_id JOIN encounters e ON e.account_id = a.id
         JOIN lines l ON l.encounter_number = e.number
         WHERE g.show_collections = 1 AND e.status = 'collections' AND l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents > 0`,
      )
      .get() as { n: number };
    sqlite.close();
    expect(accounts).toBeGreaterThanOrEqual(30);
    expect(showcase.n).toBeGreaterThanOrEqual(1);
  });
});

describe('an unusable store is refused with exit 4 and left untouched', () => {
  it('missing: exit 4 with a hint to run pops init, and no file is created', async () => {
    const db = path.join(tempDir(), 'missing.db');
    const result = await pops(['--db', db, 'export']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^pops: store not found: .*missing\.db\n.*pops init/);
    expect(fs.existsSync(db)).toBe(false);
  });

  it('a file of random bytes: "not a pops store"', async () => {
    const db = path.join(tempDir(), 'random.db');
    fs.writeFileSync(db, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const before = storeDigest(db);
    const result = await pops(['--db', db, 'doctor']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('not a pops store');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(storeDigest(db)).toBe(before);
  });

  it('init also refuses a file that is not SQLite', async () => {
    const db = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(db, 'these are my notes, not a database\n');
    const result = await pops(['--db', db, 'init']);
    expect(result.code).toBe(4);
    expect(fs.readFileSync(db, 'utf8')).toBe('these are my notes, not a database\n');
  });

  it('an SQLite file that is not a pops store (version 0, other tables): no command, init included, advises pops init', async () => {
    const db = path.join(tempDir(), 'other.db');
    const sqlite = new Database(db);
    sqlite.exec('CREATE TABLE t (x)');
    sqlite.close();
    const before = storeDigest(db);
    const advice = `pops: not a pops store (an SQLite database with other tables): ${db}\nChoose another --db path; this file was not modified.\n`;
    expect(await pops(['--db', db, 'export'])).toEqual({ code: 4, stdout: '', stderr: advice });
    expect(await pops(['--db', db, 'init'])).toEqual({ code: 4, stdout: '', stderr: advice });
    expect(storeDigest(db)).toBe(before);
  });

  it('a store with a newer schema: refused, never modified', async () => {
    const db = await makeStore();
    const sqlite = new Database(db);
    sqlite.pragma('user_version = 99');
    sqlite.close();
    const before = storeDigest(db);
    for (const args of [['export'], ['init'], ['doctor']]) {
      const result = await pops(['--db', db, ...args]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('newer than this program');
    }
    expect(storeDigest(db)).toBe(before);
  });

  it('a truncated store: exit 4 "corrupt", no stack trace', async () => {
    const db = await makeStore({ demo: true });
    const size = fs.statSync(db).size;
    fs.truncateSync(db, Math.floor(size / 3));
    const result = await pops(['--db', db, 'export']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/corrupt|not a pops store/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a directory given as --db', async () => {
    const dir = tempDir();
    const result = await pops(['--db', dir, 'export']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('is a directory');
  });

  it('init through a symbolic link to a missing file: exit 4 naming the link and its target, nothing created', async () => {
    const dir = tempDir();
    const link = path.join(dir, 'pops.db');
    const target = path.join(dir, 'elsewhere.db');
    // A relative link, as `ln -s elsewhere.db pops.db` makes: the target is named as the link leads.
    fs.symlinkSync('elsewhere.db', link);
    const result = await pops(['--db', link, 'init']);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `pops: store cannot be created: ${link} is a symbolic link to a file that does not exist (${target})\nCreate the store at the link target itself (pops --db <target> init), or remove the link.\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(['pops.db']);
  });
});

describe('global options (SPEC §2)', () => {
  it('accepts --db after the subcommand, and POPS_DB from the environment', async () => {
    const db = await makeStore({ demo: true });
    expect((await pops(['export', '--db', db])).code).toBe(0);
    expect((await pops(['export'], { env: { POPS_DB: db } })).code).toBe(0);
    expect((await pops([`--db=${db}`, 'export'])).code).toBe(0);
  });

  it('defaults to ./pops.db in the working directory', () => {
    const dir = tempDir();
    // The working directory is the process's own: the real binary.
    expect(popsBinary(['init'], { cwd: dir }).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'pops.db'))).toBe(true);
  });

  it('an option given without its value is exit 2', async () => {
    expect((await pops(['export', '--db'])).code).toBe(2);
    const db = await makeStore();
    expect((await pops(['--db', db, 'export', '--out'])).code).toBe(2);
  });

  it('an unknown command or option is exit 2 with one pops: line', async () => {
    const result = await pops(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^pops: unknown command/);
    expect((await pops(['export', '--frob'])).code).toBe(2);
  });

  it('a reader that stops early (| head) ends pops quietly, without a stack trace', async () => {
    const db = await makeStore({ demo: true });
    const result = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" --db "${db}" export | head -c 10; "${process.execPath}" "${BIN}" --help | head -n 1`],
      {
        encoding: 'utf8',
      },
    );
    expect(result.stdout).toContain('Usage: pops');
    expect(result.stdout.startsWith('{')).toBe(true);
    expect(result.stderr).toBe('');
  });

  it('--version and --help succeed', async () => {
    expect(await pops(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    const help = await pops(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('init');
  });
});
