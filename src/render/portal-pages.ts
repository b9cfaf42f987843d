// The portal's pages (docs/portal.md, "Pages") as text: Home, Pay, Receipts,
// Statements and the QuickPay screen; the Account page is render/account-page.ts.
// Pure: the same page and options always give the same bytes.
import { showsCollectionPanel, type AccountPage, type PageGroup, type ReceiptEntry } from '../domain/account-page.js';
import { formatDate } from '../domain/dates.js';
import { formatMoney, type Cents } from '../domain/money.js';
import { PAGE_NAMES, paymentMethodsOffered, type PageName, type PaymentMethodKey, type PortalView } from '../domain/portal.js';
import {
  balanceRows,
  clean,
  footer,
  header,
  howToCall,
  labelledValues,
  pageWriter,
  payNowLine,
  renderAccountPage,
  section,
  statementsBody,
  type RenderOptions,
} from './account-page.js';
import { measureColumns, type PageWriter } from './panel.js';
import { displayWidth, padding, wrapToWidth } from '../base/text-width.js';

/** The exact titles of the panels of these pages. */
export const PORTAL_TITLES = {
  welcome: 'Welcome',
  pay: 'Make your Payment',
  statements: 'Statement History',
  currentStatement: 'Current Statement',
  receipts: 'Receipts',
} as const;

/** Headings inside the Make your Payment panel. */
export const PAY_HEADINGS = { amount: 'Payment Amount', method: 'Payment Method' } as const;

export const NOTHING_TO_PAY = 'There is nothing to pay online.';
export const NO_PAYMENT_METHOD = 'Online payment is not available.';
export const EMAIL_RECEIPT = 'A receipt is e-mailed to the address you give.';
export const NO_AMOUNT_DUE = 'You have no amount due.';
export const NO_RECEIPTS = 'No receipts.';
export const VIEW_STATEMENT = 'View Current Statement';
export const VIEW_ACCOUNT = 'View Account';
export const STORE_CARD = '[ ] Store card for future use';
export const CVV_REQUIRED = 'CVV required';
/** An amount or method the patient can pick. */
export const OPTION = '( )';

const PAGE_LABELS: Record<PageName, string> = { home: 'Home', account: 'Account', pay: 'Pay', receipts: 'Receipts', statements: 'Statements' };
const LOGOUT_LABELS: Record<PageGroup['logoutFunction'], string | null> = { logout: 'Log Out', close: 'Close', none: null };
const METHOD_LABELS: Record<PaymentMethodKey, string> = { creditCard: 'Credit Card', applePay: 'Apple Pay', googlePay: 'Google Pay' };
const PAID_WITH: Record<string, string> = { card: 'Card', cash: 'Cash', check: 'Check', portal: 'Portal', other: 'Other' };

/** One view of the portal for one account seen through one group. */
export function renderView(view: PortalView, page: AccountPage, options: RenderOptions): string {
  switch (view) {
    case 'account':
      return renderAccountPage(page, options);
    case 'quickpay':
      return renderQuickPay(page, options);
    default:
      return renderPortalPage(view, page, options);
  }
}

type NavigatedPage = Exclude<PageName, 'account'>;

const PAGE_BODIES: Record<NavigatedPage, (w: PageWriter, page: AccountPage) => void> = {
  home: homeBody,
  pay: payPanel,
  statements: statementsPage,
  receipts: receiptsPage,
};

/** The v1 header, the navigation, the page's panels, the v1 footer. */
function renderPortalPage(view: NavigatedPage, page: AccountPage, options: RenderOptions): string {
  const w = pageWriter(page, options);
  header(w, page);
  w.blank();
  navigation(w, view, page.group);
  PAGE_BODIES[view](w, page);
  footer(w, page);
  return w.toString();
}

