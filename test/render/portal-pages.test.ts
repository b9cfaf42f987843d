// The portal's pages as text (docs/portal.md, "Pages"): Home, Pay, Statements,
// Receipts and QuickPay around the v1 Account page — the navigation, what each
// group setting shows or hides, golden files, and properties: nothing in
// collections is ever offered, nothing spills past the width.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAccountPage, type AccountPage, type PageGroup, type PageSourceAccount, type PageSourceEncounter } from '../../src/domain/account-page.js';
import { defaultSettings } from '../../src/domain/group-settings.js';
import { VIEW_NAMES, type PortalView } from '../../src/domain/portal.js';
import { DASHBOARD_OFF, PAY_NOW, renderAccountPage } from '../../src/render/account-page.js';
import {
  CVV_REQUIRED,
  EMAIL_RECEIPT,
  NO_AMOUNT_DUE,
  NO_PAYMENT_METHOD,
  NO_RECEIPTS,
  NOTHING_TO_PAY,
  PAY_HEADINGS,
  PORTAL_TITLES,
  STORE_CARD,
  VIEW_ACCOUNT,
  VIEW_STATEMENT,
  renderView,
} from '../../src/render/portal-pages.js';
import { displayWidth } from '../../src/base/text-width.js';
import { LAKESIDE_GROUP, leoVisits } from '../helpers/pages.js';

/** A realistic group: collections shown, a footer, several payment options on. */
const LAKESIDE: PageGroup = {
  ...LAKESIDE_GROUP,
  creditCard: true,
  applePay: true,
  googlePay: true,
  storePaymentMethods: true,
  requireCvv: true,
  emailReceipts: true,
  homeAssetUrl: 'https://cdn.lakesidepeds.example.com/portal/home-banner.png',
};

/** Maria Rivera's account: $153.00 payable online, $85.00 due, $240.00 in collections. */
function page(overrides: Partial<AccountPage> = {}, group: Partial<PageGroup> = {}, figures: Partial<AccountPage['figures']> = {}): AccountPage {
  return {
    group: { ...LAKESIDE, ...group },
    accountNumber: '10004',
    guarantorName: 'Maria Rivera',
    figures: { amountDue: 8500, lastStatement: 12000, currentBalance: 15300, unappliedFunds: 1250, payableOnline: 15300, collectionBalance: 24000, ...figures },
    collectionAgencies: ['Summit Recovery Services'],
    visits: leoVisits(),
    statements: [
      { date: '2026-10-01', dueDate: '2026-10-26', amountDue: 15000 },
      { date: '2026-09-01', dueDate: '2026-09-26', amountDue: 12000 },
      { date: '2026-08-01', dueDate: '2026-08-26', amountDue: 9000 },
    ],
    latestStatement: { date: '2026-10-01', dueDate: '2026-10-26', amountDue: 15000 },
    receipts: [
      { date: '2026-10-12', status: 'paid', method: 'portal', amount: 3500 },
      { date: '2026-10-12', status: 'declined', method: 'card', amount: 6500 },
      { date: '2026-09-20', status: 'paid', method: 'check', amount: 12000 },
      { date: '2026-08-30', status: 'paid', method: 'cash', amount: 2000 },
      { date: '2026-08-02', status: 'paid', method: 'other', amount: 1000 },
    ],
    ...overrides,
  };
}

const render = (view: PortalView, p: AccountPage, width = 80, color = false) => renderView(view, p, { width, color });

/** The panel titles in order (a title sits in a top border: `┌─ Title ─…┐`). */
function titles(text: string): string[] {
  return [...text.matchAll(/^┌─ (.+?) ─+┐$/gm)].map((m) => m[1]);
}

/** The navigation line: the one line outside the panels that names Pay and Receipts. */
function navigation(text: string): string | undefined {
  return text.split('\n').find((line) => /^\S.*\bPay\b.*\bReceipts\b/.test(line) && !/^[│║┌└╔╚]/.test(line));
}

/** The text of a panel (between its title and its bottom border), its side borders removed. */
function panel(text: string, title: string): string {
  const start = text.indexOf(`┌─ ${title} `);
  if (start < 0) return '';
  const end = text.indexOf('└', start);
  return text
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^│ /, '').replace(/ *│$/, ''))
    .join('\n');
}

