// pops accounts show (SPEC §7): the pure §4 figures for one account, which must
// agree with the SQL figures of `accounts list` and with the SPEC itself.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { HOSTILE_ACCOUNT, centsText, textCents, expectedAccounts, expectedShowExtras, generateDump } from '../helpers/account-generator.js';

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('pops accounts show on a hand-made account', () => {
    let db: string;
    beforeAll(async () => {
      db = await makeStore(
        {
          dump: baseDump({
            accounts: [
              account('10042', {
                unappliedFunds: '12.50',
                patients: [{ id: 'P1', firstName: 'Leo', lastName: 'Rivera' }],
                encounters: [
                  encounter({
                    number: 67563,
                    serviceDate: '2026-09-14',
                    status: 'collections',
                    collectionAgency: 'SUMMIT',
                    sentToCollectionsOn: '2026-10-20',
                    lines: [line(1, { billed: '180.00', adjusted: '40.00', insurancePaid: '100.00' })],
                  }),
                  encounter({ number: 67600, serviceDate: '2026-10-10', lines: [line(1, { billed: '50.00' })] }),
                  encounter({
                    number: 67601,
                    serviceDate: '2026-08-01',
                    status: 'pre-collections',
                    lines: [line(1, { billed: '20.00', patientPaid: '25.00' })],
                  }),
                ],
                statements: [
                  { date: '2026-09-01', dueDate: '2026-09-25', amountDue: '30.00' },
                  { date: '2026-10-01', dueDate: '2026-10-25', amountDue: '40.00' },
                ],
                payments: [
                  { date: '2026-10-01', amount: '5.00', method: 'card' },
                  { date: '2026-10-05', amount: '10.00', method: 'portal' },
                ],
              }),
              account('20001', { guarantor: { firstName: 'Ann', lastName: 'Lee' } }),
            ],
          }),
        },
        backend,
      );
    });

    it('--json carries every §4 figure as a two-decimal string and dates as YYYY-MM-DD', async () => {
      const result = await pops(['--db', db, 'accounts', 'show', '10042', '--json']);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${JSON.stringify(JSON.parse(result.stdout), null, 2)}\n`);
      expect(JSON.parse(result.stdout)).toEqual({
        accountNumber: '10042',
        guarantor: { firstName: 'Maria', lastName: 'Rivera' },
        group: 'Lakeside Pediatrics',
        accountGroup: 'Lakeside Pediatrics',
        includeNewCharges: false,
        collectionBalance: '40.00',
        preCollectionsBalance: '-5.00',
        nonCollectionBalance: '45.00',
        totalBalance: '85.00',
        amountDue: '30.00',
        lastStatement: '30.00',
        unappliedFunds: '12.50',
        currentBalance: '45.00',
        payableOnline: '45.00',
        paymentsSinceStatement: '10.00',
        newCharges: '50.00',
        latestStatement: { date: '2026-10-01', dueDate: '2026-10-25', amountDue: '40.00' },
        portal: {
          landingPage: 'home',
          collectionPanel: { shown: true, reason: null },
          payNow: { shown: true, reason: null },
          payableOnline: '45.00',
          paymentMethods: ['creditCard'],
          applePayWithheld: false,
        },
        encounters: [
          {
            number: 67601,
            serviceDate: '2026-08-01',
            patient: { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
            status: 'pre-collections',
            collectionAgency: null,
            sentToCollectionsOn: null,
            balance: '-5.00',
          },
          {
            number: 67563,
            serviceDate: '2026-09-14',
            patient: { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
            status: 'collections',
            collectionAgency: { code: 'SUMMIT', name: 'Summit Recovery Services' },
            sentToCollectionsOn: '2026-10-20',
            balance: '40.00',
          },
          {
            number: 67600,
            serviceDate: '2026-10-10',
            patient: { id: 'P1', firstName: 'Leo', lastName: 'Rivera' },
            status: 'open',
            collectionAgency: null,
            sentToCollectionsOn: null,
            balance: '50.00',
          },
        ],
      });
    });

    it('the text shows guarantor, group, each figure on screen ($, MM/DD/YYYY) and each encounter', async () => {
      const result = await pops(['--db', db, 'accounts', 'show', '10042']);
      expect(result.code).toBe(0);
      const text = result.stdout;
      expect(text).not.toMatch(/\u001b/);
      expect(text).toMatch(/^Guarantor\s+Rivera, Maria$/m);
      expect(text).toMatch(/^Group\s+Lakeside Pediatrics/m);
      expect(text).toMatch(/^Latest statement\s+10\/01\/2026, due 10\/25\/2026, \$40\.00$/m);
      const figures: [string, string][] = [
        ['Collection balance', '$40.00'],
        ['Pre-collections balance', '-$5.00'],
        ['Non-collection balance', '$45.00'],
        ['Total balance', '$85.00'],
        ['Amount due', '$30.00'],
        ['Last statement', '$30.00'],
        ['Current balance', '$45.00'],
        ['Unapplied funds', '$12.50'],
        ['Payable online', '$45.00'],
        ['Payments since statement', '$10.00'],
        ['New charges', '$50.00'],
      ];
      for (const [label, value] of figures) expect(text).toMatch(new RegExp(`^${label}\\s+${value.replace(/[$.]/g, '\\$&')}$`, 'm'));
      expect(text).toMatch(/67563\s+│ 09\/14\/2026\s+│ Rivera, Leo\s+│ Collections\s+│ Summit Recovery Services\s+│\s+\$40\.00/);
      expect(text).toMatch(/67600\s+│ 10\/10\/2026\s+│ Rivera, Leo\s+│ Open\s+│\s+│\s+\$50\.00/);
      expect(text.split('\n').every((l) => l === l.trimEnd())).toBe(true);
    });

    it('an account with one statement or none shows Last statement as — (JSON null)', async () => {
      const text = (await pops(['--db', db, 'accounts', 'show', '20001'])).stdout;
      expect(text).toMatch(/^Last statement\s+—$/m);
      expect(text).toMatch(/^Latest statement\s+none$/m);
      expect(text).toContain('No encounters.');
      const json = JSON.parse((await pops(['--db', db, 'accounts', 'show', '20001', '--json'])).stdout);
      expect(json.lastStatement).toBeNull();
      expect(json.latestStatement).toBeNull();
      expect(json.encounters).toEqual([]);
    });

    it('an unknown account is exit 3 with a hint', async () => {
      const result = await pops(['--db', db, 'accounts', 'show', '99999']);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^pops: no such account: "99999"\n/);
    });

    it('a missing account argument is exit 2', async () => {
      expect((await pops(['--db', db, 'accounts', 'show'])).code).toBe(2);
    });
  });

  describe('pops accounts show agrees with accounts list and with SPEC §4 on a generated store', () => {
    let db: string;
    let dump: Record<string, any>;
    beforeAll(async () => {
      dump = generateDump(4242, 60);
      db = await makeStore({ dump }, backend);
    });

    it('for a sample of accounts, the pure figures (show) equal the SQL figures (list) and the SPEC', async () => {
      const list = new Map<string, any>(
        JSON.parse((await pops(['--db', db, 'accounts', 'list', '--all', '--json'])).stdout).map((r: any) => [r.accountNumber, r]),
      );
      const expected = new Map(expectedAccounts(dump).map((a) => [a.json.accountNumber, a.json]));
      const sample = dump.accounts.filter((_: unknown, i: number) => i % 4 === 0 || i === 3);
      expect(sample.length).toBeGreaterThan(10);
      for (const source of sample) {
        const number = source.accountNumber;
        const show = JSON.parse((await pops(['--db', db, 'accounts', 'show', number, '--json'])).stdout);
        const listed = list.get(number);
        for (const field of ['collectionBalance', 'preCollectionsBalance', 'nonCollectionBalance', 'totalBalance', 'amountDue', 'unappliedFunds'] as const) {
          expect(show[field], `${number} ${field}`).toBe(listed[field]);
          expect(show[field], `${number} ${field}`).toBe(expected.get(number)![field]);
        }
        expect(show.currentBalance).toBe(listed.nonCollectionBalance);
        const extras = expectedShowExtras(source);
        expect(show.lastStatement, `${number} lastStatement`).toBe(extras.lastStatement);
        expect(show.paymentsSinceStatement, `${number} paymentsSinceStatement`).toBe(extras.paymentsSinceStatement);
        expect(show.payableOnline, `${number} payableOnline`).toBe(extras.payableOnline);
        expect(show.newCharges, `${number} newCharges`).toBe(extras.newCharges);
        expect(show.encounters).toHaveLength(source.encounters.length);
        for (const e of show.encounters) {
          const original = source.encounters.find((x: any) => x.number === e.number);
          const cents = original.lines.reduce(
            (sum: number, l: any) => sum + textCents(l.billed) - textCents(l.adjusted) - textCents(l.insurancePaid) - textCents(l.patientPaid),
            0,
          );
          expect(e.balance).toBe(centsText(cents));
          expect(e.status).toBe(original.status);
          expect(e.collectionAgency?.code ?? undefined).toBe(original.collectionAgency);
        }
      }
    });

    it('a guarantor name with escape sequences never reaches the terminal raw', async () => {
      const result = await pops(['--db', db, 'accounts', 'show', HOSTILE_ACCOUNT]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Alert');
      expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    });
  });
});