/** QuickPay: no navigation and no account number; the Pay panel, then a way to the account. */
function renderQuickPay(page: AccountPage, options: RenderOptions): string {
  const w = pageWriter(page, options);
  w.openPanel(null, { heavy: true });
  w.paragraph(clean(page.group.name), { style: 'heading' });
  w.paragraph(clean(page.guarantorName));
  w.closePanel();
  payPanel(w, page);
  w.blank();
  w.paragraph(VIEW_ACCOUNT);
  footer(w, page);
  return w.toString();
}

/**
 * The entries of the navigation: the pages (Account only while the group
 * shows it), then Log Out or Close. The current page is in brackets.
 */
export function navigationEntries(current: PageName, group: Pick<PageGroup, 'accountDashboard' | 'logoutFunction'>): string[] {
  const entries = PAGE_NAMES.filter((name) => name !== 'account' || group.accountDashboard).map((name) =>
    name === current ? `[${PAGE_LABELS[name]}]` : PAGE_LABELS[name],
  );
  const last = LOGOUT_LABELS[group.logoutFunction];
  if (last !== null) entries.push(last);
  return entries;
}

const NAV_SEPARATOR = ' | ';

/** One line (the longest takes 56 columns); on a narrower page it would break between entries. */
function navigation(w: PageWriter, current: PageName, group: PageGroup): void {
  let line = w.line();
  for (const entry of navigationEntries(current, group)) {
    const entryWidth = displayWidth(entry);
    if (line.width > 0 && line.width + NAV_SEPARATOR.length + entryWidth > w.available) {
      w.write(line);
      line = w.line();
    }
    if (line.width > 0) line.add(NAV_SEPARATOR, 'muted');
    line.add(entry, entry.startsWith('[') ? 'strong' : undefined, entryWidth);
  }
  w.write(line);
}

// Home

function homeBody(w: PageWriter, page: AccountPage): void {
  section(w, PORTAL_TITLES.welcome, () => {
    if (page.group.homeAssetUrl !== null) {
      // One unbreakable phrase: a long address is cut where the width forces it, never after "image:".
      w.paragraph(`[ image: ${clean(page.group.homeAssetUrl)} ]`.replace(/ /g, '\u00a0'), { style: 'muted' });
      w.blank();
    }
    w.paragraph(clean(page.guarantorName), { style: 'strong' });
    w.blank();
    labelledValues(w, [['Amount Due', formatMoney(page.figures.amountDue)], ...balanceRows(page)]);
    w.blank();
    payNowLine(w, page);
    if (page.latestStatement !== null) w.paragraph(VIEW_STATEMENT);
    w.blank();
    w.paragraph(homeNotice(page));
  });
}

/** The one notice of Home: the latest statement when something is due, else that nothing is. */
export function homeNotice(page: Pick<AccountPage, 'figures' | 'latestStatement'>): string {
  const { amountDue } = page.figures;
  if (amountDue <= 0) return NO_AMOUNT_DUE;
  const latest = page.latestStatement;
  // Only new charges can be due without a statement (Include new charges on).
  if (latest === null) return `${formatMoney(amountDue)} is due for new charges; no statement has been sent yet.`;
  return `Your latest statement of ${formatMoney(latest.amountDue)} is due ${formatDate(latest.dueDate)}.`;
}

// Pay and QuickPay

/** An amount the Pay page offers: never more than can be paid online, never anything in collections. */
export interface AmountOption {
  label: string;
  amount: Cents | null;
}

/**
 * The Payment Amount options: Current Balance (when shown), Amount Due and
 * Other Amount; none when nothing is payable online. Every amount is capped
 * at the payable-online figure, and an Amount Due of zero is not offered.
 */
export function amountOptions(page: Pick<AccountPage, 'group' | 'figures'>): AmountOption[] {
  const payable = page.figures.payableOnline;
  if (payable <= 0) return [];
  const options: AmountOption[] = [];
  if (page.group.showCurrentBalance) options.push({ label: 'Current Balance', amount: payable });
  const due = Math.min(page.figures.amountDue, payable);
  if (due > 0) options.push({ label: 'Amount Due', amount: due });
  options.push({ label: 'Other Amount', amount: null });
  return options;
}

