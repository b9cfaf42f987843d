// pops doctor's portal findings (docs/store.md, "doctor"): each shows as one
// line naming its group, account or encounter, in a fixed order, for a store
// that has it; a store with the same kinds of data but none of the faults has
// none of them (exit 0).
import { describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

const FOOTER = { showCollections: true, footerPhone: '(312) 555-0142' };

/** What a healthy store looks like: themed groups that read well, a credit account, a collection that is owed. */
const HEALTHY = baseDump({
  groups: [
    { name: 'Lakeside Pediatrics', ...FOOTER, themeBackground: '#FFFFFF', themeSurface: '#808080', themePrimary: '#1f6feb' },
    {
      name: 'Night Owl Clinic',
      ...FOOTER,
      themeDark: true,
      themeBackground: '#121212',
      themeSurface: '#1e1e1e',
      landingPage: 'account',
      logoutFunction: 'close',
    },
    { name: 'Split Clinic', splitPayments: true, applePay: false, googlePay: true },
  ],
  accounts: [
    // Statement $150.00, $50.00 paid since, $150.00 still owed: amount due $100.00 ≤ current balance $150.00.
    account('10001', {
      encounters: [encounter({ serviceDate: '2026-09-01', lines: [line(1, { billed: '200.00', patientPaid: '50.00' })] })],
      statements: [{ date: '2026-09-10', dueDate: '2026-10-05', amountDue: '150.00' }],
      payments: [{ date: '2026-09-20', amount: '50.00', method: 'card' }],
    }),
    // In credit with nothing due.
    account('10002', {
      group: 'Night Owl Clinic',
      encounters: [encounter({ lines: [line(1, { billed: '0.00', patientPaid: '25.00' })] })],
    }),
    // A collection that is still owed, with its agency.
    account('10003', {
      group: 'Split Clinic',
      encounters: [encounter({ status: 'collections', collectionAgency: 'SUMMIT', lines: [line(1, { billed: '240.00' })] })],
    }),
  ],
});

/** One of each portal fault. */
const FAULTY = baseDump({
  groups: [
    { name: 'Lakeside Pediatrics', ...FOOTER },
    { name: 'Aspen Care', ...FOOTER, logoutFunction: 'none' },
    { name: 'Birch Health', ...FOOTER, landingPage: 'account', accountDashboard: false },
    { name: 'Cedar Clinic', ...FOOTER, applePay: true, splitPayments: true },
    { name: 'Dusk Medical', ...FOOTER, themeBackground: '#555555', themeSurface: '#ffffff' },
    { name: 'Elm Night', ...FOOTER, themeDark: true, themeBackground: '#121212', themeSurface: '#777777' },
  ],
  accounts: [
    // Statement $300.00, nothing paid; later adjustments leave $120.00: amount due $300.00 > current balance $120.00.
    account('20001', {
      encounters: [encounter({ serviceDate: '2026-09-01', lines: [line(1, { billed: '300.00', adjusted: '180.00' })] })],
      statements: [{ date: '2026-09-10', dueDate: '2026-10-05', amountDue: '300.00' }],
    }),
    // Collections with nothing owed: paid off, and overpaid.
    account('20002', {
      encounters: [
        encounter({ number: 70001, status: 'collections', collectionAgency: 'SUMMIT', lines: [line(1, { billed: '80.00', patientPaid: '80.00' })] }),
        encounter({ number: 70002, status: 'collections', collectionAgency: 'SUMMIT', lines: [line(1, { billed: '80.00', patientPaid: '95.00' })] }),
        encounter({ number: 70003, status: 'collections', collectionAgency: 'SUMMIT', lines: [line(1, { billed: '80.00' })] }),
      ],
    }),
  ],
});

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('pops doctor: portal findings', () => {
    it('a store without the faults: none of them, exit 0', async () => {
      const db = await makeStore({ dump: HEALTHY }, backend);
      const result = await pops(['--db', db, 'doctor']);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('pops: no problems found\n');
      expect(result.code).toBe(0);
    });

    it('a store with each fault: one line each, in a fixed order, exit 1, the store untouched', async () => {
      const db = await makeStore({ dump: FAULTY }, backend);
      const before = storeDigest(db);
      const result = await pops(['--db', db, 'doctor']);
      expect(result.code).toBe(1);
      expect(result.stdout.split('\n')).toEqual([
        'config: group "Aspen Care" has logout function none: the portal shows no Log Out or Close (not recommended)',
        'config: group "Birch Health" lands on the Account page, but its Account dashboard is off',
        'config: group "Cedar Clinic" has Apple Pay on with split payments on: Apple Pay is not offered',
        'config: group "Dusk Medical" has theme background #555555: dark text (#000000) on it has contrast 2.8:1, below 4.5:1 (WCAG AA)',
        'config: group "Elm Night" has theme surface #777777: light text (#ffffff, Dark theme on) on it has contrast 4.4:1, below 4.5:1 (WCAG AA)',
        'config: account 20001 has an amount due of $300.00, more than its current balance of $120.00',
        'config: encounter 70001 of account 20002 is in collections with a balance of $0.00',
        'config: encounter 70002 of account 20002 is in collections with a balance of -$15.00',
        '',
      ]);
      expect(result.stderr).toBe('pops: 8 problems found\n');
      expect(storeDigest(db)).toBe(before);

      const json = await pops(['--db', db, 'doctor', '--json']);
      expect(json.code).toBe(1);
      const findings = JSON.parse(json.stdout) as { kind: string; message: string }[];
      expect(findings).toHaveLength(8);
      expect(findings.every((f) => f.kind === 'config')).toBe(true);
      expect(findings.map((f) => `config: ${f.message}`).join('\n') + '\n').toBe(result.stdout);
    });

    it('a group whose only payment method is Apple Pay, withheld by split payments, offers none', async () => {
      const db = await makeStore(
        {
          dump: baseDump({ groups: [{ name: 'Lakeside Pediatrics', ...FOOTER, creditCard: false, applePay: true, splitPayments: true }] }),
        },
        backend,
      );
      const result = await pops(['--db', db, 'doctor']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe(
        'config: group "Lakeside Pediatrics" offers no payment method: Apple Pay, its only one on, is not offered while split payments is on\n' +
          'config: group "Lakeside Pediatrics" has Apple Pay on with split payments on: Apple Pay is not offered\n',
      );
    });

    it('the amount-due check uses each group’s own rule: new charges count where the group includes them', async () => {
      // No statement; $90.00 of new charges, then a $100.00 credit on another visit: current balance -$10.00.
      const accounts = [
        account('30001', {
          encounters: [
            encounter({ serviceDate: '2026-09-01', lines: [line(1, { billed: '90.00' })] }),
            encounter({ serviceDate: '2026-09-02', lines: [line(1, { billed: '0.00', patientPaid: '100.00' })] }),
          ],
        }),
      ];
      // In credit with nothing due, whether the group counts new charges (they sum below zero) or not: nothing to report.
      const excluded = await pops(['--db', await makeStore({ dump: baseDump({ accounts }) }, backend), 'doctor']);
      expect(excluded.code).toBe(0);
      const included = await pops([
        '--db',
        await makeStore({ dump: baseDump({ groups: [{ name: 'Lakeside Pediatrics', ...FOOTER, includeNewCharges: true }], accounts }) }, backend),
        'doctor',
      ]);
      expect(included.code).toBe(0);

      // A statement of $50.00 with nothing paid, and only a $20.00 new charge since: included, amount due $70.00 > $20.00.
      const owed = [
        account('30002', {
          encounters: [encounter({ serviceDate: '2026-09-20', lines: [line(1, { billed: '20.00' })] })],
          statements: [{ date: '2026-09-10', dueDate: '2026-10-05', amountDue: '50.00' }],
        }),
      ];
      const withCharges = await pops([
        '--db',
        await makeStore({ dump: baseDump({ groups: [{ name: 'Lakeside Pediatrics', ...FOOTER, includeNewCharges: true }], accounts: owed }) }, backend),
        'doctor',
      ]);
      expect(withCharges.stdout).toBe('config: account 30002 has an amount due of $70.00, more than its current balance of $20.00\n');
      const withoutCharges = await pops(['--db', await makeStore({ dump: baseDump({ accounts: owed }) }, backend), 'doctor']);
      expect(withoutCharges.stdout).toBe('config: account 30002 has an amount due of $50.00, more than its current balance of $20.00\n');
    });
  });
});