/** Each offered amount, `( ) Label  $1.23`, in cents. */
function offeredAmounts(text: string): { label: string; cents: number }[] {
  return [...text.matchAll(/\( \) ([A-Za-z ]+?) +(-?)\$([\d,]+)\.(\d\d)/g)].map((m) => ({
    label: m[1],
    cents: (m[2] === '-' ? -1 : 1) * (Number(m[3].replace(/,/g, '')) * 100 + Number(m[4])),
  }));
}

const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SGR = /\u001b\[[\d;]*m/g;

function expectWellFormed(text: string, width: number): void {
  expect(text.endsWith('\n')).toBe(true);
  expect(text).not.toMatch(/\u001b/);
  expect(text).not.toMatch(RAW_CONTROL);
  for (const line of text.slice(0, -1).split('\n')) {
    expect(displayWidth(line), JSON.stringify(line)).toBeLessThanOrEqual(width);
    expect(line, JSON.stringify(line)).not.toMatch(/\s$/);
  }
}

const PAGES_WITH_NAVIGATION = ['home', 'pay', 'receipts', 'statements'] as const;

/** The navigation of each page with one, the current page in brackets. */
const NAVIGATION_LINES: [(typeof PAGES_WITH_NAVIGATION)[number], string][] = [
  ['home', '[Home] | Account | Pay | Receipts | Statements | Log Out'],
  ['pay', 'Home | Account | [Pay] | Receipts | Statements | Log Out'],
  ['receipts', 'Home | Account | Pay | [Receipts] | Statements | Log Out'],
  ['statements', 'Home | Account | Pay | Receipts | [Statements] | Log Out'],
];

describe('golden files (they are the spec: read them)', () => {
  it.each(VIEW_NAMES.flatMap((view) => [60, 80, 130].map((width) => [view, width] as const)))('%s at %i columns', async (view, width) => {
    const text = render(view, page(), width);
    expectWellFormed(text, width);
    await expect(text).toMatchFileSnapshot(`__snapshots__/portal-${view}-${width}.txt`);
  });
});

describe('the navigation', () => {
  it.each(NAVIGATION_LINES)('on %s lists the pages in order and marks the current one', (view, marked) => {
    const text = render(view, page());
    expect(navigation(text)).toBe(marked);
    // After the v1 header, before the page's first panel.
    expect(text.indexOf(marked)).toBeGreaterThan(text.indexOf('Maria Rivera'));
    expect(text.indexOf(marked)).toBeLessThan(text.indexOf('┌─'));
    // One line, outside the panels.
    expect(text.split('\n').filter((line) => line.includes('Statements') && !/^[│┌]/.test(line))).toEqual([marked]);
  });

  it('ends with Close, Log Out, or nothing, per the logout function', () => {
    expect(navigation(render('home', page({}, { logoutFunction: 'logout' })))).toMatch(/ \| Statements \| Log Out$/);
    expect(navigation(render('home', page({}, { logoutFunction: 'close' })))).toMatch(/ \| Statements \| Close$/);
    const none = navigation(render('home', page({}, { logoutFunction: 'none' })));
    expect(none).toMatch(/ \| Statements$/);
    expect(none).not.toMatch(/Log Out|Close/);
  });

  it('leaves out Account while the Account page is off; the other pages still render', () => {
    for (const view of PAGES_WITH_NAVIGATION) {
      const text = render(view, page({}, { accountDashboard: false }));
      expect(navigation(text)).not.toMatch(/Account/);
      expect(navigation(text)).toMatch(/^\[?Home\]? \| \[?Pay\]? \| /);
      expect(text).not.toContain(DASHBOARD_OFF);
      expect(titles(text).length).toBeGreaterThan(0);
    }
    // The Account page itself keeps the v1 notice.
    expect(render('account', page({}, { accountDashboard: false }))).toContain(DASHBOARD_OFF);
  });

  it('is not on the Account page (its v1 layout) nor on QuickPay', () => {
    expect(navigation(render('account', page()))).toBeUndefined();
    expect(navigation(render('quickpay', page()))).toBeUndefined();
  });

  it('fits 60 columns on one line, also at its longest', () => {
    const text = render('statements', page({}, { logoutFunction: 'logout' }), 60);
    const line = navigation(text)!;
    expect(line).toBe('Home | Account | Pay | Receipts | [Statements] | Log Out');
    expect(displayWidth(line)).toBeLessThanOrEqual(60);
  });

  it('marks the current page with color too, and color changes nothing but escapes', () => {
    for (const view of VIEW_NAMES) {
      const colored = render(view, page(), 80, true);
      expect(colored).toMatch(/\u001b\[/);
      expect(colored.replace(SGR, '')).toBe(render(view, page(), 80, false));
    }
  });
});

describe('every page but QuickPay has the v1 header and footer', () => {
  it.each([...PAGES_WITH_NAVIGATION, 'account' as const])('%s', (view) => {
    const text = render(view, page());
    const header = text.slice(0, text.indexOf('╝'));
    for (const part of ['Lakeside Pediatrics', 'Account 10004', 'Maria Rivera']) expect(header).toContain(part);
    const footer = text.slice(text.lastIndexOf('┘') + 1);
    for (const part of ['Phone: (312) 555-0142', 'Email: billing@lakesidepeds.example.com', 'Office hours: Mon–Fri 8:00–17:00']) expect(footer).toContain(part);
  });
});

describe('the Account page', () => {
  it('is the v1 page (renderView gives renderAccountPage)', () => {
    for (const width of [60, 80, 200]) expect(render('account', page(), width)).toBe(renderAccountPage(page(), { width, color: false }));
  });

  it('shows Current Balance and Unapplied Funds by default', () => {
    const text = render('account', page());
    expect(text).toMatch(/Current Balance +\$153\.00/);
    expect(text).toMatch(/Unapplied Funds +\$12\.50/);
  });

  it('hides Current Balance (and the amount beside Pay Now) with showCurrentBalance off', () => {
    const summary = panel(render('account', page({}, { showCurrentBalance: false })), 'Account Summary');
    expect(summary).not.toContain('Current Balance');
    expect(summary).not.toContain('$153.00');
    expect(summary).toMatch(/^\[ Pay Now \]$/m);
    expect(summary).toMatch(/Unapplied Funds +\$12\.50/);
  });

  it('hides Unapplied Funds with showEscrow off', () => {
    const summary = panel(render('account', page({}, { showEscrow: false })), 'Account Summary');
    expect(summary).not.toContain('Unapplied Funds');
    expect(summary).toMatch(/Current Balance +\$153\.00/);
  });
});

describe('Home', () => {
  const welcome = (p: AccountPage) => panel(render('home', p), PORTAL_TITLES.welcome);

  it('one Welcome panel: the guarantor, the figures, Pay Now, the current statement, one notice', () => {
    const text = render('home', page());
    expect(titles(text)).toEqual(['Welcome']);
    const body = welcome(page());
    const order = ['Maria Rivera', 'Amount Due', 'Current Balance', 'Unapplied Funds', PAY_NOW, VIEW_STATEMENT, 'Your latest statement'];
    const positions = order.map((part) => body.indexOf(part));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(body).toMatch(/Amount Due +\$85\.00/);
    expect(body).toMatch(/Current Balance +\$153\.00/);
    expect(body).toMatch(/Unapplied Funds +\$12\.50/);
    expect(body).toContain('[ Pay Now ]  $153.00 can be paid online.');
  });

  it('the notice gives the latest statement and its due date when something is due', () => {
    expect(welcome(page())).toContain('Your latest statement of $150.00 is due 10/26/2026.');
  });

  it('the notice says so when nothing is due', () => {
    const body = welcome(page({}, {}, { amountDue: 0 }));
    expect(body).toContain(NO_AMOUNT_DUE);
    expect(body).not.toContain('Your latest statement');
  });

  it('without a statement: no View Current Statement; new charges due say so', () => {
    const body = welcome(page({ statements: [], latestStatement: null }, {}, { amountDue: 4200 }));
    expect(body).not.toContain(VIEW_STATEMENT);
    expect(body).toContain('$42.00 is due for new charges; no statement has been sent yet.');
    expect(welcome(page({ statements: [], latestStatement: null }, {}, { amountDue: 0 }))).toContain(NO_AMOUNT_DUE);
  });

  it('Current Balance follows showCurrentBalance, Unapplied Funds follows showEscrow', () => {
    expect(welcome(page({}, { showCurrentBalance: false }))).not.toContain('Current Balance');
    expect(welcome(page({}, { showCurrentBalance: false }))).not.toContain('$153.00');
    expect(welcome(page({}, { showCurrentBalance: false }))).toContain('Unapplied Funds');
    expect(welcome(page({}, { showEscrow: false }))).not.toContain('Unapplied Funds');
    expect(welcome(page({}, { showEscrow: false }))).toContain('Current Balance');
  });

  it('Pay Now follows the v1 rule: something payable and a payment method', () => {
    expect(welcome(page({}, {}, { payableOnline: 0, currentBalance: 0 }))).not.toContain('Pay Now');
    expect(welcome(page({}, { creditCard: false, applePay: false, googlePay: false }))).not.toContain('Pay Now');
    // Apple Pay alone, withheld by split payments, is no method.
    expect(welcome(page({}, { creditCard: false, googlePay: false, applePay: true, splitPayments: true }))).not.toContain('Pay Now');
    expect(welcome(page({}, { creditCard: false, googlePay: false, applePay: true }))).toContain(PAY_NOW);
  });

  it('mentions the home image when the group has one, and only then', () => {
    expect(welcome(page())).toContain('[ image: https://cdn.lakesidepeds.example.com/portal/home-banner.png ]');
    expect(welcome(page({}, { homeAssetUrl: null }))).not.toContain('image');
  });
});

describe('Pay', () => {
  const pay = (p: AccountPage, width = 80) => panel(render('pay', p, width), PORTAL_TITLES.pay);

  it('one Make your Payment panel: Payment Amount, then Payment Method', () => {
    const text = render('pay', page());
    expect(titles(text)).toEqual(['Make your Payment']);
    const body = pay(page());
    expect(body.indexOf(PAY_HEADINGS.amount)).toBeLessThan(body.indexOf(PAY_HEADINGS.method));
    expect(offeredAmounts(body)).toEqual([
      { label: 'Current Balance', cents: 15300 },
      { label: 'Amount Due', cents: 8500 },
    ]);
    expect(body).toMatch(/^ {2}\( \) Other Amount$/m);
  });

  it('offers Current Balance only with showCurrentBalance on', () => {
    const body = pay(page({}, { showCurrentBalance: false }));
    expect(body).not.toContain('Current Balance');
    expect(offeredAmounts(body)).toEqual([{ label: 'Amount Due', cents: 8500 }]);
  });

  it('caps Amount Due at what can be paid online', () => {
    // $300.00 due, but only $100.00 outside collections.
    const body = pay(page({}, {}, { amountDue: 30000, currentBalance: 10000, payableOnline: 10000 }));
    expect(offeredAmounts(body)).toEqual([
      { label: 'Current Balance', cents: 10000 },
      { label: 'Amount Due', cents: 10000 },
    ]);
    expect(body).not.toContain('$300.00');
  });

  it('offers no Amount Due of zero', () => {
    const body = pay(page({}, {}, { amountDue: 0 }));
    expect(offeredAmounts(body)).toEqual([{ label: 'Current Balance', cents: 15300 }]);
    expect(body).toContain('( ) Other Amount');
  });

  it('with nothing payable (a credit): one sentence, no options, no methods', () => {
    const body = pay(page({}, {}, { payableOnline: 0, currentBalance: -2500, amountDue: 0 }));
    expect(body).toContain(NOTHING_TO_PAY);
    expect(body).not.toContain('( )');
    expect(body).not.toContain(PAY_HEADINGS.method);
    expect(body).not.toContain(EMAIL_RECEIPT);
  });

  it('the collection line: the amount, that it cannot be paid here, the footer number', () => {
    const body = pay(page(), 130);
    expect(body).toContain('$240.00 is in collections and cannot be paid here. To pay or ask about it, call (312) 555-0142.');
    expect(offeredAmounts(body).every((o) => o.cents !== 24000)).toBe(true);
  });

  it('the collection line without a footer number says to contact the office', () => {
    const body = pay(page({}, { footerPhone: null }), 130);
    expect(body).toContain('$240.00 is in collections and cannot be paid here. To pay or ask about it, contact the office.');
    expect(body).not.toMatch(/call \(/);
  });

  it('no collection line with Show Collections off or no collection balance', () => {
    expect(pay(page({}, { showCollections: false }))).not.toContain('collections');
    expect(pay(page({}, {}, { collectionBalance: 0 }))).not.toContain('collections');
    expect(pay(page({}, {}, { collectionBalance: -500 }))).not.toContain('collections');
  });

  it('the collection line is painted as an alert (as the Account page paints the collection balance)', () => {
    const colored = render('pay', page(), 130, true);
    const accountPage = render('account', page(), 130, true);
    const alertOpening = /(\u001b\[[\d;]*m)+(?=\$240\.00)/.exec(accountPage)![0];
    expect(colored).toContain(`${alertOpening}$240.00 is in collections`);
    expect(colored.replace(SGR, '')).toBe(render('pay', page(), 130));
  });

  it('an account whose only balance is in collections: nothing to pay, the collection line', () => {
    const body = pay(page({}, {}, { amountDue: 0, currentBalance: 0, payableOnline: 0, collectionBalance: 24000 }));
    expect(body).toContain(NOTHING_TO_PAY);
    expect(body).toContain('$240.00 is in collections');
    expect(body).not.toContain('( )');
  });

  it('payment methods follow creditCard, applePay, googlePay; split payments hide Apple Pay', () => {
    const methods = (group: Partial<PageGroup>) => [...pay(page({}, group)).matchAll(/\( \) (Credit Card|Apple Pay|Google Pay)$/gm)].map((m) => m[1]);
    expect(methods({})).toEqual(['Credit Card', 'Apple Pay', 'Google Pay']);
    expect(methods({ creditCard: false })).toEqual(['Apple Pay', 'Google Pay']);
    expect(methods({ applePay: false })).toEqual(['Credit Card', 'Google Pay']);
    expect(methods({ googlePay: false })).toEqual(['Credit Card', 'Apple Pay']);
    expect(methods({ splitPayments: true })).toEqual(['Credit Card', 'Google Pay']);
  });

  it('Store card and CVV lines under Credit Card follow storePaymentMethods and requireCvv', () => {
    const body = pay(page());
    expect(body).toMatch(/\( \) Credit Card\n +\[ \] Store card for future use\n +CVV required\n/);
    expect(pay(page({}, { storePaymentMethods: false }))).not.toContain(STORE_CARD);
    expect(pay(page({}, { requireCvv: false }))).not.toContain(CVV_REQUIRED);
    // Without a card, neither.
    const noCard = pay(page({}, { creditCard: false }));
    expect(noCard).not.toContain(STORE_CARD);
    expect(noCard).not.toContain(CVV_REQUIRED);
  });

  it('with no method available: online payment is not available, and the footer number', () => {
    const none = { creditCard: false, applePay: false, googlePay: false };
    const body = pay(page({}, none), 130);
    expect(body).toContain(`${NO_PAYMENT_METHOD} To pay, call (312) 555-0142.`);
    expect(body).not.toMatch(/\( \) (Credit Card|Apple Pay|Google Pay)/);
    expect(body).not.toContain(EMAIL_RECEIPT);
    expect(pay(page({}, { ...none, footerPhone: null }), 130)).toContain(`${NO_PAYMENT_METHOD} To pay, contact the office.`);
    // Apple Pay alone, split payments on: still no method.
    expect(pay(page({}, { ...none, applePay: true, splitPayments: true }), 130)).toContain(NO_PAYMENT_METHOD);
  });

  it('emailReceipts adds the receipt sentence', () => {
    expect(pay(page({}, { emailReceipts: true }))).toContain(EMAIL_RECEIPT);
    expect(pay(page({}, { emailReceipts: false }))).not.toContain(EMAIL_RECEIPT);
  });
});

describe('QuickPay', () => {
  it('no navigation and no account number: the group, the guarantor, the Pay panel, View Account, the footer', () => {
    const text = render('quickpay', page());
    expect(navigation(text)).toBeUndefined();
    expect(text).not.toContain('10004');
    const header = text.slice(0, text.indexOf('╝'));
    expect(header).toContain('Lakeside Pediatrics');
    expect(header).toContain('Maria Rivera');
    expect(titles(text)).toEqual(['Make your Payment']);
    expect(panel(text, PORTAL_TITLES.pay)).toBe(panel(render('pay', page()), PORTAL_TITLES.pay));
    const after = text.slice(text.lastIndexOf('┘') + 1);
    expect(after).toMatch(/^\n\nView Account\n\n─+\nPhone: \(312\) 555-0142\n/);
    expect(after.indexOf(VIEW_ACCOUNT)).toBeLessThan(after.indexOf('Phone:'));
  });

  it('follows the same settings as the Pay page', () => {
    const text = render('quickpay', page({}, { showCurrentBalance: false, emailReceipts: false, splitPayments: true }));
    expect(text).not.toContain('Current Balance');
    expect(text).not.toContain('Apple Pay');
    expect(text).not.toContain(EMAIL_RECEIPT);
  });
});

describe('Statements', () => {
  it('lists each statement, newest due date first, then the Current Statement', () => {
    const text = render('statements', page());
    expect(titles(text)).toEqual(['Statement History', 'Current Statement']);
    const list = panel(text, 'Statement History');
    expect(list).toMatch(/Statement Date +Due Date +Amount Due/);
    expect(list).toMatch(/10\/01\/2026 +10\/26\/2026 +\$150\.00\n09\/01\/2026 +09\/26\/2026 +\$120\.00\n08\/01\/2026 +08\/26\/2026 +\$90\.00/);
    const current = panel(text, 'Current Statement');
    expect(current).toMatch(/^Statement Balance +\$150\.00$/m);
    expect(current).toMatch(/^Account Number +10004$/m);
    expect(current).toMatch(/^Date Due +10\/26\/2026$/m);
    expect(current).toMatch(/^Guarantor +Maria Rivera$/m);
  });

  it('the Current Statement is the latest statement (by date), whatever the list order', () => {
    const latest = { date: '2026-10-01', dueDate: '2026-10-20', amountDue: 7700 };
    const current = panel(render('statements', page({ latestStatement: latest })), 'Current Statement');
    expect(current).toMatch(/Statement Balance +\$77\.00/);
    expect(current).toMatch(/Date Due +10\/20\/2026/);
  });

  it('without statements: one sentence and no Current Statement', () => {
    const text = render('statements', page({ statements: [], latestStatement: null }));
    expect(titles(text)).toEqual(['Statement History']);
    expect(panel(text, 'Statement History')).toBe('No statements yet.\n');
  });

  it('a long guarantor name wraps inside the Current Statement', () => {
    const long = 'Maximiliano Montgomery-Castellanos Vanderwesthuizen-Abernathy Fitzwilliam';
    const text = render('statements', page({ guarantorName: long }), 60);
    expectWellFormed(text, 60);
    expect(panel(text, 'Current Statement').replace(/\s+/g, ' ')).toContain(long);
  });
});

describe('Receipts', () => {
  it('each payment as given (newest first): date, status, what it was paid with, amount', () => {
    const text = render('receipts', page());
    expect(titles(text)).toEqual(['Receipts']);
    const rows = panel(text, 'Receipts').trimEnd().split('\n');
    expect(rows[0]).toMatch(/^Payment Date +Status +Paid With +Amount$/);
    expect(rows.slice(1).map((row) => row.split(/ {2,}/))).toEqual([
      ['10/12/2026', 'Paid', 'Portal', '$35.00'],
      ['10/12/2026', 'Unsuccessful', 'Card', '$0.00'],
      ['09/20/2026', 'Paid', 'Check', '$120.00'],
      ['08/30/2026', 'Paid', 'Cash', '$20.00'],
      ['08/02/2026', 'Paid', 'Other', '$10.00'],
    ]);
  });

  it('a declined payment is Unsuccessful, $0.00, never its attempted amount', () => {
    const body = panel(render('receipts', page()), 'Receipts');
    expect(body).toMatch(/10\/12\/2026 +Unsuccessful +Card +\$0\.00/);
    expect(body).not.toContain('$65.00');
  });

  it('"No receipts." when there are none', () => {
    const text = render('receipts', page({ receipts: [] }));
    expect(panel(text, 'Receipts')).toBe(`${NO_RECEIPTS}\n`);
  });
});

describe('output rules', () => {
  it('every view at every width 60..200: inside the width, no trailing spaces, a final newline', () => {
    for (const view of VIEW_NAMES) {
      for (let width = 60; width <= 200; width += 7) expectWellFormed(render(view, page(), width), width);
    }
  });

  it('widths outside 60..200 are brought into range', () => {
    expect(render('home', page(), 10)).toBe(render('home', page(), 60));
    expect(render('pay', page(), 500)).toBe(render('pay', page(), 200));
  });

  it('the same page and options give the same bytes', () => {
    for (const view of VIEW_NAMES) expect(render(view, page(), 90)).toBe(render(view, page(), 90));
  });

  it('store text is sanitized on every view', () => {
    const evil = 'Eve\u001b[31mRED\u001b]8;;http://x\u0007link\u0007\u009b2J\u202eevil\r\nX\u0000';
    const p = page(
      { guarantorName: evil, accountNumber: evil, collectionAgencies: [evil] },
      { name: evil, footerEmail: evil, footerText: `${evil}\nsecond line`, homeAssetUrl: `https://x.example/${evil}` },
    );
    for (const view of VIEW_NAMES) {
      for (const color of [false, true]) {
        const text = render(view, p, 80, color).replace(SGR, '');
        expect(text).not.toMatch(RAW_CONTROL);
        expect(text).not.toMatch(/\u001b/);
        expect(text).toContain('Eve');
      }
      expectWellFormed(render(view, p, 80), 80);
    }
  });
});

// Properties over generated accounts and groups (fast-check).

const SEED = 20261201;

/** Names that try to break a layout: wide CJK, emoji, combining marks, controls, no spaces at all. */
const hostileText = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        '山田太郎',
        '東京クリニック',
        '👨‍👩‍👧',
        '😀',
        'e\u0301\u0302\u0303',
        '\u001b[31m',
        '\u001b]0;pwned\u0007',
        '\u0007',
        '\u009b2J',
        '\u202e',
        '\u200b',
        '\t',
        '\r\n',
        ' ',
        '\u00a0',
        'ﾃｽﾄ',
        'Maximiliano-Castellanos-Vanderwesthuizen',
        'x'.repeat(120),
        'O\u2019Brien',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const date = fc.integer({ min: 0, max: 729 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const cents = fc.integer({ min: -50_000, max: 2_000_000 });

const line = fc.record({
  line: fc.constant(1),
  billed: fc.integer({ min: 0, max: 2_000_000 }),
  adjusted: fc.integer({ min: 0, max: 200_000 }),
  insurancePaid: fc.integer({ min: 0, max: 200_000 }),
  patientPaid: fc.integer({ min: 0, max: 200_000 }),
});

function encounterArb(statuses: readonly PageSourceEncounter['status'][]): fc.Arbitrary<PageSourceEncounter> {
  return fc
    .record({
      number: fc.integer({ min: 1, max: 1_000_000 }),
      status: fc.constantFrom(...statuses),
      serviceDate: date,
      names: fc.tuple(hostileText, hostileText, hostileText, hostileText),
      lines: fc.array(line, { minLength: 1, maxLength: 3 }),
    })
    .map(({ number, status, serviceDate, names: [patient, facility, provider, agency], lines }) => ({
      number,
      status,
      serviceDate,
      patient: { id: 'P1', firstName: patient, lastName: 'Rivera' },
      facility: { code: 'F', name: facility },
      provider: { code: 'P', name: provider },
      agency: status === 'open' ? null : { code: 'A', name: agency },
      lines: lines.map((l, i) => ({ ...l, line: i + 1 })),
    }));
}

function accountArb(statuses: readonly PageSourceEncounter['status'][]): fc.Arbitrary<PageSourceAccount> {
  return fc.record({
    accountNumber: hostileText,
    guarantor: fc.record({ firstName: hostileText, lastName: hostileText }),
    unappliedFunds: fc.integer({ min: 0, max: 100_000 }),
    statements: fc.array(fc.record({ date, dueDate: date, amountDue: cents }), { maxLength: 4 }),
    encounters: fc.array(encounterArb(statuses), { maxLength: 5 }),
    payments: fc.array(
      fc.record({
        date,
        amount: fc.integer({ min: 1, max: 500_000 }),
        method: fc.constantFrom('card', 'cash', 'check', 'portal', 'other'),
        status: fc.constantFrom('paid' as const, 'declined' as const),
      }),
      { maxLength: 5 },
    ),
  });
}

const groupArb: fc.Arbitrary<PageGroup> = fc
  .record({
    name: hostileText,
    showCollections: fc.boolean(),
    includeNewCharges: fc.boolean(),
    accountDashboard: fc.boolean(),
    creditCard: fc.boolean(),
    applePay: fc.boolean(),
    googlePay: fc.boolean(),
    splitPayments: fc.boolean(),
    storePaymentMethods: fc.boolean(),
    requireCvv: fc.boolean(),
    emailReceipts: fc.boolean(),
    showCurrentBalance: fc.boolean(),
    showEscrow: fc.boolean(),
    logoutFunction: fc.constantFrom('close' as const, 'logout' as const, 'none' as const),
    footerPhone: fc.constantFrom(null, '+13125550142', '+13125550142;ext=123456'),
    footerEmail: fc.option(hostileText),
    footerText: fc.option(hostileText),
    homeAssetUrl: fc.option(hostileText),
  })
  .map((settings) => ({ ...defaultSettings(), ...settings }));

/** The non-collection balance straight from the lines (SPEC's rule, not through domain/balances.ts). */
function nonCollectionBalance(account: PageSourceAccount): number {
  return account.encounters
    .filter((e) => e.status !== 'collections')
    .flatMap((e) => e.lines)
    .reduce((sum, l) => sum + l.billed - l.adjusted - l.insurancePaid - l.patientPaid, 0);
}

describe('properties', () => {
  it('no Pay page or QuickPay offers more than can be paid online, so nothing in collections', () => {
    fc.assert(
      fc.property(accountArb(['open', 'pre-collections', 'collections']), groupArb, fc.integer({ min: 60, max: 200 }), (account, group, width) => {
        const payable = Math.max(0, nonCollectionBalance(account));
        for (const view of ['pay', 'quickpay'] as const) {
          const text = render(view, buildAccountPage(account, group), width);
          for (const { cents: offered } of offeredAmounts(text)) {
            expect(offered).toBeGreaterThan(0);
            expect(offered).toBeLessThanOrEqual(payable);
          }
          if (payable === 0) expect(text).not.toContain('( )');
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('an account whose only balance is in collections is offered nothing', () => {
    fc.assert(
      fc.property(accountArb(['collections']), groupArb, fc.integer({ min: 60, max: 200 }), (account, group, width) => {
        for (const view of ['pay', 'quickpay'] as const) {
          const text = render(view, buildAccountPage(account, group), width);
          expect(text).not.toContain('( )');
          expect(text).toContain(NOTHING_TO_PAY);
          expect(text).not.toContain(PAY_NOW);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('no line of any view is wider than the width, with hostile names, with or without color', () => {
    fc.assert(
      fc.property(
        accountArb(['open', 'pre-collections', 'collections']),
        groupArb,
        fc.integer({ min: 60, max: 200 }),
        fc.constantFrom(...VIEW_NAMES),
        (account, group, width, view) => {
          const p = buildAccountPage(account, group);
          expectWellFormed(render(view, p, width), width);
          const colored = render(view, p, width, true).replace(SGR, '');
          for (const row of colored.slice(0, -1).split('\n')) expect(displayWidth(row)).toBeLessThanOrEqual(width);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});