/** One panel, as the portal's single payment screen: the amount, then the method. */
function payPanel(w: PageWriter, page: AccountPage): void {
  section(w, PORTAL_TITLES.pay, () => {
    const { figures, group } = page;
    w.paragraph(PAY_HEADINGS.amount, { style: 'heading' });
    const options = amountOptions(page);
    if (options.length === 0) w.paragraph(NOTHING_TO_PAY, { indent: 2 });
    else
      labelledValues(
        w,
        options.map((o) => [`${OPTION} ${o.label}`, o.amount === null ? '' : formatMoney(o.amount)]),
        { indent: 2 },
      );
    if (showsCollectionPanel(group, figures)) {
      w.blank();
      w.paragraph(`${formatMoney(figures.collectionBalance)} is in collections and cannot be paid here. To pay or ask about it, ${howToCall(page)}`, {
        style: 'alert',
      });
    }
    if (options.length === 0) return;
    w.blank();
    w.paragraph(PAY_HEADINGS.method, { style: 'heading' });
    const methods = paymentMethodsOffered(group);
    if (methods.length === 0) {
      w.paragraph(`${NO_PAYMENT_METHOD} To pay, ${howToCall(page)}`, { indent: 2 });
      return;
    }
    for (const method of methods) {
      w.paragraph(`${OPTION} ${METHOD_LABELS[method]}`, { indent: 2 });
      if (method !== 'creditCard') continue;
      if (group.storePaymentMethods) w.paragraph(STORE_CARD, { indent: 6 });
      if (group.requireCvv) w.paragraph(CVV_REQUIRED, { indent: 6 });
    }
    if (group.emailReceipts) {
      w.blank();
      w.paragraph(EMAIL_RECEIPT);
    }
  });
}

// Statements

function statementsPage(w: PageWriter, page: AccountPage): void {
  section(w, PORTAL_TITLES.statements, () => statementsBody(w, page));
  const latest = page.latestStatement;
  if (latest === null) return;
  section(w, PORTAL_TITLES.currentStatement, () =>
    fieldRows(w, [
      ['Statement Balance', formatMoney(latest.amountDue)],
      ['Account Number', clean(page.accountNumber)],
      ['Date Due', formatDate(latest.dueDate)],
      ['Guarantor', clean(page.guarantorName)],
    ]),
  );
}

/** Label/value rows, values left-aligned in one column; a long value wraps under itself. */
function fieldRows(w: PageWriter, rows: readonly [string, string][]): void {
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(label))) + 3;
  for (const [label, value] of rows) {
    wrapToWidth(value, Math.max(1, w.available - labelWidth)).forEach((part, index) => {
      const line = w.line();
      if (index === 0) line.add(label, 'muted').add(padding(label, labelWidth));
      else line.spaces(labelWidth);
      w.write(line.add(part));
    });
  }
}

// Receipts

const RECEIPT_HEAD = ['Payment Date', 'Status', 'Paid With', 'Amount'];

/** A receipt's cells: a declined payment is Unsuccessful and paid $0.00. */
export function receiptCells(receipt: ReceiptEntry): string[] {
  const declined = receipt.status === 'declined';
  return [formatDate(receipt.date), declined ? 'Unsuccessful' : 'Paid', PAID_WITH[receipt.method] ?? 'Other', formatMoney(declined ? 0 : receipt.amount)];
}

function receiptsPage(w: PageWriter, page: AccountPage): void {
  section(w, PORTAL_TITLES.receipts, () => {
    if (page.receipts.length === 0) {
      w.paragraph(NO_RECEIPTS);
      return;
    }
    const rows = page.receipts.map(receiptCells);
    const layout = measureColumns([RECEIPT_HEAD, ...rows], ['left', 'left', 'left', 'right'], 3);
    w.columnRow(layout, RECEIPT_HEAD, { style: 'muted' });
    for (const cells of rows) w.columnRow(layout, cells);
  });
}
