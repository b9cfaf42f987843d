// pops preview --page / --quickpay (docs/portal.md, "Pages") on real temporary
// stores, in-process: each page of the portal, the landing page, declined
// payments on Receipts, the usage errors and the footer-number warning.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';
import { displayWidth } from '../../src/base/text-width.js';

const NAV = /^(\[?Home\]?) \| .*\bReceipts\b.*$/m;

/** The page's words with panel borders and line breaks taken out (a sentence may wrap). */
function words(text: string): string {
  return text.replace(/[│║]/g, ' ').replace(/\s+/g, ' ');
}

function expectPage(text: string, width: number): void {
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toMatch(/\u001b/);
  for (const row of text.slice(0, -1).split('\n')) {
    expect(displayWidth(row)).toBeLessThanOrEqual(width);
    expect(row).not.toMatch(/\s$/);
  }
}

/**
 * Maria Rivera's account at Lakeside Pediatrics: $60.00 open (of which $50.00
 * due on the October statement), $240.00 in collections, two statements, and
 * three payments — one of them a declined card.
 */
const DUMP = baseDump({
  groups: [
    {
      name: 'Lakeside Pediatrics',
      showCollections: true,
      footerPhone: '(312) 555-0142',
      creditCard: true,
      googlePay: true,
      emailReceipts: true,
      logoutFunction: 'close',
    },
    { name: 'Quiet Clinic', showCollections: true, creditCard: false, applePay: false, googlePay: false },
  ],
  accounts: [
    account('20001', {
      encounters: [
        encounter({ serviceDate: '2026-09-14', lines: [line(1, { billed: '60.00' })] }),
        encounter({
          serviceDate: '2026-04-02',
          status: 'collections',
          collectionAgency: 'SUMMIT',
          sentToCollectionsOn: '2026-08-01',
          lines: [line(1, { billed: '240.00' })],
        }),
      ],
      statements: [
        { date: '2026-09-01', dueDate: '2026-09-26', amountDue: '40.00' },
        { date: '2026-10-01', dueDate: '2026-10-26', amountDue: '50.00' },
      ],
      payments: [
        { date: '2026-09-20', amount: '40.00', method: 'card' },
        { date: '2026-10-12', amount: '65.00', method: 'card', status: 'declined' },
        { date: '2026-08-03', amount: '15.00', method: 'cash' },
      ],
    }),
    account('20002', {
      group: 'Quiet Clinic',
      encounters: [
        encounter({ lines: [line(1, { billed: '30.00' })] }),
        encounter({ status: 'collections', collectionAgency: 'SUMMIT', sentToCollectionsOn: '2026-08-01', lines: [line(1, { billed: '90.00' })] }),
      ],
    }),
  ],
});

