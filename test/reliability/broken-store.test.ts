// SPEC §3, §10: a store that cannot be used — read-only, empty, corrupt pages,
// a damaged WAL — is refused with exit 4 and a message that says which, never
// a stack trace, and the file is left as it was. (Missing, random bytes,
// truncated, a directory, a newer schema and a non-pops SQLite file are in
// test/e2e/store.test.ts.)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations/index.js';
import { makeStore, pops, ROOT, storeDigest, tempDir, type RunResult } from '../helpers/cli.js';
import { storeState } from './store-state.js';

const READS = [['groups', 'list'], ['groups', 'show', '1'], ['accounts', 'list', '--json'], ['audit'], ['export'], ['doctor']];
/** What a read of the demo store exits with: doctor finds the demo's deliberate lint finding. */
const readExit = (args: string[]): number => (args[0] === 'doctor' ? 1 : 0);
const WRITES = [
  ['groups', 'set', '1', '--footer-text', 'Changed'],
  ['groups', 'create', 'Another Group'],
  ['import', '--replace', path.join(ROOT, 'fixtures', 'demo.json')],
];

function expectRefused(result: RunResult, message: RegExp, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(4);
  expect(result.stderr, what).toMatch(message);
  expect(result.stderr, what).toMatch(/^pops: /);
  expect(result.stderr, what).not.toMatch(/\n\s+at |internal error/);
  expect(result.stderr.trim().split('\n').length, what).toBeLessThanOrEqual(2);
}

/** Root ignores file modes, so chmod cannot make a store read-only in this test run; the immutable attribute and a read-only mount stop root too. */
const canChattr = (() => {
  const probe = path.join(tempDir(), 'probe');
  fs.writeFileSync(probe, '');
  const ok = spawnSync('chattr', ['+i', probe]).status === 0;
  if (ok) spawnSync('chattr', ['-i', probe]);
  return ok;
})();
const canMount = (() => {
  const dir = tempDir();
  if (spawnSync('mount', ['--bind', dir, dir]).status !== 0) return false;
  spawnSync('umount', [dir]);
  return true;
})();

describe('a read-only store', () => {
  it.skipIf(!canChattr)('an immutable store file (chattr +i): writes exit 4 "read-only", reads still work, the file is untouched', async () => {
    const db = await makeStore({ demo: true });
    const before = storeDigest(db);
    spawnSync('chattr', ['+i', db]);
    try {
      for (const args of WRITES) expectRefused(await pops(['--db', db, ...args]), /^pops: store is read-only/, args.join(' '));
      for (const args of READS) {
        const result = await pops(['--db', db, ...args]);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(readExit(args));
      }
    } finally {
      spawnSync('chattr', ['-i', db]);
    }
    expect(storeDigest(db)).toBe(before);
  });

  it.skipIf(!canChattr)(
    'an immutable store of an older schema: version 4 (indexes missing) is read as it is, version 3 (a table missing) is refused saying why; neither file changes',
    async () => {
      const older = async (version: number): Promise<string> => {
        const db = await makeStore({ demo: true });
        const sqlite = new Database(db);
        if (version === 4) {
          // The indexes as migration 4 made them (migration 5 only widens them).
          sqlite.exec(`DROP INDEX account_figures_by_total; DROP INDEX account_figures_by_collection; DROP INDEX account_figures_by_non_collection;
          CREATE INDEX account_figures_by_total ON account_figures (total_cents DESC, account_number);
          CREATE INDEX account_figures_by_collection ON account_figures (collection_cents DESC, account_number);
          CREATE INDEX account_figures_by_non_collection ON account_figures (non_collection_cents DESC, account_number);`);
        } else sqlite.exec('DROP TABLE account_figures');
        sqlite.pragma(`user_version = ${version}`);
        sqlite.close();
        return db;
      };
      const four = await older(4);
      const three = await older(3);
      const current = await makeStore({ demo: true });
      const before = [storeDigest(four), storeDigest(three)];
      spawnSync('chattr', ['+i', four]);
      spawnSync('chattr', ['+i', three]);
      try {
        for (const args of READS) {
          const result = await pops(['--db', four, ...args]);
          expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(readExit(args));
        }
        const list = ['accounts', 'list', '--all', '--json', '--sort', 'total'];
        expect((await pops(['--db', four, ...list])).stdout).toBe((await pops(['--db', current, ...list])).stdout);
        for (const args of WRITES) expectRefused(await pops(['--db', four, ...args]), /^pops: store is read-only/, `version 4: ${args.join(' ')}`);
        expectRefused(await pops(['--db', four, 'init']), /^pops: store is read-only: cannot migrate .* from schema 4 to /, 'version 4: init');
        const migrate = new RegExp(
          `^pops: store schema version 3 must be migrated to ${SCHEMA_VERSION} before this program can use it, but the store is read-only: `,
        );
        for (const args of [...READS, ...WRITES, ['init']]) expectRefused(await pops(['--db', three, ...args]), migrate, `version 3: ${args.join(' ')}`);
      } finally {
        spawnSync('chattr', ['-i', four]);
        spawnSync('chattr', ['-i', three]);
      }
      expect([storeDigest(four), storeDigest(three)]).toEqual(before);
    },
  );

  it.skipIf(!canMount)('a store on a read-only mount: every command exits 4 "read-only" (WAL needs to write beside the store even to read)', async () => {
    const db = await makeStore({ demo: true });
    const dir = path.dirname(db);
    const before = storeDigest(db);
    expect(spawnSync('mount', ['--bind', dir, dir]).status).toBe(0);
    try {
      expect(spawnSync('mount', ['-o', 'remount,ro,bind', dir]).status).toBe(0);
      for (const args of [...WRITES, ...READS]) expectRefused(await pops(['--db', db, ...args]), /^pops: store is read-only: /, args.join(' '));
    } finally {
      spawnSync('umount', [dir]);
    }
    expect(storeDigest(db)).toBe(before);
    expect(fs.readdirSync(dir)).toEqual(['pops.db']);
  });
});

