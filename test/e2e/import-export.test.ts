// pops import / export / doctor on real temporary stores (SPEC §5).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BACKENDS, demoDump, makeStore, pops, storeDigest, tempDir, type RunResult } from '../helpers/cli.js';
import { account, baseDump, encounter, line, V2_DEFAULTS_JSON } from '../helpers/dumps.js';

function importInto(db: string, document: unknown, extra: string[] = []): Promise<RunResult> {
  return pops(['--db', db, 'import', '-', ...extra], { input: typeof document === 'string' ? document : JSON.stringify(document) });
}

// Import and export hold on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('export → import → export', () => {
    it('yields byte-identical JSON', async () => {
      const first = await makeStore({ demo: true }, backend);
      const exported = await pops(['--db', first, 'export']);
      expect(exported.code).toBe(0);
      const second = await makeStore({}, backend);
      expect((await importInto(second, exported.stdout)).code).toBe(0);
      const again = await pops(['--db', second, 'export']);
      expect(again.stdout).toBe(exported.stdout);
    });

    it('writes every group setting, money as two-decimal strings and phones as E.164', async () => {
      const db = await makeStore({ dump: baseDump({ accounts: [account('A-1', { unappliedFunds: 25 })] }) }, backend);
      const dump = JSON.parse((await pops(['--db', db, 'export'])).stdout);
      expect(dump.format).toBe('pops-dump');
      expect(dump.groups[0]).toEqual({
        name: 'Lakeside Pediatrics',
        showCollections: true,
        footerPhone: '+13125550142',
        footerEmail: null,
        footerText: null,
        landingPage: 'home',
        accountDashboard: true,
        includeNewCharges: false,
        creditCard: true,
        applePay: false,
        googlePay: false,
        storePaymentMethods: false,
        autoPost: false,
        requireCvv: true,
        logoUrl: null,
        ...V2_DEFAULTS_JSON,
      });
      expect(dump.accounts[0].unappliedFunds).toBe('25.00');
    });

    it('--out writes a 0600 file', async () => {
      const db = await makeStore({ demo: true }, backend);
      const out = path.join(tempDir(), 'backup.json');
      expect((await pops(['--db', db, 'export', '--out', out])).code).toBe(0);
      expect(fs.statSync(out).mode & 0o777).toBe(0o600);
      expect(JSON.parse(fs.readFileSync(out, 'utf8')).accounts.length).toBe(demoDump().accounts.length);
    });
  });

  describe('import conflicts', () => {
    it('an account, encounter or group that already exists is a conflict (exit 2, unchanged)', async () => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const result = await importInto(db, demoDump());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: groups\[0\]\.name: group "Lakeside Pediatrics" already exists/m);
      expect(result.stderr).toMatch(/accounts\[0\]\.accountNumber: account \S+ already exists/);
      expect(result.stderr).toContain('more not shown');
      expect(storeDigest(db)).toBe(before);
    });

    it('--replace replaces the whole store content', async () => {
      const db = await makeStore({ demo: true }, backend);
      const small = baseDump({ accounts: [account('NEW-1')] });
      expect((await importInto(db, small, ['--replace'])).code).toBe(0);
      const dump = JSON.parse((await pops(['--db', db, 'export'])).stdout);
      expect(dump.accounts.map((a: { accountNumber: string }) => a.accountNumber)).toEqual(['NEW-1']);
      expect(dump.groups).toHaveLength(1);
    });

    it('references resolve against the store too, and a same-code same-name facility is accepted', async () => {
      const db = await makeStore({ dump: baseDump() }, backend);
      const more = {
        format: 'pops-dump',
        version: 1,
        facilities: [{ code: 'MAIN', name: 'Lakeside Main Clinic' }],
        accounts: [account('B-1', { encounters: [encounter({ lines: [line(1, { billed: '10.00' })] })] })],
      };
      expect((await importInto(db, more)).code).toBe(0);
      const clash = { format: 'pops-dump', version: 1, facilities: [{ code: 'MAIN', name: 'Another Clinic' }] };
      const result = await importInto(db, clash);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('facilities[0].name: code "MAIN" already exists in the store with the name "Lakeside Main Clinic"');
    });
  });

  describe('bad dumps: exit 2, one line per problem with its JSON path, store unchanged', () => {
    const valid = () =>
      baseDump({
        accounts: [
          account('10042', {
            encounters: [
              encounter({
                number: 67563,
                status: 'collections',
                collectionAgency: 'SUMMIT',
                sentToCollectionsOn: '2026-10-20',
                lines: [line(1, { billed: '180.00' })],
              }),
            ],
            statements: [{ date: '2026-10-01', dueDate: '2026-10-25', amountDue: '40.00' }],
            payments: [{ date: '2026-10-05', amount: '10.00', method: 'portal' }],
          }),
        ],
      });

    const cases: [string, (d: any) => void, RegExp][] = [
      [
        'money with three decimals',
        (d) => (d.accounts[0].encounters[0].lines[0].billed = '12.345'),
        /accounts\[0\]\.encounters\[0\]\.lines\[0\]\.billed: expected money with at most 2 decimals, got "12\.345"/,
      ],
      ['money of the wrong type', (d) => (d.accounts[0].unappliedFunds = true), /accounts\[0\]\.unappliedFunds: expected money/],
      ['negative amounts', (d) => (d.accounts[0].encounters[0].lines[0].adjusted = '-1.00'), /lines\[0\]\.adjusted: expected an amount of zero or more/],
      [
        'an impossible date',
        (d) => (d.accounts[0].statements[0].date = '2026-02-30'),
        /accounts\[0\]\.statements\[0\]\.date: expected a date YYYY-MM-DD, got "2026-02-30"/,
      ],
      ['an unknown group', (d) => (d.accounts[0].group = 'Nowhere Clinic'), /accounts\[0\]\.group: no such group "Nowhere Clinic"/],
      ['an unknown patient', (d) => (d.accounts[0].encounters[0].patient = 'P9'), /encounters\[0\]\.patient: no patient "P9" in this account/],
      ['an unknown facility', (d) => (d.accounts[0].encounters[0].facility = 'XX'), /encounters\[0\]\.facility: no such facility "XX"/],
      ['an unknown provider', (d) => (d.accounts[0].encounters[0].provider = 'XX'), /encounters\[0\]\.provider: no such provider "XX"/],
      ['an unknown agency', (d) => (d.accounts[0].encounters[0].collectionAgency = 'XX'), /encounters\[0\]\.collectionAgency: no such collection agency "XX"/],
      [
        'collections without an agency',
        (d) => delete d.accounts[0].encounters[0].collectionAgency,
        /encounters\[0\]\.collectionAgency: an encounter in collections needs a collection agency/,
      ],
      ['an open encounter with an agency', (d) => (d.accounts[0].encounters[0].status = 'open'), /an open encounter cannot have a collection agency/],
      [
        'a duplicate encounter number',
        (d) => d.accounts.push(account('10043', { encounters: [{ ...d.accounts[0].encounters[0] }] })),
        /accounts\[1\]\.encounters\[0\]\.number: duplicate encounter number 67563/,
      ],
      ['a duplicate account number', (d) => d.accounts.push(account('10042')), /accounts\[1\]\.accountNumber: duplicate account number "10042"/],
      ['a bad account number', (d) => (d.accounts[0].accountNumber = '10042; DROP TABLE accounts'), /accounts\[0\]\.accountNumber: expected 1-20 characters/],
      ['an unknown field', (d) => (d.accounts[0].nickname = 'x'), /accounts\[0\]\.nickname: unknown field/],
      ['a missing field', (d) => delete d.accounts[0].guarantor, /accounts\[0\]\.guarantor: required field is missing/],
      [
        'a due date before the statement date',
        (d) => (d.accounts[0].statements[0].dueDate = '2026-09-01'),
        /statements\[0\]\.dueDate: due date 2026-09-01 is before/,
      ],
      ['a zero payment', (d) => (d.accounts[0].payments[0].amount = '0.00'), /payments\[0\]\.amount: expected an amount above zero/],
      ['an unknown payment method', (d) => (d.accounts[0].payments[0].method = 'bitcoin'), /payments\[0\]\.method: expected "card" or/],
      ['an invalid group phone', (d) => (d.groups[0].footerPhone = '555-555-0142'), /groups\[0\]\.footerPhone: not a valid North American phone number/],
      ['a group name with control characters', (d) => (d.groups[0].name = 'Lake\u001b[31mside'), /groups\[0\]\.name: group name contains control characters/],
      ['a wrong format marker', (d) => (d.format = 'csv'), /^pops: format: expected "pops-dump"/m],
    ];

    it.each(cases)('%s', async (_what, mutate, message) => {
      const db = await makeStore({}, backend);
      const before = storeDigest(db);
      const document = valid();
      mutate(document);
      const result = await importInto(db, document);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(
        result.stderr
          .split('\n')
          .filter(Boolean)
          .every((l) => l.startsWith('pops: ')),
      ).toBe(true);
      expect(storeDigest(db)).toBe(before);
    });

    it('the valid base document imports (so each case above fails for its own reason)', async () => {
      const db = await makeStore({}, backend);
      expect((await importInto(db, valid())).code).toBe(0);
    });

    it('malformed JSON: one line, exit 2', async () => {
      const db = await makeStore({}, backend);
      const before = storeDigest(db);
      const result = await importInto(db, '{"format": "pops-dump", ');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: stdin: malformed JSON/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(storeDigest(db)).toBe(before);
    });

    it('a missing file: exit 2 naming it', async () => {
      const db = await makeStore({}, backend);
      const result = await pops(['--db', db, 'import', path.join(tempDir(), 'nope.json')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/cannot read .*nope\.json: no such file/);
    });

    it('reports every problem, at most 50, then how many more', async () => {
      const db = await makeStore({}, backend);
      const document = valid();
      document.accounts = Array.from({ length: 60 }, (_, i) => account(`X${i}`, { unappliedFunds: '1.234' }));
      const result = await importInto(db, document);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(51);
      expect(lines[50]).toBe('pops: 10 more not shown');
    });

    it('text from another system may hold any characters and survives the round trip', async () => {
      const db = await makeStore({}, backend);
      const document = valid();
      document.accounts[0].guarantor.lastName = "O'Brien\u001b[31m; DROP TABLE accounts;--";
      expect((await importInto(db, document)).code).toBe(0);
      const dump = JSON.parse((await pops(['--db', db, 'export'])).stdout);
      expect(dump.accounts[0].guarantor.lastName).toBe("O'Brien\u001b[31m; DROP TABLE accounts;--");
    });
  });
});

describe('pops doctor', () => {
  it('a clean store: exit 0', async () => {
    const db = await makeStore({ dump: baseDump() });
    const result = await pops(['--db', db, 'doctor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
  });

  it('lists each configuration finding and exits 1', async () => {
    const db = await makeStore({
      dump: baseDump({
        groups: [
          { name: 'No Footer', showCollections: true },
          { name: 'No Payments', creditCard: false },
        ],
      }),
    });
    const sqlite = new Database(db);
    sqlite.pragma('foreign_keys = OFF');
    sqlite.exec(`INSERT INTO accounts (account_number, guarantor_first_name, guarantor_last_name, group_id) VALUES ('ORPHAN', 'A', 'B', 999)`);
    sqlite.close();
    const result = await pops(['--db', db, 'doctor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('group "No Footer" has Show Collections on but no footer number');
    expect(result.stdout).toContain('group "No Payments" has no payment method on');
    expect(result.stdout).toContain('account ORPHAN belongs to a group that does not exist');
    expect(result.stdout).toMatch(/foreign-key: accounts row \d+ refers to a missing groups row/);
  });
});
