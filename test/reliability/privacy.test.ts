// SPEC §3: the store holds patient data. It is created 0600, and so are the
// files SQLite keeps beside it (-wal, -shm) and an export written with --out,
// whatever the umask. Error messages name the offending value, not the
// patients around it; --help never shows store data.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, childEnv, makeStore, pops, storeDigest, tempDir } from '../helpers/cli.js';
import { COMMAND_TREE } from '../../src/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

/** Every command and subcommand of the registry, as argv words. */
const COMMANDS_FOR_HELP: string[][] = [
  [],
  ...COMMAND_TREE.flatMap((entry) => ('subcommands' in entry ? [[entry.name], ...entry.subcommands.map((sub) => [entry.name, sub.name])] : [[entry.name]])),
];

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** Run the real pops under `umask 000`, the most permissive a user could have (a umask is a process's own), or another umask. */
function popsWithOpenUmask(args: string[], umask = '000'): { code: number | null; stderr: string } {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('sh', ['-c', `umask ${umask}; ${quoted}`], { encoding: 'utf8', env: childEnv() });
  return { code: result.status, stderr: result.stderr };
}

describe('file modes', () => {
  it('init creates the store 0600 even under umask 000', () => {
    const db = path.join(tempDir(), 'pops.db');
    expect(popsWithOpenUmask(['--db', db, 'init', '--demo']).code).toBe(0);
    expect(mode(db)).toBe(0o600);
  });

  it('the -wal and -shm files SQLite creates beside the store are 0600 too', async () => {
    const db = await makeStore({ demo: true });
    // A reader kept open makes SQLite keep -wal and -shm after pops exits.
    const reader = new Database(db, { readonly: true });
    try {
      reader.prepare('SELECT count(*) FROM groups').get();
      const result = popsWithOpenUmask(['--db', db, 'groups', 'set', '1', '--footer-text', 'Changed']);
      expect(result.code, result.stderr).toBe(0);
      for (const file of [`${db}-wal`, `${db}-shm`]) {
        expect(fs.existsSync(file), file).toBe(true);
        expect(mode(file), file).toBe(0o600);
      }
    } finally {
      reader.close();
    }
  });

  it('export --out writes 0600 under umask 000', async () => {
    const db = await makeStore({ demo: true });
    const out = path.join(tempDir(), 'backup.json');
    expect(popsWithOpenUmask(['--db', db, 'export', '--out', out]).code).toBe(0);
    expect(mode(out)).toBe(0o600);
  });

  it('preview --all --out snapshots, which show patient data, are not world-readable', async () => {
    const db = await makeStore({ demo: true });
    const out = path.join(tempDir(), 'snapshots');
    expect(popsWithOpenUmask(['--db', db, 'preview', '--all', '--out', out]).code).toBe(0);
    const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(mode(path.join(file.parentPath, file.name)) & 0o077, file.name).toBe(0);
  });

  it("snapshot files are exactly 0600 also under a umask that takes the owner's write away (umask 277)", async () => {
    const db = await makeStore({ demo: true });
    const out = path.join(tempDir(), 'snapshots');
    const result = popsWithOpenUmask(['--db', db, 'preview', '--all', '--pages', 'account,home', '--out', out], '277');
    expect(result.code, result.stderr).toBe(0);
    const files = fs.readdirSync(out, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBe(72);
    for (const file of files) expect(mode(path.join(file.parentPath, file.name)), file.name).toBe(0o600);
  });
});

describe('error messages name the offending value, not the patients around it', () => {
  const secretDump = (overrides: Record<string, unknown>) =>
    baseDump({
      accounts: [
        account('S-1', {
          guarantor: { firstName: 'Confidentia', lastName: 'Guarantorson' },
          patients: [{ id: 'P1', firstName: 'Secretleo', lastName: 'Hiddenfamily' }],
          encounters: [encounter({ lines: [{ ...line(1, { billed: '10.00' }), description: 'Diagnosis-Private' }] })],
          ...overrides,
        }),
      ],
    });
  const SECRETS = /Confidentia|Guarantorson|Secretleo|Hiddenfamily|Diagnosis-Private/;

  it('invalid values elsewhere in the account: only paths and the bad values are printed', async () => {
    const db = await makeStore();
    const dump = secretDump({
      unappliedFunds: '12.345',
      statements: [{ date: '2026-02-30', dueDate: '2026-03-01', amountDue: '-1.00' }],
      payments: [{ date: '2026-01-01', amount: '5.00', method: 'bitcoin' }],
    });
    const result = await pops(['--db', db, 'import', '-'], { input: JSON.stringify(dump) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('accounts[0].unappliedFunds');
    expect(result.stderr).not.toMatch(SECRETS);
  });

  it('a conflict with the store names the account number, not the guarantor', async () => {
    const db = await makeStore({ dump: secretDump({}) });
    const again = secretDump({});
    again.accounts[0].encounters[0].number += 1000;
    const result = await pops(['--db', db, 'import', '-'], { input: JSON.stringify(again) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('S-1');
    expect(result.stderr).not.toMatch(SECRETS);
  });
});

describe('--help', () => {
  it('never opens the store nor shows its data, for any command', async () => {
    const db = await makeStore({
      dump: baseDump({
        groups: [{ name: 'Secret Practice Name' }],
        accounts: [account('S-9', { group: 'Secret Practice Name', guarantor: { firstName: 'Confidentia', lastName: 'Guarantorson' } })],
      }),
    });
    const before = storeDigest(db);
    for (const command of COMMANDS_FOR_HELP) {
      const result = await pops(['--db', db, ...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout, command.join(' ')).toMatch(/^Usage: pops/);
      expect(result.stdout + result.stderr, command.join(' ')).not.toMatch(/Secret Practice Name|Confidentia|Guarantorson|S-9/);
    }
    expect(storeDigest(db)).toBe(before);
    // Help works without any store at all.
    expect((await pops(['--db', path.join(tempDir(), 'missing.db'), 'groups', 'set', '--help'])).code).toBe(0);
  });
});
