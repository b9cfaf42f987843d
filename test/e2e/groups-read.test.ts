// pops groups list / show on real temporary stores (SPEC §6).
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest, storeSql } from '../helpers/cli.js';
import { account, baseDump, encounter, line, V2_DEFAULTS_JSON } from '../helpers/dumps.js';

let demo: string;

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  beforeAll(async () => {
    demo = await makeStore({ demo: true }, backend);
  });

  describe('groups list', () => {
    it('--json: one object per group with its footer number in E.164 and both account counts', async () => {
      const result = await pops(['--db', demo, 'groups', 'list', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual([
        { id: 1, name: 'Lakeside Pediatrics', showCollections: true, footerPhone: '+13125550142', accounts: 14, accountsInCollections: 3 },
        { id: 2, name: 'Northshore Family Medicine', showCollections: false, footerPhone: '+17735550188;ext=12', accounts: 12, accountsInCollections: 2 },
        { id: 3, name: 'Riverbend Orthopedics', showCollections: true, footerPhone: null, accounts: 10, accountsInCollections: 2 },
      ]);
    });

    it('--csv: a header of the JSON field names, then one row per group', async () => {
      const result = await pops(['--db', demo, 'groups', 'list', '--csv']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        [
          'id,name,showCollections,footerPhone,accounts,accountsInCollections',
          // E.164 begins with +, which a spreadsheet would read as a formula: guarded with ' (docs/formats.md "CSV").
          "1,Lakeside Pediatrics,true,'+13125550142,14,3",
          "2,Northshore Family Medicine,false,'+17735550188;ext=12,12,2",
          '3,Riverbend Orthopedics,true,,10,2',
          '',
        ].join('\n'),
      );
    });

    it('a table: name, Show Collections, footer number on screen, the two counts', async () => {
      const result = await pops(['--db', demo, 'groups', 'list']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Name\s+│ Show Collections │ Footer number\s+│ Accounts │ With collection balance/);
      expect(result.stdout).toMatch(/Lakeside Pediatrics\s+│ on\s+│ \(312\) 555-0142\s+│\s+14 │\s+3 │/);
      expect(result.stdout).toMatch(/Northshore Family Medicine │ off\s+│ \(773\) 555-0188 ext\. 12 │\s+12 │\s+2 │/);
      expect(result.stdout).toMatch(/Riverbend Orthopedics\s+│ on\s+│ not set\s+│\s+10 │\s+2 │/);
      expect(result.stdout).not.toMatch(/\u001b/);
    });

    it('counts only accounts whose collection balance is above zero', async () => {
      const dump = baseDump({
        accounts: [
          account('A-1', { encounters: [encounter({ status: 'collections', collectionAgency: 'SUMMIT', lines: [line(1, { billed: '50.00' })] })] }),
          // In collections, but fully paid: no collection balance.
          account('A-2', {
            encounters: [encounter({ status: 'collections', collectionAgency: 'SUMMIT', lines: [line(1, { billed: '50.00', patientPaid: '50.00' })] })],
          }),
          account('A-3', { encounters: [encounter({ lines: [line(1, { billed: '80.00' })] })] }),
        ],
      });
      const db = await makeStore({ dump }, backend);
      const [group] = JSON.parse((await pops(['--db', db, 'groups', 'list', '--json'])).stdout);
      expect(group).toMatchObject({ accounts: 3, accountsInCollections: 1 });
    });

    it('an empty store: [] in JSON, a header alone in CSV, a hint on stderr for the table', async () => {
      const db = await makeStore({}, backend);
      expect((await pops(['--db', db, 'groups', 'list', '--json'])).stdout).toBe('[]\n');
      expect((await pops(['--db', db, 'groups', 'list', '--csv'])).stdout).toBe('id,name,showCollections,footerPhone,accounts,accountsInCollections\n');
      const table = await pops(['--db', db, 'groups', 'list']);
      expect(table).toMatchObject({ code: 0, stdout: '' });
      expect(table.stderr).toMatch(/no groups yet/);
    });

    it('--json and --csv together: exit 2', async () => {
      const result = await pops(['--db', demo, 'groups', 'list', '--json', '--csv']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^pops: /);
    });

    it('writes store text to tables and CSV sanitized, and to JSON escaped', async () => {
      const db = await makeStore({ dump: baseDump() }, backend);
      // Text that validation would refuse, as if it came from an older tool.
      storeSql(db, "UPDATE groups SET name = ? WHERE name = 'Lakeside Pediatrics'", 'Evil\u001b[2J\u0007Group');
      for (const format of [[], ['--csv']]) {
        const result = await pops(['--db', db, 'groups', 'list', ...format]);
        expect(result.code).toBe(0);
        expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
        expect(result.stdout).toContain('Evil\ufffd\ufffdGroup');
      }
      const json = await pops(['--db', db, 'groups', 'list', '--json']);
      expect(json.stdout).toContain('"Evil\\u001b[2J\\u0007Group"');
    });
  });

  describe('groups show', () => {
    it('--json: id, name, every setting under its own name, and the two counts', async () => {
      const result = await pops(['--db', demo, 'groups', 'show', 'Lakeside Pediatrics', '--json']);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        id: 1,
        name: 'Lakeside Pediatrics',
        showCollections: true,
        footerPhone: '+13125550142',
        footerEmail: 'billing@lakesidepeds.example.com',
        footerText: 'Office hours: Mon–Fri 8:00–17:00',
        landingPage: 'home',
        accountDashboard: true,
        includeNewCharges: false,
        creditCard: true,
        applePay: true,
        googlePay: false,
        storePaymentMethods: false,
        autoPost: false,
        requireCvv: true,
        logoUrl: null,
        ...V2_DEFAULTS_JSON,
        accounts: 14,
        accountsInCollections: 3,
      });
    });

    it('names the group in any case, or by its id', async () => {
      const byName = await pops(['--db', demo, 'groups', 'show', 'RIVERBEND orthopedics', '--json']);
      const byId = await pops(['--db', demo, 'groups', 'show', '3', '--json']);
      expect(byName.code).toBe(0);
      expect(byId.stdout).toBe(byName.stdout);
      expect(JSON.parse(byId.stdout)).toMatchObject({ name: 'Riverbend Orthopedics', footerPhone: null, landingPage: 'account' });
    });

    it('a table: each setting by its name in words, values as on screen', async () => {
      const result = await pops(['--db', demo, 'groups', 'show', 'Northshore Family Medicine']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/│ Show Collections\s+│ off\s+│/);
      expect(result.stdout).toMatch(/│ Footer number\s+│ \(773\) 555-0188 ext\. 12\s+│/);
      expect(result.stdout).toMatch(/│ Footer email\s+│ not set\s+│/);
      expect(result.stdout).toMatch(/│ Include new charges in Amount Due\s+│ on\s+│/);
      expect(result.stdout).toMatch(/│ Accounts\s+│ 12\s+│/);
      expect(result.stdout).toMatch(/│ Accounts with a collection balance\s+│ 2\s+│/);
    });

    it('an unknown group: exit 3, one message and a hint', async () => {
      const before = storeDigest(demo);
      const result = await pops(['--db', demo, 'groups', 'show', 'Lakeside']);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      // The name starts only one group's name: the hint suggests it (SPEC §13 "did you mean").
      expect(result.stderr).toBe('pops: no such group: "Lakeside"\nDid you mean "Lakeside Pediatrics"?\n');
      expect(storeDigest(demo)).toBe(before);
    });
  });
});
