// pops accounts show: the Portal section (docs/portal.md, "Diagnosis") — what the
// guarantor sees through a group and why, for support staff on the phone; JSON
// `portal` (docs/formats.md). Every reason is reached by changing groups with
// `groups set` on a real store, and the diagnosis is held to what `preview`
// really renders.
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyStore, makeStore, pops, storeDigest } from '../helpers/cli.js';
import { account, baseDump, encounter, line } from '../helpers/dumps.js';

const LAKESIDE = 'Lakeside Pediatrics';
const NORTHSHORE = 'Northshore Family Medicine';

const DUMP = baseDump({
  groups: [
    { name: LAKESIDE, showCollections: true, footerPhone: '(312) 555-0142' },
    { name: NORTHSHORE, footerPhone: '(847) 555-0100' },
  ],
  accounts: [
    // $240.00 in collections and $153.00 payable online, $53.00 of it a new charge since the statement.
    account('10001', {
      encounters: [
        encounter({
          serviceDate: '2026-08-14',
          status: 'collections',
          collectionAgency: 'SUMMIT',
          sentToCollectionsOn: '2026-09-20',
          lines: [line(1, { billed: '240.00' })],
        }),
        encounter({ serviceDate: '2026-09-02', lines: [line(1, { billed: '100.00' })] }),
        encounter({ serviceDate: '2026-10-10', lines: [line(1, { billed: '53.00' })] }),
      ],
      statements: [{ date: '2026-10-01', dueDate: '2026-10-25', amountDue: '100.00' }],
    }),
    // Nothing in collections, nothing to pay.
    account('10002', { guarantor: { firstName: 'Ann', lastName: 'Lee' } }),
  ],
});

let pristine: string;
beforeAll(async () => {
  pristine = await makeStore({ dump: DUMP });
});

async function groupsSet(db: string, group: string, ...flags: string[]): Promise<void> {
  const result = await pops(['--db', db, 'groups', 'set', group, ...flags]);
  expect(result.code, result.stderr).toBe(0);
}

