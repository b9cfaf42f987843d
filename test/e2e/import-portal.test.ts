// Dumps stay version 1 with the v2 fields (docs/formats.md, "Dump"): the new
// group settings and payment `status` are optional on import and always
// written by export; a declined payment counts in no balance figure; bad v2
// values are refused with their JSON path and the store left as it was.
import { describe, expect, it } from 'vitest';
import { BACKENDS, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

const importDump = (db: string, document: unknown, ...flags: string[]) => pops(['--db', db, 'import', '-', ...flags], { input: JSON.stringify(document) });

/** Account 10042 owes $150.00 on a statement of 10/01; a $90.00 card was declined after it, a $40.00 one went through. */
function dumpWithDeclinedCard(): Record<string, any> {
  return baseDump({
    groups: [
      {
        name: 'Lakeside Pediatrics',
        showCollections: true,
        footerPhone: '(312) 555-0142',
        landingPage: 'pay',
        logoutFunction: 'close',
        splitPayments: true,
        applePay: true,
        themePrimary: '#1A73E8',
        themeDark: true,
        homeAssetUrl: 'https://cdn.example.com/home.png',
      },
    ],
    accounts: [
      account('10042', {
        encounters: [encounter({ serviceDate: '2026-09-14', lines: [line(1, { billed: '200.00' })] })],
        statements: [{ date: '2026-10-01', dueDate: '2026-10-25', amountDue: '150.00' }],
        payments: [
          { date: '2026-10-05', amount: '90.00', method: 'card', status: 'declined' },
          { date: '2026-10-06', amount: '40.00', method: 'card' },
        ],
      }),
    ],
  });
}

// Import and export hold on both stores (docs/store.md, "PostgreSQL").
describe.each(BACKENDS)('on a %s store', (backend) => {
  describe('dumps with the v2 fields', () => {
    it('import keeps the v2 settings and payment status, export writes them (colors in lower case, status on every payment)', async () => {
      const db = await makeStore({}, backend);
      const imported = await importDump(db, dumpWithDeclinedCard());
      expect(imported.code, imported.stderr).toBe(0);
      const dump = JSON.parse((await pops(['--db', db, 'export'])).stdout);
      expect(dump.version).toBe(1);
      expect(dump.groups[0]).toMatchObject({
        landingPage: 'pay',
        logoutFunction: 'close',
        splitPayments: true,
        themePrimary: '#1a73e8',
        themeDark: true,
        themeAccent: null,
        showEscrow: true,
        homeAssetUrl: 'https://cdn.example.com/home.png',
      });
      expect(dump.accounts[0].payments).toEqual([
        { date: '2026-10-05', amount: '90.00', method: 'card', status: 'declined' },
        { date: '2026-10-06', amount: '40.00', method: 'card', status: 'paid' },
      ]);
      // export → import into an empty store → export is identical
      const again = await makeStore({}, backend);
      expect((await importDump(again, dump)).code).toBe(0);
      expect((await pops(['--db', again, 'export'])).stdout).toBe((await pops(['--db', db, 'export'])).stdout);
    });

    it.each([
      [
        'an unknown payment status',
        (d: any) => (d.accounts[0].payments[0].status = 'refunded'),
        /^pops: accounts\[0\]\.payments\[0\]\.status: expected "paid" or "declined"/m,
      ],
      ['a theme color that is not #rrggbb', (d: any) => (d.groups[0].themePrimary = 'blue'), /^pops: groups\[0\]\.themePrimary: expected a color as #rrggbb/m],
      [
        'a logout function outside the list',
        (d: any) => (d.groups[0].logoutFunction = 'exit'),
        /^pops: groups\[0\]\.logoutFunction: expected close, logout or none/m,
      ],
      [
        'a landing page outside the list',
        (d: any) => (d.groups[0].landingPage = 'receipts'),
        /^pops: groups\[0\]\.landingPage: expected home, account or pay/m,
      ],
      ['a favicon over http', (d: any) => (d.groups[0].faviconUrl = 'http://cdn.example.com/f.ico'), /^pops: groups\[0\]\.faviconUrl: expected an https URL/m],
      ['an on/off v2 setting that is neither', (d: any) => (d.groups[0].showEscrow = 'sometimes'), /^pops: groups\[0\]\.showEscrow: expected on or off/m],
    ])('%s: exit 2, the path and the value, nothing written', async (_name, mutate, message) => {
      const db = await makeStore({ demo: true }, backend);
      const before = storeDigest(db);
      const document = dumpWithDeclinedCard();
      document.groups[0].name = 'Another Group';
      document.accounts[0].group = 'Another Group';
      document.accounts[0].accountNumber = 'X-1';
      document.accounts[0].encounters[0].number = 990001;
      mutate(document);
      const result = await importDump(db, document);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(storeDigest(db)).toBe(before);
    });
  });
});

describe('balances of a dump with the v2 fields', () => {
  it('a declined payment counts in no balance figure: the amount due is reduced by the paid card only', async () => {
    const db = await makeStore({ dump: dumpWithDeclinedCard() });
    const [row] = JSON.parse((await pops(['--db', db, 'accounts', 'list', '--json'])).stdout);
    expect(row).toMatchObject({ amountDue: '110.00', nonCollectionBalance: '200.00', totalBalance: '200.00' });
    const shown = JSON.parse((await pops(['--db', db, 'accounts', 'show', '10042', '--json'])).stdout);
    expect(shown).toMatchObject({ amountDue: '110.00', paymentsSinceStatement: '40.00' });
  });
});