// The same on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('pops preview --page', () => {
    let db: string;
    beforeAll(async () => {
      db = await makeStore({ dump: DUMP }, backend);
    });
    const preview = (...args: string[]) => pops(['--db', db, 'preview', ...args]);

    it('home: the header, the navigation, the Welcome panel, the footer', async () => {
      const result = await preview('20001', '--page', 'home');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Account 20001');
      expect(result.stdout).toMatch(NAV);
      expect(result.stdout).toContain('[Home] | Account | Pay | Receipts | Statements | Close\n');
      expect(result.stdout).toContain('─ Welcome ─');
      expect(result.stdout).toMatch(/Amount Due +\$50\.00/);
      expect(result.stdout).toMatch(/Current Balance +\$60\.00/);
      expect(result.stdout).toContain('[ Pay Now ]');
      expect(result.stdout).toContain('View Current Statement');
      expect(result.stdout).toContain('Your latest statement of $50.00 is due 10/26/2026.');
      expect(result.stdout).toContain('Phone: (312) 555-0142');
      expectPage(result.stdout, 80);
    });

    it('pay: the amounts (never the collection balance), the collection line, the methods', async () => {
      const result = await preview('20001', '--page', 'pay', '--width', '100');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Home | Account | [Pay] | Receipts | Statements | Close\n');
      expect(result.stdout).toContain('─ Make your Payment ─');
      expect(result.stdout).toMatch(/\( \) Current Balance +\$60\.00/);
      expect(result.stdout).toMatch(/\( \) Amount Due +\$50\.00/);
      expect(result.stdout).toContain('( ) Other Amount');
      expect(result.stdout).not.toMatch(/\( \).*\$240\.00/);
      expect(words(result.stdout)).toContain('$240.00 is in collections and cannot be paid here. To pay or ask about it, call (312) 555-0142.');
      expect(result.stdout).toContain('( ) Credit Card');
      expect(result.stdout).toContain('( ) Google Pay');
      expect(result.stdout).not.toContain('Apple Pay');
      expect(result.stdout).toContain('A receipt is e-mailed to the address you give.');
      expectPage(result.stdout, 100);
    });

    it('statements: newest due date first, then the Current Statement', async () => {
      const result = await preview('20001', '--page', 'statements');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/10\/01\/2026 +10\/26\/2026 +\$50\.00 .*\n.* 09\/01\/2026 +09\/26\/2026 +\$40\.00 /);
      expect(result.stdout).toContain('─ Current Statement ─');
      expect(result.stdout).toMatch(/Statement Balance +\$50\.00/);
      expect(result.stdout).toMatch(/Account Number +20001/);
      expect(result.stdout).toMatch(/Date Due +10\/26\/2026/);
      expect(result.stdout).toMatch(/Guarantor +Maria Rivera/);
    });

    it('receipts: newest first; the declined card of the dump is Unsuccessful, $0.00', async () => {
      const result = await preview('20001', '--page', 'receipts');
      expect(result.code).toBe(0);
      const rows = result.stdout.split('\n').filter((row) => /\d\d\/\d\d\/\d{4}/.test(row));
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatch(/10\/12\/2026 +Unsuccessful +Card +\$0\.00/);
      expect(rows[1]).toMatch(/09\/20\/2026 +Paid +Card +\$40\.00/);
      expect(rows[2]).toMatch(/08\/03\/2026 +Paid +Cash +\$15\.00/);
      expect(result.stdout).not.toContain('$65.00');
    });

    it('quickpay: no navigation, no account number; the Pay panel, View Account, the footer', async () => {
      const result = await preview('20001', '--quickpay');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(NAV);
      expect(result.stdout).not.toContain('20001');
      expect(result.stdout).toContain('Lakeside Pediatrics');
      expect(result.stdout).toContain('Maria Rivera');
      expect(result.stdout).toContain('─ Make your Payment ─');
      expect(result.stdout).toMatch(/\n\nView Account\n/);
      expect(result.stdout).toContain('Phone: (312) 555-0142');
    });

    it('no --page is the v1 Account page, the same as --page account, without navigation', async () => {
      const plain = await preview('20001');
      const account = await preview('20001', '--page', 'account');
      expect(plain.code).toBe(0);
      expect(plain.stdout).toBe(account.stdout);
      expect(plain.stdout).not.toMatch(NAV);
      expect(plain.stdout).toContain('─ Account Summary ─');
    });

    it('every page fits 60 and 200 columns', async () => {
      for (const page of ['home', 'account', 'pay', 'statements', 'receipts']) {
        for (const width of ['60', '200']) expectPage((await preview('20001', '--page', page, '--width', width)).stdout, Number(width));
      }
    });

    it('--group shows a page through another group, and leaves the store unchanged', async () => {
      const before = storeDigest(db);
      const result = await preview('20001', '--page', 'pay', '--group', 'Quiet Clinic');
      expect(result.code).toBe(0);
      expect(words(result.stdout)).toContain('Online payment is not available. To pay, contact the office.');
      expect(result.stdout).not.toContain('( ) Credit Card');
      expect(result.stderr).toMatch(
        /^pops: warning: group "Quiet Clinic" offers no payment method and has no footer number: the page tells the patient to contact the office$/m,
      );
      expect(storeDigest(db)).toBe(before);
    });

    describe('usage errors', () => {
      it('--quickpay with --page: exit 2, one message', async () => {
        const result = await preview('20001', '--quickpay', '--page', 'pay');
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        // One error line (and the usual hint line under it).
        expect(result.stderr).toMatch(/^pops: --quickpay and --page cannot be used together\n(?!pops:)[^\n]*\n$/);
      });

      it('an unknown page: exit 2 naming the pages', async () => {
        const result = await preview('20001', '--page', 'nope');
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe('pops: --page: expected one of home, account, pay, receipts, statements, landing, got "nope"\n');
      });
    });
  });

  describe('pops preview --page landing', () => {
    it("follows the group's landing page, also after groups set --landing-page", async () => {
      const db = await makeStore({ dump: DUMP }, backend);
      const home = await pops(['--db', db, 'preview', '20001', '--page', 'landing']);
      expect(home.code).toBe(0);
      expect(home.stdout).toBe((await pops(['--db', db, 'preview', '20001', '--page', 'home'])).stdout);

      expect((await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--landing-page', 'pay'])).code).toBe(0);
      const pay = await pops(['--db', db, 'preview', '20001', '--page', 'landing']);
      expect(pay.code).toBe(0);
      expect(pay.stdout).toContain('Home | Account | [Pay] | Receipts | Statements | Close\n');
      expect(pay.stdout).toBe((await pops(['--db', db, 'preview', '20001', '--page', 'pay'])).stdout);

      expect((await pops(['--db', db, 'groups', 'set', 'Lakeside Pediatrics', '--landing-page', 'account'])).code).toBe(0);
      const account = await pops(['--db', db, 'preview', '20001', '--page', 'landing']);
      expect(account.stdout).toContain('─ Account Summary ─');
      expect(account.stdout).not.toMatch(NAV);
    });
  });

  describe('the footer-number warning', () => {
    let db: string;
    beforeAll(async () => {
      db = await makeStore({ dump: DUMP }, backend);
    });

    it('the Pay page and QuickPay that tell the patient to contact the office about collections warn on stderr', async () => {
      for (const args of [['--page', 'pay'], ['--quickpay']]) {
        const result = await pops(['--db', db, 'preview', '20002', ...args]);
        expect(result.code).toBe(0);
        expect(words(result.stdout)).toContain('$90.00 is in collections and cannot be paid here. To pay or ask about it, contact the office.');
        expect(result.stderr).toMatch(/^pops: warning: group "Quiet Clinic" has no footer number/);
      }
    });

    it('pages without the collection line do not warn', async () => {
      for (const page of ['home', 'statements', 'receipts']) {
        const result = await pops(['--db', db, 'preview', '20002', '--page', page]);
        expect(result.code).toBe(0);
        expect(result.stdout).not.toContain('contact the office');
        expect(result.stderr).toBe('');
      }
    });
  });
});