async function showJson(db: string, accountNumber: string, ...more: string[]): Promise<any> {
  const result = await pops(['--db', db, 'accounts', 'show', accountNumber, '--json', ...more]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

async function showText(db: string, accountNumber: string, ...more: string[]): Promise<string> {
  const result = await pops(['--db', db, 'accounts', 'show', accountNumber, ...more]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** The Portal section of the text: from its title to the blank line before Encounters. */
function portalSection(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Portal'));
  expect(start, text).toBeGreaterThan(0);
  const end = lines.indexOf('Encounters', start);
  expect(lines[end - 1]).toBe('');
  return lines.slice(start, end - 1);
}

/** One entry of the Portal section, its wrapped rows joined by single spaces. */
function portalEntry(text: string, label: string): string {
  const rows = portalSection(text);
  const at = rows.findIndex((row) => row.startsWith(`${label}  `));
  expect(at, `no "${label}" in\n${rows.join('\n')}`).toBeGreaterThan(0);
  const parts = [rows[at].slice(label.length).trim()];
  for (const row of rows.slice(at + 1)) {
    if (!row.startsWith(' ')) break;
    parts.push(row.trim());
  }
  return parts.join(' ');
}

/** The diagnosis agrees with the Account page `preview` renders through the same group. */
async function expectAgreesWithPreview(db: string, accountNumber: string, ...more: string[]): Promise<void> {
  const { portal } = await showJson(db, accountNumber, ...more);
  const page = await pops(['--db', db, 'preview', accountNumber, ...more]);
  expect(page.code, page.stderr).toBe(0);
  expect(page.stdout.includes('[ Pay Now ]'), page.stdout).toBe(portal.payNow.shown);
  expect(page.stdout.includes('Collection Balance'), page.stdout).toBe(portal.collectionPanel.shown);
}

describe('pops accounts show: the Portal section', () => {
  it('JSON `portal` has exactly the documented shape, money as a two-decimal string', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, NORTHSHORE, '--google-pay', 'on');
    const shown = await showJson(db, '10001', '--group', NORTHSHORE);
    expect(JSON.stringify(shown.portal)).toBe(
      '{"landingPage":"home","collectionPanel":{"shown":false,"reason":"show-collections-off"},"payNow":{"shown":true,"reason":null},' +
        '"payableOnline":"153.00","paymentMethods":["creditCard","googlePay"],"applePayWithheld":false}',
    );
  });

  it('through its own group: the panel and Pay Now are shown, and the text says so in words', async () => {
    const db = copyStore(pristine);
    const shown = await showJson(db, '10001');
    expect(shown).toMatchObject({ group: LAKESIDE, accountGroup: LAKESIDE });
    expect(shown.portal).toEqual({
      landingPage: 'home',
      collectionPanel: { shown: true, reason: null },
      payNow: { shown: true, reason: null },
      payableOnline: '153.00',
      paymentMethods: ['creditCard'],
      applePayWithheld: false,
    });
    const text = await showText(db, '10001');
    expect(portalSection(text)[0]).toBe('Portal');
    expect(portalEntry(text, 'Lands on')).toBe('Home');
    expect(portalEntry(text, 'Collection Balance panel')).toBe('shown ($240.00 in collections, never payable online)');
    expect(portalEntry(text, 'Pay Now')).toBe('shown ($153.00 can be paid online)');
    expect(portalEntry(text, 'Payment methods')).toBe('Credit card');
    expect(portalEntry(text, 'Apple Pay')).toBe('off for this group');
    expect(text).not.toContain('Seen through');
    await expectAgreesWithPreview(db, '10001');
  });

  it('the panel: the Account page off comes first, then Show Collections off, then no collection balance', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--account-dashboard', 'off', '--show-collections', 'off');
    const steps: [string[], string, string][] = [
      [[], 'account-page-off', 'not shown — the Account dashboard is off for this group (no Account page)'],
      [['--account-dashboard', 'on'], 'show-collections-off', 'not shown — Show Collections is off for this group'],
      [['--show-collections', 'on'], 'no-collection-balance', 'not shown — the collection balance is $0.00'],
    ];
    for (const [flags, reason, words] of steps) {
      if (flags.length > 0) await groupsSet(db, LAKESIDE, ...flags);
      expect((await showJson(db, '10002')).portal.collectionPanel).toEqual({ shown: false, reason });
      expect(portalEntry(await showText(db, '10002'), 'Collection Balance panel')).toBe(words);
      await expectAgreesWithPreview(db, '10002');
    }
    // The account with $240.00 in collections, through the same group, now shows it.
    expect((await showJson(db, '10001')).portal.collectionPanel).toEqual({ shown: true, reason: null });
  });

  it('Pay Now: the Account page off comes first, then nothing payable, then no payment method', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--account-dashboard', 'off', '--credit-card', 'off');
    // 10002 has nothing to pay and the group no method: the Account page being off still wins.
    expect((await showJson(db, '10002')).portal.payNow).toEqual({ shown: false, reason: 'account-page-off' });
    expect(portalEntry(await showText(db, '10002'), 'Pay Now')).toBe(
      'not shown — the Account dashboard is off for this group (no Account page); there is nothing to pay online anyway',
    );
    await expectAgreesWithPreview(db, '10002');

    await groupsSet(db, LAKESIDE, '--account-dashboard', 'on');
    expect((await showJson(db, '10002')).portal.payNow).toEqual({ shown: false, reason: 'nothing-payable' });
    expect(portalEntry(await showText(db, '10002'), 'Pay Now')).toBe('not shown — there is nothing to pay online');
    const noMethod = await showJson(db, '10001');
    expect(noMethod.portal).toMatchObject({ payNow: { shown: false, reason: 'no-payment-method' }, paymentMethods: [], applePayWithheld: false });
    const text = await showText(db, '10001');
    expect(portalEntry(text, 'Pay Now')).toBe('not shown — no payment method is on for this group, so $153.00 cannot be paid online');
    expect(portalEntry(text, 'Payment methods')).toBe('none');
    await expectAgreesWithPreview(db, '10001');
    await expectAgreesWithPreview(db, '10002');
  });

  it('Apple Pay on with split payments: withheld, and when it is the only method there is none', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--credit-card', 'off', '--apple-pay', 'on', '--split-payments', 'on');
    const withheld = await showJson(db, '10001');
    expect(withheld.portal).toMatchObject({ payNow: { shown: false, reason: 'no-payment-method' }, paymentMethods: [], applePayWithheld: true });
    const text = await showText(db, '10001');
    expect(portalEntry(text, 'Pay Now')).toBe(
      'not shown — no payment method is offered (Apple Pay is on but withheld, because payments are split), so $153.00 cannot be paid online',
    );
    expect(portalEntry(text, 'Apple Pay')).toBe('on but not offered, because payments are split');
    await expectAgreesWithPreview(db, '10001');

    await groupsSet(db, LAKESIDE, '--split-payments', 'off');
    const offered = await showJson(db, '10001');
    expect(offered.portal).toMatchObject({ payNow: { shown: true, reason: null }, paymentMethods: ['applePay'], applePayWithheld: false });
    expect(portalEntry(await showText(db, '10001'), 'Apple Pay')).toBe('offered, but only in Safari on an Apple device');
    await expectAgreesWithPreview(db, '10001');
  });

  it('with the Account page off, both say so whatever else holds, and Home and Pay still take the payment', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--account-dashboard', 'off', '--landing-page', 'account');
    const shown = await showJson(db, '10001');
    expect(shown.portal).toEqual({
      landingPage: 'account',
      collectionPanel: { shown: false, reason: 'account-page-off' },
      payNow: { shown: false, reason: 'account-page-off' },
      payableOnline: '153.00',
      paymentMethods: ['creditCard'],
      applePayWithheld: false,
    });
    const text = await showText(db, '10001');
    expect(portalEntry(text, 'Lands on')).toBe('Account, but the Account dashboard is off for this group: the patient lands on a notice saying so');
    expect(portalEntry(text, 'Collection Balance panel')).toBe(
      'not shown — the Account dashboard is off for this group (no Account page); the Pay page still says $240.00 is in collections',
    );
    expect(portalEntry(text, 'Pay Now')).toBe(
      'not shown — the Account dashboard is off for this group (no Account page); Home and Pay still take $153.00 online',
    );
    await expectAgreesWithPreview(db, '10001');
  });

  it('Show Collections off with money in collections: the text says the patient is not told of it', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--show-collections', 'off');
    expect(portalEntry(await showText(db, '10001'), 'Collection Balance panel')).toBe(
      'not shown — Show Collections is off for this group; the patient is not told of the $240.00 in collections',
    );
  });

  it('a shown panel of a group without a footer number says it tells the patient to contact the office', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--footer-phone', '');
    expect(portalEntry(await showText(db, '10001'), 'Collection Balance panel')).toBe(
      'shown ($240.00 in collections, never payable online); the group has no footer number, so it says to contact the office',
    );
  });

  it('the section is aligned like the rest, its rows within 80 columns and without trailing spaces', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--account-dashboard', 'off', '--landing-page', 'account', '--apple-pay', 'on', '--split-payments', 'on');
    const rows = portalSection(await showText(db, '10001'));
    expect(rows.length).toBeGreaterThan(6); // long values wrapped onto rows of their own
    const valueColumn = rows[1].indexOf('Account');
    expect(valueColumn).toBe('Collection Balance panel'.length + 2);
    for (const row of rows.slice(1)) {
      expect([...row].length, row).toBeLessThanOrEqual(80);
      expect(row).toBe(row.trimEnd());
      // Each row is a label then its value at the value column, or a wrapped value at that column.
      expect(row.slice(valueColumn - 2, valueColumn), row).toBe('  ');
      expect(row[valueColumn], row).not.toBe(' ');
    }
  });

  it('on a terminal the header and the section wrap to its width, between words; seen through a long group name too', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, LAKESIDE, '--account-dashboard', 'off', '--apple-pay', 'on', '--split-payments', 'on');
    const longName = 'Northshore Family Medicine and Pediatric Associates of Greater Lake County';
    expect((await pops(['--db', db, 'groups', 'create', longName])).code).toBe(0);
    const result = await pops(['--db', db, 'accounts', 'show', '10001', '--group', longName], { terminal: { stdout: true, columns: 60 } });
    expect(result.code, result.stderr).toBe(0);
    const [beforeEncounters] = result.stdout.split('\nEncounters\n');
    for (const row of beforeEncounters.split('\n')) expect([...row].length, row).toBeLessThanOrEqual(60);
    // Words are never cut: every word of the long name is on the page whole.
    for (const word of longName.split(' ')) expect(beforeEncounters).toMatch(new RegExp(`(^|\\s)${word}(\\s|$)`, 'm'));
    expect(beforeEncounters).toContain('Seen through');
    // Piped: 80 columns, whatever the terminal.
    const piped = await pops(['--db', db, 'accounts', 'show', '10001', '--group', longName]);
    const [pipedTop] = piped.stdout.split('\nEncounters\n');
    for (const row of pipedTop.split('\n')) expect([...row].length, row).toBeLessThanOrEqual(80);
    expect(pipedTop.split('\n').some((row) => [...row].length > 60)).toBe(true);
  });
});

