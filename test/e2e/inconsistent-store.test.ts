// docs/store.md "An inconsistent store": a store that `pops doctor` finds
// fault with (here: accounts whose group row is gone, made by deleting the row
// with foreign keys off) never makes a command exit 70 or drop a record
// silently. Lists and `accounts show` show such an account with its group as
// `(missing group N)`; `export`, and previews that would need the group, refuse
// with exit 4 naming `pops doctor`; the store is left as it was.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyStore, makeStore, pops, storeDigest, tempDir } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

const DUMP = baseDump({
  groups: [
    // New charges count in Lakeside's amount due: the figures of its orphaned accounts show which rule applies.
    { name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '(312) 555-0142', includeNewCharges: true },
    { name: 'Northshore Family Medicine' },
  ],
  accounts: [
    account('10001', {
      encounters: [
        encounter({
          serviceDate: '2026-09-14',
          status: 'collections',
          collectionAgency: 'SUMMIT',
          sentToCollectionsOn: '2026-10-20',
          lines: [line(1, { billed: '100.00' })],
        }),
        encounter({ serviceDate: '2026-10-10', lines: [line(1, { billed: '50.00' })] }),
      ],
      statements: [{ date: '2026-10-01', dueDate: '2026-10-25', amountDue: '40.00' }],
    }),
    account('10002', {
      guarantor: { firstName: 'Ann', lastName: 'Lee' },
      group: 'Northshore Family Medicine',
      encounters: [encounter({ lines: [line(1, { billed: '20.00' })] })],
    }),
    account('10003', { guarantor: { firstName: 'Tom', lastName: 'Baker' } }),
  ],
});

/** Delete a group row that accounts still use, as only a tool with foreign keys off can; returns its id. */
function dropGroupRow(db: string, name: string): number {
  const sqlite = new Database(db);
  try {
    sqlite.pragma('foreign_keys = OFF');
    const id = sqlite.prepare('SELECT id FROM groups WHERE name = ?').pluck().get(name) as number;
    sqlite.prepare('DELETE FROM groups WHERE id = ?').run(id);
    return id;
  } finally {
    sqlite.close();
  }
}

let pristine: string;
let missingId: number;
beforeAll(async () => {
  pristine = await makeStore({ dump: DUMP });
  missingId = dropGroupRow(pristine, 'Lakeside Pediatrics');
});

