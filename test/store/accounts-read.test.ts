// The batch reader's promise (src/domain/account.ts): encounters in number
// order with their lines in line order, patients in import order, statements
// by date, payments by date then input order — whatever order the dump gave
// them in, and whatever order SQLite happens to read them in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Account } from '../../src/domain/account.js';
import { readAccounts } from '../../src/store/accounts.js';
import { readPageAccounts } from '../../src/store/page-accounts.js';
import { importDocument } from '../../src/store/import-run.js';
import { openStore, type DB } from '../../src/store/open.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

let dir: string;
let db: DB;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pops-accounts-read-'));
  db = openStore(path.join(dir, 'pops.db'), { create: true }).db;
  const amounts = (billed: string) => ({ billed });
  const dump = baseDump({
    facilities: [
      { code: 'MAIN', name: 'Lakeside Main Clinic' },
      { code: 'EAST', name: 'Lakeside East' },
    ],
    accounts: [
      account('10001', {
        patients: [
          { id: 'P9', firstName: 'Zoe', lastName: 'Rivera' },
          { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
        ],
        // Numbers, statuses and dates disagree on the order, and so does the dump.
        encounters: [
          encounter({ number: 70003, serviceDate: '2026-01-05', lines: [line(3, amounts('3.00')), line(1, amounts('1.00')), line(2, amounts('2.00'))] }),
          encounter({ number: 70001, serviceDate: '2026-09-14', facility: 'EAST', lines: [line(2, amounts('20.00')), line(1, amounts('10.00'))] }),
          encounter({
            number: 70002,
            serviceDate: '2025-03-01',
            status: 'collections',
            collectionAgency: 'SUMMIT',
            sentToCollectionsOn: '2025-06-01',
            patient: 'P9',
            lines: [line(1, amounts('5.00'))],
          }),
        ],
        statements: [
          { date: '2026-03-01', dueDate: '2026-03-26', amountDue: '4.00' },
          { date: '2026-01-01', dueDate: '2026-01-26', amountDue: '6.00' },
        ],
        payments: [
          { date: '2026-02-01', amount: '1.00', method: 'cash' },
          { date: '2026-01-15', amount: '2.00', method: 'card' },
          { date: '2026-02-01', amount: '3.00', method: 'check' },
        ],
      }),
      account('10002', { encounters: [encounter({ number: 69999, lines: [line(1, amounts('7.00'))] })] }),
    ],
  });
  importDocument(db, dump, { replace: false, actor: 'tester' });
});

afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('gives encounters by number with lines by line, patients in import order, statements by date, payments by date then input order', () => {
  const [first, second] = [...readAccounts(db)];
  expect(first.accountNumber).toBe('10001');
  expect(first.patients.map((p) => p.id)).toEqual(['P9', 'P1']);
  expect(first.encounters.map((e) => [e.number, e.lines.map((l) => l.line)])).toEqual([
    [70001, [1, 2]],
    [70002, [1]],
    [70003, [1, 2, 3]],
  ]);
  expect(first.encounters[0].lines.map((l) => l.billed)).toEqual([1000, 2000]);
  expect(first.encounters[0].lines[0]).toEqual({
    line: 1,
    code: '99213',
    description: 'Office visit',
    billed: 1000,
    adjusted: 0,
    insurancePaid: 0,
    patientPaid: 0,
  });
  expect(first.encounters.map((e) => e.facility)).toEqual([
    { code: 'EAST', name: 'Lakeside East' },
    { code: 'MAIN', name: 'Lakeside Main Clinic' },
    { code: 'MAIN', name: 'Lakeside Main Clinic' },
  ]);
  expect(first.encounters[1]).toMatchObject({
    status: 'collections',
    agency: { code: 'SUMMIT', name: 'Summit Recovery Services', phone: null },
    sentToCollectionsOn: '2025-06-01',
    patient: { id: 'P9', firstName: 'Zoe', lastName: 'Rivera' },
  });
  expect(first.encounters[0].agency).toBeNull();
  expect(first.statements.map((s) => s.date)).toEqual(['2026-01-01', '2026-03-01']);
  expect(first.payments.map((p) => [p.date, p.method])).toEqual([
    ['2026-01-15', 'card'],
    ['2026-02-01', 'cash'],
    ['2026-02-01', 'check'],
  ]);
  expect(second.encounters.map((e) => [e.number, e.lines.map((l) => l.billed)])).toEqual([[69999, [700]]]);
});

it('reads one account by number the same way as in the whole run', () => {
  const all = [...readAccounts(db)];
  expect([...readAccounts(db, { accountNumber: '10001' })]).toEqual([all[0]]);
  expect([...readAccounts(db, { groupId: all[1].groupId })]).toEqual(all.filter((a) => a.groupId === all[1].groupId));
});

it("the pages' reader (one query a batch) gives the same accounts, in the same order, less the line texts and patient lists", () => {
  const asPages = ({ patients: _patients, ...account }: Account) => ({
    ...account,
    encounters: account.encounters.map((e) => ({ ...e, lines: e.lines.map(({ code: _code, description: _description, ...amounts }) => amounts) })),
  });
  const all = [...readAccounts(db)];
  expect(all.length).toBeGreaterThan(1);
  expect([...readPageAccounts(db)]).toEqual(all.map(asPages));
  expect([...readPageAccounts(db, all[1].groupId)]).toEqual(all.filter((a) => a.groupId === all[1].groupId).map(asPages));
});

it('a line text another tool stored as a BLOB is read as text, not a failure (a store edited by hand)', () => {
  const { number, line: lineNumber } = db.prepare('SELECT encounter_number AS number, line FROM lines ORDER BY encounter_number, line LIMIT 1').get() as {
    number: number;
    line: number;
  };
  db.prepare("UPDATE lines SET description = CAST('Office visit' AS BLOB), code = X'3939323133' WHERE encounter_number = ? AND line = ?").run(
    number,
    lineNumber,
  );
  const read = [...readAccounts(db)].flatMap((a) => a.encounters).find((e) => e.number === number)!;
  expect(read.lines.find((l) => l.line === lineNumber)).toMatchObject({ code: '99213', description: 'Office visit' });
});
