// Tables on a terminal fit its width (docs/design-choices.md, "Hardening
// (v1.1)"): long text columns are cut with …, money, counts, ids and phone
// numbers never; headers wrap first; piped tables are never cut.
import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/base/text-width.js';
import { makeStore, pops } from '../helpers/cli.js';
import { account, baseDump, line } from '../helpers/dumps.js';

type Json = any;
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
const lines = (text: string): string[] =>
  stripAnsi(text)
    .split('\n')
    .filter((l) => l !== '');
const widest = (text: string): number => Math.max(...lines(text).map(displayWidth));
const onTerminal = (columns: number) => ({ terminal: { stdout: true, columns } });

/** The cells of a table's body rows, by splitting on the column borders. */
function cells(text: string): string[][] {
  return lines(text)
    .filter((l) => l.startsWith('│'))
    .map((l) =>
      l
        .slice(1, -1)
        .split('│')
        .map((cell) => cell.trim()),
    );
}

const LONG_GUARANTOR = { firstName: 'Maximiliana Josefina Alexandra', lastName: 'Vandenberghe-Oppenheimer-Castellanos' };

/** Accounts with a long guarantor name, a long group name, and big balances. */
function wideDump(): Json {
  return baseDump({
    groups: [
      { name: 'Lakeside Pediatrics and Adolescent Medicine of Greater Chicagoland', showCollections: true, footerPhone: '(312) 555-0142 x123456' },
      { name: '東京こどもクリニック 小児科と思春期医療センター 🏥🩺', showCollections: false },
    ],
    accounts: [
      account('10001', {
        group: 'Lakeside Pediatrics and Adolescent Medicine of Greater Chicagoland',
        guarantor: LONG_GUARANTOR,
        encounters: [
          {
            number: 1,
            patient: 'P1',
            facility: 'MAIN',
            provider: 'ORTIZ',
            serviceDate: '2026-09-14',
            lines: [line(1, { billed: '9876543.21' })],
          },
        ],
      }),
      account('10002', { group: '東京こどもクリニック 小児科と思春期医療センター 🏥🩺', guarantor: { firstName: '花子', lastName: '山田' } }),
    ],
  });
}

describe('on a terminal', () => {
  it('groups list fits 80 columns on the demo store; phone numbers and counts stay whole', async () => {
    const db = await makeStore({ demo: true });
    const result = await pops(['--db', db, 'groups', 'list'], onTerminal(80));
    expect(result.code).toBe(0);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    const text = stripAnsi(result.stdout);
    expect(text).toContain('(773) 555-0188');
    expect(text).toContain('ext. 12');
    expect(text).toMatch(/│\s+14 │/);
  });

  it('accounts list fits 80 columns on the demo store; money is never cut', async () => {
    const db = await makeStore({ demo: true });
    const result = await pops(['--db', db, 'accounts', 'list', '--all'], onTerminal(80));
    expect(result.code).toBe(0);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    const json: Json[] = JSON.parse((await pops(['--db', db, 'accounts', 'list', '--all', '--json'])).stdout);
    const rows = cells(result.stdout).filter((row) => /^\d/.test(row[0]));
    expect(rows).toHaveLength(json.length);
    const dollars = (amount: string) =>
      `${amount.startsWith('-') ? '-' : ''}$${Number(amount.replace('-', '')).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    rows.forEach((row, i) => {
      expect(row[0]).toBe(json[i].accountNumber);
      expect(row.slice(3)).toEqual([dollars(json[i].nonCollectionBalance), dollars(json[i].collectionBalance), dollars(json[i].totalBalance)]);
    });
  });

  it('cuts long names with …, by display width (CJK and emoji count two columns)', async () => {
    const db = await makeStore({ dump: wideDump() });
    for (const columns of [40, 60, 80, 100, 120]) {
      for (const args of [['groups', 'list'], ['accounts', 'list'], ['audit'], ['groups', 'show', '1']]) {
        const result = await pops(['--db', db, ...args], onTerminal(columns));
        expect(result.code).toBe(0);
        expect(widest(result.stdout), `${args.join(' ')} at ${columns}`).toBeLessThanOrEqual(columns);
      }
    }
    const accounts = await pops(['--db', db, 'accounts', 'list'], onTerminal(80));
    const [first, second] = cells(accounts.stdout).filter((row) => /^\d/.test(row[0]));
    expect(first[1]).toMatch(/^Vanden.*…$/);
    expect(first[2]).toMatch(/^Lakesi.*…$/);
    expect(first.slice(3)).toEqual(['$9,876,543.21', '$0.00', '$9,876,543.21']);
    expect(second[2]).toMatch(/^東京.*…$/);
    const groups = await pops(['--db', db, 'groups', 'list'], onTerminal(60));
    expect(stripAnsi(groups.stdout)).toContain('(312) 555-0142');
    expect(stripAnsi(groups.stdout)).toContain('ext. 123456');
  });

  it('too narrow for a table: one block of "Column: value" lines per row, money still whole', async () => {
    const db = await makeStore({ dump: wideDump() });
    const result = await pops(['--db', db, 'accounts', 'list'], onTerminal(60));
    expect(widest(result.stdout)).toBeLessThanOrEqual(60);
    const text = stripAnsi(result.stdout);
    expect(text).toMatch(/^Account: {8}10001$/m);
    expect(text).toMatch(/^Guarantor: {6}Vandenberghe-Oppenheimer-Castellanos, Max.*…$/m);
    expect(text).toMatch(/^Non-Collection: \$9,876,543\.21$/m);
    expect(text).toMatch(/^Total: {10}\$0\.00$/m);
  });

  it('a table that already fits is not changed', async () => {
    const db = await makeStore({ demo: true });
    const wide = await pops(['--db', db, 'groups', 'list'], onTerminal(200));
    const piped = await pops(['--db', db, 'groups', 'list']);
    expect(stripAnsi(wide.stdout)).toBe(piped.stdout);
  });
});

describe('piped', () => {
  it('tables are never cut', async () => {
    const db = await makeStore({ dump: wideDump() });
    const accounts = await pops(['--db', db, 'accounts', 'list']);
    expect(accounts.stdout).toContain('Vandenberghe-Oppenheimer-Castellanos, Maximiliana Josefina Alexandra');
    expect(accounts.stdout).toContain('Lakeside Pediatrics and Adolescent Medicine of Greater Chicagoland');
    expect(accounts.stdout).not.toContain('…');
    const groups = await pops(['--db', db, 'groups', 'list']);
    expect(groups.stdout).toContain('東京こどもクリニック 小児科と思春期医療センター 🏥🩺');
    expect(widest(groups.stdout)).toBeGreaterThan(80);
  });
});
