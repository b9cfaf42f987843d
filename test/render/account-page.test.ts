// The Account page renderer (SPEC §8) on hand-built pages: panel rules, the
// Pay Now token, widths, wrapping, sanitizing and determinism.
import { describe, expect, it } from 'vitest';
import type { AccountPage, FacilityVisits, PageGroup } from '../../src/domain/account-page.js';
import { DASHBOARD_OFF, NO_VISITS, PANEL_TITLES, PAY_NOW, renderAccountPage } from '../../src/render/account-page.js';
import { displayWidth } from '../../src/base/text-width.js';
import { LAKESIDE_GROUP, LEO_VISIT_LINE, leoVisits } from '../helpers/pages.js';

const LAKESIDE: PageGroup = LAKESIDE_GROUP;

const VISITS: FacilityVisits[] = leoVisits([
  LEO_VISIT_LINE,
  { serviceDate: '2026-10-20', serviceId: '67179-2', billed: 4500, adjusted: 1000, insurancePaid: 2500, patientPaid: 0, remaining: 1000 },
]);

function page(overrides: Partial<AccountPage> = {}, group: Partial<PageGroup> = {}, figures: Partial<AccountPage['figures']> = {}): AccountPage {
  return {
    group: { ...LAKESIDE, ...group },
    accountNumber: '10004',
    guarantorName: 'Maria Rivera',
    figures: { amountDue: 8500, lastStatement: 12000, currentBalance: 15300, unappliedFunds: 0, payableOnline: 15300, collectionBalance: 24000, ...figures },
    collectionAgencies: ['Summit Recovery Services'],
    visits: VISITS,
    statements: [
      { date: '2026-10-01', dueDate: '2026-10-26', amountDue: 15000 },
      { date: '2026-09-01', dueDate: '2026-09-26', amountDue: 12000 },
    ],
    latestStatement: { date: '2026-10-01', dueDate: '2026-10-26', amountDue: 15000 },
    receipts: [],
    ...overrides,
  };
}

const render = (p: AccountPage, width = 80, color = false) => renderAccountPage(p, { width, color });

/** The panel titles in the order they appear (a title sits in a top border: `┌─ Title ─…┐`). */
function titles(text: string): string[] {
  return [...text.matchAll(/^┌─ (.+?) ─+┐$/gm)].map((m) => m[1]);
}

function expectWellFormed(text: string, width: number): void {
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toMatch(/\u001b/);
  for (const line of text.slice(0, -1).split('\n')) {
    expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
    expect(line).not.toMatch(/\s$/);
  }
}

describe('panels', () => {
  it('come in the order of SPEC §8, titled with exactly its words', () => {
    const text = render(page());
    expect(titles(text)).toEqual([PANEL_TITLES.summary, PANEL_TITLES.collection, PANEL_TITLES.visits, PANEL_TITLES.statements]);
    expect(PANEL_TITLES).toEqual({
      summary: 'Account Summary',
      collection: 'Collection Balance',
      visits: 'Visits Since Last Statement',
      statements: 'Statement History',
    });
    // The header comes first: group name, account, guarantor.
    const header = text.slice(0, text.indexOf('Account Summary'));
    expect(header).toContain('Lakeside Pediatrics');
    expect(header).toContain('Account 10004');
    expect(header).toContain('Maria Rivera');
    // The footer comes last.
    const footer = text.slice(text.lastIndexOf('┘') + 1);
    expect(footer).toContain('(312) 555-0142');
    expect(footer).toContain('billing@lakesidepeds.example.com');
    expect(footer).toContain('Office hours: Mon–Fri 8:00–17:00');
  });

  it('the summary shows the four figures, — for no last statement', () => {
    const text = render(page({}, {}, { amountDue: 8500, lastStatement: null, currentBalance: -1200, unappliedFunds: 500 }));
    expect(text).toMatch(/Amount Due +\$85\.00/);
    expect(text).toMatch(/Last Statement +—/);
    expect(text).toMatch(/Current Balance +-\$12\.00/);
    expect(text).toMatch(/Unapplied Funds +\$5\.00/);
  });
});

