// Small things of the v1.1 review (docs/design-choices.md, "Hardening (v1.1)"): tel:
// footer numbers and extension limits on the command line, --min-total written as
// on screen, and the advice for an SQLite file that is not a pops store.
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStore, pops, storeDigest, tempDir } from '../helpers/cli.js';
import { account, baseDump } from '../helpers/dumps.js';

let demo: string;
beforeAll(async () => {
  demo = await makeStore({ demo: true });
});

describe('footer numbers on the command line', () => {
  it('accept a tel: link', async () => {
    const db = await makeStore({ demo: true });
    const result = await pops(['--db', db, 'groups', 'footer-number', 'Lakeside Pediatrics', 'tel:+1-312-555-0199']);
    expect(result.code, result.stderr).toBe(0);
    expect((await pops(['--db', db, 'groups', 'footer-number', 'Lakeside Pediatrics'])).stdout).toBe('(312) 555-0199\n');
  });

  it.each([
    ['312-555-0142 x0', 'pops: --footer-phone: extension 0 is not an extension (leave it out for the main number), in "312-555-0142 x0"'],
    ['312-555-0142 x1234567', 'pops: --footer-phone: extension 1234567 is too long: at most 6 digits, in "312-555-0142 x1234567"'],
  ])('refuse the extension of %j with its own message (exit 2, nothing written)', async (number, message) => {
    const db = await makeStore({ demo: true });
    const before = storeDigest(db);
    const result = await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--footer-phone', number]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: `${message}\n` });
    expect(storeDigest(db)).toBe(before);
  });
});

describe('accounts list --min-total', () => {
  async function accountNumbers(minTotal: string): Promise<string[]> {
    const result = await pops(['--db', demo, 'accounts', 'list', '--all', '--json', '--min-total', minTotal]);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { accountNumber: string }[]).map((a) => a.accountNumber);
  }

  it('accepts money as it reads on screen: $ and thousands commas', async () => {
    expect(await accountNumbers('$1,000.50')).toEqual(await accountNumbers('1000.50'));
    expect(await accountNumbers('$250')).toEqual(await accountNumbers('250'));
    expect((await accountNumbers('$250')).length).toBeGreaterThan(0);
    expect(await accountNumbers('-$12.00')).toEqual(await accountNumbers('-12'));
  });

  it.each(['1,00', '$1,0000', '$$5', '$1,000.505', '1 000', '$-5'])('refuses %j (exit 2, naming the option)', async (minTotal) => {
    const result = await pops(['--db', demo, 'accounts', 'list', '--min-total', minTotal]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`pops: --min-total: expected money with at most two decimals (e.g. 250, 99.50 or $1,000.50), got ${JSON.stringify(minTotal)}\n`);
  });

  it('dumps keep the strict money form: "$1,000.00" in a dump is refused', async () => {
    const db = await makeStore();
    const result = await pops(['--db', db, 'import', '-'], { input: JSON.stringify(baseDump({ accounts: [account('1', { unappliedFunds: '$1,000.00' })] })) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('pops: accounts[0].unappliedFunds: expected money with at most 2 decimals, got "$1,000.00"\n');
  });
});

describe('an SQLite file that is not a pops store', () => {
  it('without tables (version 0): commands advise pops init, and pops init then makes it a store', async () => {
    const db = path.join(tempDir(), 'empty-sqlite.db');
    const sqlite = new Database(db);
    sqlite.pragma('user_version = 0');
    sqlite.close();
    const list = await pops(['--db', db, 'groups', 'list']);
    expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 4, stderr: `pops: not a pops store; run pops init: ${db}\n` });
    const init = await pops(['--db', db, 'init']);
    expect(init.code, init.stderr).toBe(0);
    expect((await pops(['--db', db, 'groups', 'list', '--json'])).stdout).toBe('[]\n');
  });

  it('with other tables: every command, init included, says to choose another path (never "run pops init")', async () => {
    const db = path.join(tempDir(), 'other-app.db');
    const sqlite = new Database(db);
    sqlite.exec('CREATE TABLE notes (body TEXT)');
    sqlite.close();
    const before = storeDigest(db);
    for (const args of [['groups', 'list'], ['accounts', 'list'], ['export'], ['init']]) {
      const result = await pops(['--db', db, ...args]);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 4,
        stderr: `pops: not a pops store (an SQLite database with other tables): ${db}\nChoose another --db path; this file was not modified.\n`,
      });
    }
    expect(storeDigest(db)).toBe(before);
  });
});