describe('an empty (0-byte) file', () => {
  it('is "not a pops store" for every command but init, and stays empty', async () => {
    const db = path.join(tempDir(), 'empty.db');
    fs.writeFileSync(db, '');
    for (const args of [...READS, ...WRITES]) expectRefused(await pops(['--db', db, ...args]), /^pops: not a pops store \(empty file\)/, args.join(' '));
    expect(fs.statSync(db).size).toBe(0);
    expect(fs.readdirSync(path.dirname(db))).toEqual(['empty.db']);
  });
});

describe('a store with garbage pages behind a valid SQLite header', () => {
  // Deterministic garbage: a linear congruential generator.
  const garble = (bytes: Buffer, from: number): void => {
    let state = 20260807;
    for (let i = from; i < bytes.length; i += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      bytes[i] = state >>> 24;
    }
  };

  for (const [label, from] of [
    ['everything after the 100-byte header', 100],
    ['every page after the first (schema) page', 4096],
    ['every page after the fifth', 5 * 4096],
  ] as const) {
    it(`${label}: exit 4 "corrupt" for every command, file untouched`, async () => {
      const db = await makeStore({ demo: true });
      const bytes = fs.readFileSync(db);
      garble(bytes, from);
      fs.writeFileSync(db, bytes);
      const before = storeDigest(db);
      for (const args of [...READS, ...WRITES, ['init']]) expectRefused(await pops(['--db', db, ...args]), /^pops: store is corrupt/, args.join(' '));
      expect(storeDigest(db)).toBe(before);
    });
  }
});

describe('a store whose WAL is damaged', () => {
  /** A store with committed changes still in its WAL: the writer was killed before any checkpoint. */
  async function storeWithPendingWal(): Promise<string> {
    const db = await makeStore({ demo: true });
    const script = `
      const Database = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'better-sqlite3'))});
      const db = new Database(${JSON.stringify(db)});
      db.pragma('wal_autocheckpoint = 0');
      db.prepare("UPDATE groups SET footer_text = 'from the WAL'").run();
      process.kill(process.pid, 'SIGKILL');`;
    spawnSync(process.execPath, ['-e', script]);
    expect(fs.statSync(`${db}-wal`).size).toBeGreaterThan(0);
    return db;
  }

  it('an intact WAL left by a killed writer is recovered: its committed change is seen', async () => {
    const db = await storeWithPendingWal();
    const result = await pops(['--db', db, 'groups', 'show', '1', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).footerText).toBe('from the WAL');
  });

  // SQLite checks every WAL frame's checksum and treats a frame that fails as
  // never written (the torn tail of a crashed write): a damaged WAL cannot be
  // told from an uncommitted one, so the store opens as of the last good frame.
  for (const [label, damage] of [
    ['a garbage WAL header', (wal: Buffer) => wal.fill(0xa5, 0, 32)],
    ['garbage frames', (wal: Buffer) => wal.fill(0x5a, 32 + 24, wal.length)],
  ] as const) {
    it(`${label}: the store opens as of the last intact commit — exit 0, never 70, never a stack trace`, async () => {
      const db = await storeWithPendingWal();
      const wal = fs.readFileSync(`${db}-wal`);
      damage(wal);
      fs.writeFileSync(`${db}-wal`, wal);
      for (const args of READS) {
        const result = await pops(['--db', db, ...args]);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(readExit(args));
        expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
      }
      const shown = JSON.parse((await pops(['--db', db, 'groups', 'show', '1', '--json'])).stdout);
      expect(shown.footerText).not.toBe('from the WAL');
      expect(storeState(db).groups.length).toBeGreaterThan(0);
    });
  }
});