describe('Collection Balance panel', () => {
  const has = (p: AccountPage) => titles(render(p)).includes('Collection Balance');

  it('appears with Show Collections on and a collection balance above zero', () => {
    const text = render(page());
    expect(has(page())).toBe(true);
    expect(text).toMatch(/Amount in Collections +\$240\.00/);
    expect(text).toContain('Agency: Summit Recovery Services');
    expect(text).toContain('Collection balances cannot be paid through the portal.');
    expect(text).toContain('call (312) 555-0142');
  });

  it('is absent with Show Collections off', () => expect(has(page({}, { showCollections: false }))).toBe(false));
  it('is absent with a zero collection balance', () => expect(has(page({}, {}, { collectionBalance: 0 }))).toBe(false));
  it('is absent with a negative collection balance (a credit)', () => expect(has(page({}, {}, { collectionBalance: -500 }))).toBe(false));

  it('without a footer number says to contact the office', () => {
    const text = render(page({}, { footerPhone: null }));
    expect(text).toContain('contact the office');
    expect(text).not.toMatch(/call \(/);
  });

  it('names several agencies', () => {
    const text = render(page({ collectionAgencies: ['Midwest Credit Partners', 'Summit Recovery Services'] }), 120);
    expect(text).toContain('Agencies: Midwest Credit Partners, Summit Recovery Services');
  });

  it('keeps "call <number>" on one line, extension included, at every width', () => {
    for (let width = 60; width <= 200; width += 1) {
      expect(render(page({}, { footerPhone: '+13125550142;ext=12' }), width)).toContain('call (312) 555-0142 ext. 12');
    }
  });
});

describe('[ Pay Now ]', () => {
  it('shows when something is payable online and a payment method is on', () => {
    for (const method of ['creditCard', 'applePay', 'googlePay'] as const) {
      const group = { creditCard: false, applePay: false, googlePay: false, [method]: true };
      expect(render(page({}, group))).toContain(PAY_NOW);
    }
  });

  it('is absent with no payment method on, and the page says there is nothing to pay online', () => {
    const text = render(page({}, { creditCard: false, applePay: false, googlePay: false }));
    expect(text).not.toContain(PAY_NOW);
    expect(text).not.toContain('Pay Now');
    expect(text).toContain('Nothing to pay online');
  });

  it('is absent when nothing or a credit is payable online', () => {
    for (const payable of [0, -100]) {
      const text = render(page({}, {}, { payableOnline: payable, currentBalance: payable }));
      expect(text).not.toContain('Pay Now');
      expect(text).toContain('Nothing to pay online.');
    }
  });
});

describe('Visits Since Last Statement', () => {
  it('groups facility → provider → patient and shows the seven figures of each line', () => {
    const text = render(page(), 120);
    const at = (s: string) => text.indexOf(s);
    expect(at('Lakeside Main Clinic')).toBeLessThan(at('Ana Ortiz, MD'));
    expect(at('Ana Ortiz, MD')).toBeLessThan(at('Leo Rivera'));
    expect(text).toMatch(/Service Date +Service ID +Billed +Adjusted +Insurance Paid +Patient Paid +Remaining/);
    expect(text).toMatch(/10\/20\/2026 +67179-1 +\$185\.00 +\$45\.00 +\$100\.00 +\$25\.00 +\$15\.00/);
  });

  it('says so when there are none', () => {
    expect(render(page({ visits: [] }))).toContain(NO_VISITS);
  });

  it('at 60 columns every figure of a line is still there', () => {
    const text = render(page(), 60);
    for (const figure of ['10/20/2026', '67179-1', '$185.00', '$45.00', '$100.00', '$25.00', '$15.00']) expect(text).toContain(figure);
    for (const label of ['Service Date', 'Service ID', 'Billed', 'Adjusted', 'Insurance Paid', 'Patient Paid', 'Remaining']) expect(text).toContain(label);
  });

  it('stays inside the width with the largest amounts', () => {
    const big = 9_999_999_999;
    const line = { serviceDate: '2026-10-20', serviceId: '2147483647-99', billed: big, adjusted: big, insurancePaid: big, patientPaid: big, remaining: -big };
    const visits = [{ facilityName: 'F', providers: [{ providerName: 'P', patients: [{ patientName: 'X', lines: [line] }] }] }];
    for (const width of [60, 80, 120, 200]) expectWellFormed(render(page({ visits }), width), width);
    expect(render(page({ visits }), 60)).toContain('-$99,999,999.99');
  });
});

describe('Statement History', () => {
  it('lists statements as given (newest due date first) with their dates and amounts', () => {
    const text = render(page());
    expect(text).toMatch(/Statement Date +Due Date +Amount Due/);
    expect(text.indexOf('10/26/2026')).toBeLessThan(text.indexOf('09/26/2026'));
    expect(text).toMatch(/10\/01\/2026 +10\/26\/2026 +\$150\.00/);
  });
});

describe('Account dashboard off', () => {
  it('shows the header and one notice, nothing else', () => {
    const text = render(page({}, { accountDashboard: false }));
    expect(text).toContain('Account 10004');
    expect(text).toContain(DASHBOARD_OFF);
    expect(titles(text)).toEqual([]);
    expect(text).not.toContain('Pay Now');
    expect(text).not.toContain('(312) 555-0142');
  });
});

describe('width', () => {
  it.each([60, 80, 200])('at %i columns: nothing past the width, no trailing spaces, ends with a newline', (width) => {
    const text = render(page(), width);
    expectWellFormed(text, width);
    expect(text.split('\n').some((line) => displayWidth(line) === width)).toBe(true);
  });

  it('wraps long names inside their panel', () => {
    const long = 'Maximiliano Montgomery-Castellanos-Vanderwesthuizen-Abernathy-Fitzwilliam-Rutherford-Worthington';
    const p = page({ guarantorName: long, collectionAgencies: [long] }, { name: 'G'.repeat(80) });
    for (const width of [60, 80]) {
      const text = render(p, width);
      expectWellFormed(text, width);
      expect(text.replace(/[│║\s]/g, '')).toContain(long.replace(/\s/g, ''));
    }
  });

  it('counts wide characters (CJK, emoji) as two columns', () => {
    const p = page({ guarantorName: '山田太郎'.repeat(20) + ' 👨‍👩‍👧 😀😀😀', visits: [{ ...VISITS[0], facilityName: '東京クリニック'.repeat(10) }] });
    for (const width of [60, 80]) expectWellFormed(render(p, width), width);
  });
});

describe('sanitizing', () => {
  it('neutralizes escape sequences, control characters and bidi overrides in every store text', () => {
    const evil = 'Eve\u001b[31mRED\u001b]8;;http://x\u0007link\u0007\u009b2J\u202eevil\r\nX\u0000';
    const p = page(
      {
        guarantorName: evil,
        accountNumber: evil,
        collectionAgencies: [evil],
        visits: [
          { facilityName: evil, providers: [{ providerName: evil, patients: [{ patientName: evil, lines: VISITS[0].providers[0].patients[0].lines }] }] },
        ],
      },
      { name: evil, footerEmail: evil, footerText: `${evil}\nsecond line` },
    );
    for (const color of [false, true]) {
      const text = render(p, 80, color);
      const withoutColor = text.replace(/\u001b\[\d+(;\d+)*m/g, '');
      expect(withoutColor).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(withoutColor).toContain('Eve');
    }
    expectWellFormed(render(p, 80), 80);
  });
});

describe('color', () => {
  it('is off unless asked for, and on changes nothing but the escapes', () => {
    const plain = render(page(), 80, false);
    const colored = render(page(), 80, true);
    expect(plain).not.toMatch(/\u001b/);
    expect(colored).toMatch(/\u001b\[/);
    expect(colored.replace(/\u001b\[\d+(;\d+)*m/g, '')).toBe(plain);
  });
});

describe('determinism', () => {
  it('the same page and options give the same bytes', () => {
    expect(render(page(), 80)).toBe(render(page(), 80));
  });

  it('matches the reviewed snapshots', async () => {
    await expect(render(page(), 80)).toMatchFileSnapshot('__snapshots__/account-page-80.txt');
    await expect(render(page(), 60)).toMatchFileSnapshot('__snapshots__/account-page-60.txt');
    await expect(render(page({}, { accountDashboard: false }), 80)).toMatchFileSnapshot('__snapshots__/account-page-dashboard-off.txt');
  });
});