/** A fresh copy of the broken store, and a check that what ran on it changed nothing. */
function brokenStore(): { db: string; unchanged(): void } {
  const db = copyStore(pristine);
  const before = storeDigest(db);
  return { db, unchanged: () => expect(storeDigest(db)).toBe(before) };
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('an account whose group row is missing', () => {
  const missing = () => `(missing group ${missingId})`;

  it('accounts list shows it (table, JSON, CSV) with its group as "(missing group N)", and says so on stderr', async () => {
    const { db, unchanged } = brokenStore();
    const json = await pops(['--db', db, 'accounts', 'list', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.accountNumber, r.group])).toEqual([
      ['10001', missing()],
      ['10002', 'Northshore Family Medicine'],
      ['10003', missing()],
    ]);
    // Its figures through the default rule: new charges are not part of the amount due.
    expect(rows[0]).toMatchObject({ collectionBalance: '100.00', nonCollectionBalance: '50.00', totalBalance: '150.00', amountDue: '40.00' });
    expect(json.stderr).toMatch(/^pops: warning: 2 accounts belong to a group that does not exist.*pops doctor/m);
    expectNoStackTrace(json.stderr);

    const table = await pops(['--db', db, 'accounts', 'list']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n').filter((l) => l.includes(missing()))).toHaveLength(2);
    expect(table.stdout).toContain('10001');

    const csv = await pops(['--db', db, 'accounts', 'list', '--all', '--csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\n').filter((l) => l.startsWith('10001,') || l.startsWith('10003,'))).toEqual([
      expect.stringContaining(`,${missing()},`),
      expect.stringContaining(`,${missing()},`),
    ]);

    // Filters and sorts keep it too.
    const filtered = await pops(['--db', db, 'accounts', 'list', '--in-collections', '--sort', 'name', '--json']);
    expect(JSON.parse(filtered.stdout).map((r: any) => r.accountNumber)).toEqual(['10001']);
    const searched = await pops(['--db', db, 'accounts', 'list', '--search', 'baker', '--json']);
    expect(JSON.parse(searched.stdout).map((r: any) => r.group)).toEqual([missing()]);
    unchanged();
  });

  it('accounts show shows it the same way, figures with new charges left out, and a warning naming pops doctor', async () => {
    const { db, unchanged } = brokenStore();
    const text = await pops(['--db', db, 'accounts', 'show', '10001']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^Group +\\(missing group ${missingId}\\) \\(new charges not in amount due\\)$`, 'm'));
    expect(text.stdout).toMatch(/^Amount due +\$40\.00$/m);
    expect(text.stderr).toMatch(new RegExp(`^pops: warning: account 10001 belongs to a group that does not exist \\(id ${missingId}\\).*pops doctor`, 'm'));
    expectNoStackTrace(text.stderr);

    const json = await pops(['--db', db, 'accounts', 'show', '10001', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ accountNumber: '10001', group: missing(), includeNewCharges: false, amountDue: '40.00' });
    unchanged();
  });

  it('export refuses with exit 4 naming pops doctor, writing nothing', async () => {
    const { db, unchanged } = brokenStore();
    const result = await pops(['--db', db, 'export']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pops: store is inconsistent: 2 accounts \(10001, 10003\) belong to a group that does not exist; export refused\n/);
    expect(result.stderr).toContain('pops doctor');
    expectNoStackTrace(result.stderr);

    const out = path.join(tempDir(), 'backup.json');
    const toFile = await pops(['--db', db, 'export', '--out', out]);
    expect(toFile.code).toBe(4);
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
    unchanged();
  });

  it('export refuses any other dangling reference too (an encounter whose facility row is gone)', async () => {
    const db = await makeStore({ dump: DUMP });
    const sqlite = new Database(db);
    sqlite.pragma('foreign_keys = OFF');
    sqlite.exec('DELETE FROM facilities');
    sqlite.close();
    const before = storeDigest(db);
    const result = await pops(['--db', db, 'export']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^pops: store is inconsistent: .*encounters.*facilities.*; export refused\n.*pops doctor/);
    expect(storeDigest(db)).toBe(before);
  });

  it('an encounter whose patient, facility and provider rows are gone: accounts show and preview keep it, named by the ids', async () => {
    const db = await makeStore({ dump: DUMP });
    const sqlite = new Database(db);
    sqlite.pragma('foreign_keys = OFF');
    const ids = sqlite
      .prepare(
        `SELECT e.patient_id AS patient, e.facility_id AS facility, e.provider_id AS provider FROM encounters e
         JOIN accounts a ON a.id = e.account_id WHERE a.account_number = '10002'`,
      )
      .get() as { patient: number; facility: number; provider: number };
    sqlite.prepare('DELETE FROM patients WHERE id = ?').run(ids.patient);
    sqlite.exec('DELETE FROM facilities; DELETE FROM providers');
    sqlite.close();
    const before = storeDigest(db);

    const show = await pops(['--db', db, 'accounts', 'show', '10002', '--json']);
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.encounters).toHaveLength(1);
    expect(shown.encounters[0]).toMatchObject({ patient: { lastName: `(missing patient ${ids.patient})` }, balance: '20.00' });
    const text = await pops(['--db', db, 'accounts', 'show', '10002']);
    expect(text.code, text.stderr).toBe(0);

    const page = await pops(['--db', db, 'preview', '10002']);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout).toContain(`(missing facility ${ids.facility})`);
    expect(page.stdout).toContain(`(missing provider ${ids.provider})`);
    expect(page.stdout).toContain('20.00');
    expectNoStackTrace(page.stderr);
    expect(storeDigest(db)).toBe(before);
  });

  it('preview --all writes the same page as preview <account>: rows gone and a name stored as a BLOB', async () => {
    const db = await makeStore({ dump: DUMP });
    const sqlite = new Database(db);
    sqlite.pragma('foreign_keys = OFF');
    const ids = sqlite
      .prepare(
        `SELECT e.patient_id AS patient, e.facility_id AS facility FROM encounters e
         JOIN accounts a ON a.id = e.account_id WHERE a.account_number = '10002'`,
      )
      .get() as { patient: number; facility: number };
    sqlite.prepare('DELETE FROM patients WHERE id = ?').run(ids.patient);
    sqlite.exec('DELETE FROM facilities');
    // Another tool stored a text as a BLOB (the bytes of "Lee").
    sqlite.exec(`UPDATE accounts SET guarantor_last_name = X'4C6565' WHERE account_number = '10002'`);
    sqlite.close();

    const dir = path.join(tempDir(), 'pages');
    const all = await pops(['--db', db, 'preview', '--all', '--out', dir]);
    expect(all.code, all.stderr).toBe(0);
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const single = await pops(['--db', db, 'preview', path.basename(file, '.txt'), '--width', '80']);
      expect(single.code, single.stderr).toBe(0);
      expect(fs.readFileSync(path.join(dir, file), 'utf8'), file).toBe(single.stdout);
    }
    const page = fs.readFileSync(
      path.join(
        dir,
        files.find((f) => f.endsWith('10002.txt'))!,
      ),
      'utf8',
    );
    expect(page).toContain(`(missing facility ${ids.facility})`);
    expect(page).toContain('Lee');
  });

  it('preview of it: exit 4 naming pops doctor and --group; through --group it renders', async () => {
    const { db, unchanged } = brokenStore();
    const result = await pops(['--db', db, 'preview', '10001']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^pops: account 10001 belongs to a group that does not exist \\(id ${missingId}\\)`));
    expect(result.stderr).toContain('pops doctor');
    expect(result.stderr).toContain('--group');
    expectNoStackTrace(result.stderr);

    const through = await pops(['--db', db, 'preview', '10001', '--group', 'Northshore Family Medicine']);
    expect(through.code, through.stderr).toBe(0);
    expect(through.stdout).toContain('Account 10001');
    unchanged();
  });

  it('preview --all --out / --check: exit 4 naming pops doctor before anything is written; one intact group still works', async () => {
    const { db, unchanged } = brokenStore();
    const dir = path.join(tempDir(), 'snapshots');
    const out = await pops(['--db', db, 'preview', '--all', '--out', dir]);
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(/^pops: store is inconsistent: 2 accounts \(10001, 10003\) belong to a group that does not exist; no snapshots taken\n/);
    expect(out.stderr).toContain('pops doctor');
    expect(fs.existsSync(dir)).toBe(false);

    fs.mkdirSync(dir);
    const check = await pops(['--db', db, 'preview', '--all', '--check', dir]);
    expect(check.code).toBe(4);
    expect(check.stdout).toBe('');
    expect(check.stderr).toContain('pops doctor');

    const one = await pops(['--db', db, 'preview', '--all', '--group', 'Northshore Family Medicine', '--out', dir]);
    expect(one.code, one.stderr).toBe(0);
    expect(fs.readdirSync(dir).length).toBe(1);
    unchanged();
  });

  it('groups list keeps the other groups and their counts, and warns; groups show, doctor report as before', async () => {
    const { db, unchanged } = brokenStore();
    const list = await pops(['--db', db, 'groups', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'Northshore Family Medicine', accounts: 1, accountsInCollections: 0 })]);
    expect(list.stderr).toMatch(/^pops: warning: 2 accounts belong to a group that does not exist.*pops doctor/m);

    const show = await pops(['--db', db, 'groups', 'show', 'Northshore Family Medicine', '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ accounts: 1 });

    const doctor = await pops(['--db', db, 'doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain('account 10001 belongs to a group that does not exist');
    expect(doctor.stdout).toContain('account 10003 belongs to a group that does not exist');
    unchanged();
  });
});