describe('pops accounts show --group', () => {
  it('shows the figures and the portal through another group, naming both groups (text and JSON)', async () => {
    const db = copyStore(pristine);
    await groupsSet(db, NORTHSHORE, '--google-pay', 'on', '--apple-pay', 'on', '--split-payments', 'on', '--include-new-charges', 'on');
    const own = await showJson(db, '10001');
    const through = await showJson(db, '10001', '--group', NORTHSHORE);
    expect(own).toMatchObject({ group: LAKESIDE, accountGroup: LAKESIDE, includeNewCharges: false, amountDue: '100.00' });
    expect(through).toMatchObject({ group: NORTHSHORE, accountGroup: LAKESIDE, includeNewCharges: true, amountDue: '153.00' });
    expect(through.portal).toEqual({
      landingPage: 'home',
      collectionPanel: { shown: false, reason: 'show-collections-off' },
      payNow: { shown: true, reason: null },
      payableOnline: '153.00',
      paymentMethods: ['creditCard', 'googlePay'],
      applePayWithheld: true,
    });

    const text = await showText(db, '10001', '--group', NORTHSHORE);
    expect(text).toMatch(/^Group +Lakeside Pediatrics \(the account's own\)$/m);
    // 81 columns on one line: the value wraps under itself.
    expect(text).toMatch(/^Seen through +Northshore Family Medicine \(new charges included in amount\n {18}due\)$/m);
    expect(text).toMatch(/^Amount due +\$153\.00$/m);
    expect(portalSection(text)[0]).toBe('Portal, seen through Northshore Family Medicine');
    expect(portalEntry(text, 'Lands on')).toBe('Home');
    expect(portalEntry(text, 'Collection Balance panel')).toBe(
      'not shown — Show Collections is off for this group; the patient is not told of the $240.00 in collections',
    );
    expect(portalEntry(text, 'Pay Now')).toBe('shown ($153.00 can be paid online)');
    expect(portalEntry(text, 'Payment methods')).toBe('Credit card, Google Pay');
    expect(portalEntry(text, 'Apple Pay')).toBe('on but not offered, because payments are split');
    await expectAgreesWithPreview(db, '10001', '--group', NORTHSHORE);
  });

  it('takes the group by its id or its name in any case; naming the own group is the same as leaving it out', async () => {
    const db = copyStore(pristine);
    const byId = await showJson(db, '10001', '--group', '2');
    expect(byId).toMatchObject({ group: NORTHSHORE, accountGroup: LAKESIDE });
    const ownByName = await pops(['--db', db, 'accounts', 'show', '10001', '--group', '  lakeside pediatrics ']);
    expect(ownByName.stdout).toBe((await pops(['--db', db, 'accounts', 'show', '10001'])).stdout);
    expect(await showJson(db, '10001', '--group', LAKESIDE.toUpperCase())).toEqual(await showJson(db, '10001'));
  });

  it('an unknown group is exit 3 with the closest name, and nothing on stdout', async () => {
    const db = copyStore(pristine);
    for (const args of [['--json'], []]) {
      const result = await pops(['--db', db, 'accounts', 'show', '10001', '--group', 'Northshore Family', ...args]);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('pops: no such group: "Northshore Family"\nDid you mean "Northshore Family Medicine"?\n');
    }
    const byId = await pops(['--db', db, 'accounts', 'show', '10001', '--group', '99']);
    expect(byId.code).toBe(3);
    expect(byId.stderr).toMatch(/^pops: no such group: "99"\n/);
    expect((await pops(['--db', db, 'accounts', 'show', '10001', '--group', ' '])).code).toBe(2);
  });

  it('reads only: the store is unchanged', async () => {
    const db = copyStore(pristine);
    const before = storeDigest(db);
    await showText(db, '10001', '--group', NORTHSHORE);
    await showJson(db, '10002', '--group', NORTHSHORE);
    expect(storeDigest(db)).toBe(before);
  });
});

describe('an account whose group row is missing (an inconsistent store)', () => {
  /** A copy of the store with Lakeside's row deleted behind the foreign keys' back; returns its id too. */
  function brokenStore(): { db: string; missingId: number } {
    const db = copyStore(pristine);
    const sqlite = new Database(db);
    try {
      sqlite.pragma('foreign_keys = OFF');
      const missingId = sqlite.prepare('SELECT id FROM groups WHERE name = ?').pluck().get(LAKESIDE) as number;
      sqlite.prepare('DELETE FROM groups WHERE id = ?').run(missingId);
      return { db, missingId };
    } finally {
      sqlite.close();
    }
  }

  it('the portal is unknown (JSON null), with exit 0 and the warning naming pops doctor', async () => {
    const { db, missingId } = brokenStore();
    const json = await pops(['--db', db, 'accounts', 'show', '10001', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ group: `(missing group ${missingId})`, accountGroup: `(missing group ${missingId})`, portal: null });
    expect(json.stderr).toMatch(/^pops: warning: account 10001 belongs to a group that does not exist .*its portal is unknown.*pops doctor/m);

    const text = await pops(['--db', db, 'accounts', 'show', '10001']);
    expect(text.code, text.stderr).toBe(0);
    const section = portalSection(text.stdout);
    expect(section[0]).toBe('Portal');
    expect(section.slice(1).join(' ')).toBe(
      `Unknown: the account's group (id ${missingId}) does not exist, and what the portal shows depends on the group's settings. ` +
        'Add --group <group> to see it through a group that exists.',
    );
    for (const row of section) expect([...row].length).toBeLessThanOrEqual(80);
  });

  it('through --group it is diagnosed, its own group still named as missing, and the warning stays', async () => {
    const { db, missingId } = brokenStore();
    const json = await pops(['--db', db, 'accounts', 'show', '10001', '--json', '--group', NORTHSHORE]);
    expect(json.code, json.stderr).toBe(0);
    const shown = JSON.parse(json.stdout);
    expect(shown).toMatchObject({ group: NORTHSHORE, accountGroup: `(missing group ${missingId})` });
    expect(shown.portal).toMatchObject({ collectionPanel: { shown: false, reason: 'show-collections-off' }, payNow: { shown: true, reason: null } });
    expect(json.stderr).toMatch(/^pops: warning: account 10001 belongs to a group that does not exist .*pops doctor/m);
    expect(json.stderr).not.toContain('portal is unknown');

    const text = await pops(['--db', db, 'accounts', 'show', '10001', '--group', NORTHSHORE]);
    expect(text.stdout).toMatch(new RegExp(`^Group +\\(missing group ${missingId}\\) \\(the account's own\\)$`, 'm'));
    expect(text.stdout).toMatch(/^Seen through +Northshore Family Medicine /m);
  });
});
