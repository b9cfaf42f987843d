// The Account page preview of docs/commands.md as text. Pure: the same page and options
// always give the same bytes (no clock, no terminal sniffing). Every text that
// came from the store is sanitized here, the one place it reaches the page.
import { showsCollectionPanel, showsPayNow, type AccountPage, type VisitLine } from '../domain/account-page.js';
import { formatDate } from '../domain/dates.js';
import { formatMoney } from '../domain/money.js';
import { formatPhone } from '../domain/phone-format.js';
import { columnsWidth, measureColumns, PageWriter, type Align, type ColumnLayout } from './panel.js';
import { pagePainter } from './page-style.js';
import { sanitize } from '../base/sanitize.js';
import { displayWidth, padding } from '../base/text-width.js';

export const MIN_WIDTH = 60;
export const MAX_WIDTH = 200;

export interface RenderOptions {
  /** Total columns, 60–200. */
  width: number;
  /** Paint ANSI colors (only when the caller's stdout allows it). */
  color: boolean;
  /** What the terminal can show when color is on: 1 = 16 colors, 2 = 256, 3 = 24-bit (default 1). */
  colorLevel?: 1 | 2 | 3;
}

export const PANEL_TITLES = {
  summary: 'Account Summary',
  collection: 'Collection Balance',
  visits: 'Visits Since Last Statement',
  statements: 'Statement History',
} as const;

export const PAY_NOW = '[ Pay Now ]';
export const NO_VISITS = 'No visits since your last statement.';
export const DASHBOARD_OFF = 'The Account page is turned off for this group.';

export function renderAccountPage(page: AccountPage, options: RenderOptions): string {
  const w = pageWriter(page, options);
  header(w, page);
  if (!page.group.accountDashboard) {
    w.blank();
    w.paragraph(DASHBOARD_OFF);
  } else {
    section(w, PANEL_TITLES.summary, () => summaryBody(w, page));
    if (showsCollectionPanel(page.group, page.figures)) section(w, PANEL_TITLES.collection, () => collectionBody(w, page));
    section(w, PANEL_TITLES.visits, () => visitsBody(w, page));
    section(w, PANEL_TITLES.statements, () => statementsBody(w, page));
    footer(w, page);
  }
  return w.toString();
}

/** A page to write on: the width clamped into 60–200, painted in the group's colors when color is on. */
export function pageWriter(page: AccountPage, options: RenderOptions): PageWriter {
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.trunc(options.width)));
  return new PageWriter(width, pagePainter(page.group, options));
}

/** A blank line, then a titled panel around what `body` writes. */
export function section(w: PageWriter, title: string, body: () => void): void {
  w.blank();
  w.openPanel(title);
  body();
  w.closePanel();
}

const PLAIN_TEXT = /^[\x20-\x7e]*$/;

/** Store text made safe for a terminal, on one line. */
export function clean(text: string): string {
  // Printable ASCII has nothing to neutralize; skipping sanitize for it keeps snapshots of many pages fast.
  return PLAIN_TEXT.test(text) ? text : sanitize(text);
}

/** The v1 header: the group name, "Account <number>", the guarantor's name. */
export function header(w: PageWriter, page: AccountPage): void {
  w.openPanel(null, { heavy: true });
  w.paragraph(clean(page.group.name), { style: 'heading' });
  w.paragraph(`Account ${clean(page.accountNumber)}`);
  w.paragraph(clean(page.guarantorName));
  w.closePanel();
}

/** Label/value rows, values right-aligned in one column, each row indented by `indent` spaces. */
export function labelledValues(w: PageWriter, rows: readonly [string, string][], options: { valueStyle?: 'strong' | 'alert'; indent?: number } = {}): void {
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(label)));
  const valueWidth = Math.max(...rows.map(([, value]) => displayWidth(value)));
  for (const [label, value] of rows) {
    w.write(
      w
        .line()
        .spaces(options.indent ?? 0)
        .add(label)
        .add(padding(label, labelWidth + 3) + padding(value, valueWidth))
        .add(value, options.valueStyle),
    );
  }
}

function summaryBody(w: PageWriter, page: AccountPage): void {
  const { figures } = page;
  labelledValues(w, [
    ['Amount Due', formatMoney(figures.amountDue)],
    ['Last Statement', figures.lastStatement === null ? '—' : formatMoney(figures.lastStatement)],
    ...balanceRows(page),
  ]);
  w.blank();
  payNowLine(w, page);
}

/** `Current Balance` and `Unapplied Funds`, each only when the group shows it (docs/portal.md, "Settings"). */
export function balanceRows(page: AccountPage): [string, string][] {
  const rows: [string, string][] = [];
  if (page.group.showCurrentBalance) rows.push(['Current Balance', formatMoney(page.figures.currentBalance)]);
  if (page.group.showEscrow) rows.push(['Unapplied Funds', formatMoney(page.figures.unappliedFunds)]);
  return rows;
}

/**
 * `[ Pay Now ]` with what can be paid online, or why nothing can. The amount
 * is the current balance in other words, so it is left out when the group
 * hides the current balance.
 */
export function payNowLine(w: PageWriter, page: AccountPage): void {
  const { figures } = page;
  if (showsPayNow(page.group, figures)) {
    const line = w.line().add(PAY_NOW, 'payNow');
    if (page.group.showCurrentBalance) line.add(`  ${formatMoney(figures.payableOnline)} can be paid online.`);
    w.write(line);
  } else if (figures.payableOnline > 0) {
    w.paragraph('Nothing to pay online: this group accepts no online payment method.');
  } else {
    w.paragraph('Nothing to pay online.');
  }
}

function collectionBody(w: PageWriter, page: AccountPage): void {
  labelledValues(w, [['Amount in Collections', formatMoney(page.figures.collectionBalance)]], { valueStyle: 'alert' });
  const agencies = page.collectionAgencies.map(clean);
  if (agencies.length > 0) w.paragraph(`${agencies.length === 1 ? 'Agency' : 'Agencies'}: ${agencies.join(', ')}`);
  w.blank();
  w.paragraph(`Collection balances cannot be paid through the portal. To pay or ask about this balance, ${howToCall(page)}`);
}

/** "call <footer number>." held on one line, or "contact the office." when the group has no footer number. */
export function howToCall(page: AccountPage): string {
  const phone = page.group.footerPhone === null ? null : clean(formatPhone(page.group.footerPhone));
  // No-break spaces keep "call (312) 555-0142" on one line.
  return phone === null ? 'contact the office.' : `call ${phone}.`.replace(/ /g, '\u00a0');
}

// The seven columns of a visit line, with their one-line and two-line headers.
const VISIT_COLUMNS: { label: string; stacked: [string, string]; align: Align; cell: (line: VisitLine) => string }[] = [
  { label: 'Service Date', stacked: ['Service', 'Date'], align: 'left', cell: (l) => formatDate(l.serviceDate) },
  { label: 'Service ID', stacked: ['Service', 'ID'], align: 'left', cell: (l) => l.serviceId },
  { label: 'Billed', stacked: ['', 'Billed'], align: 'right', cell: (l) => formatMoney(l.billed) },
  { label: 'Adjusted', stacked: ['', 'Adjusted'], align: 'right', cell: (l) => formatMoney(l.adjusted) },
  { label: 'Insurance Paid', stacked: ['Insurance', 'Paid'], align: 'right', cell: (l) => formatMoney(l.insurancePaid) },
  { label: 'Patient Paid', stacked: ['Patient', 'Paid'], align: 'right', cell: (l) => formatMoney(l.patientPaid) },
  { label: 'Remaining', stacked: ['', 'Remaining'], align: 'right', cell: (l) => formatMoney(l.remaining) },
];

const ROW_INDENT = 4;

type VisitLayout = { kind: 'table'; columns: ColumnLayout; headerRows: string[][] } | { kind: 'cards'; labelWidth: number; valueWidth: number; perRow: number };

const VISIT_ALIGNS = VISIT_COLUMNS.map((c) => c.align);

// The table layouts tried in turn: one-line headers, two-line headers, two-line headers with narrower gaps.
const TABLE_CANDIDATES = [
  { headerRows: [VISIT_COLUMNS.map((c) => c.label)], gap: 2 },
  { headerRows: [VISIT_COLUMNS.map((c) => c.stacked[0]), VISIT_COLUMNS.map((c) => c.stacked[1])], gap: 2 },
  { headerRows: [VISIT_COLUMNS.map((c) => c.stacked[0]), VISIT_COLUMNS.map((c) => c.stacked[1])], gap: 1 },
].map(({ headerRows, gap }) => ({ headerRows, gap, headerWidths: measureColumns(headerRows, VISIT_ALIGNS, gap).widths }));

const CARD_LABEL_WIDTH = Math.max(...VISIT_COLUMNS.map((c) => displayWidth(c.label)));

/**
 * The widest layout that fits: a table with one-line headers, then with
 * two-line headers, then with narrower gaps; failing all, each visit line as
 * a small card of label/value pairs (what 60 columns usually gets).
 */
function chooseVisitLayout(cellWidths: readonly number[][], available: number): VisitLayout {
  // Each column's widest cell, for all the candidate layouts.
  const contentWidths = VISIT_COLUMNS.map(() => 0);
  for (const row of cellWidths) {
    for (let i = 0; i < row.length; i += 1) contentWidths[i] = Math.max(contentWidths[i], row[i]);
  }
  for (const { headerRows, gap, headerWidths } of TABLE_CANDIDATES) {
    const columns: ColumnLayout = { widths: headerWidths.map((w, i) => Math.max(w, contentWidths[i])), aligns: VISIT_ALIGNS, gap };
    if (columnsWidth(columns) <= available) return { kind: 'table', columns, headerRows };
  }
  const valueWidth = Math.max(...contentWidths);
  const pairWidth = CARD_LABEL_WIDTH + 1 + valueWidth;
  return { kind: 'cards', labelWidth: CARD_LABEL_WIDTH, valueWidth, perRow: 2 * pairWidth + 2 <= available ? 2 : 1 };
}

function visitsBody(w: PageWriter, page: AccountPage): void {
  if (page.visits.length === 0) {
    w.paragraph(NO_VISITS);
    return;
  }
  // The cells of every visit line, formatted and measured once: the layout is measured over all of them.
  const cells = new Map<VisitLine, VisitCells>();
  for (const facility of page.visits) {
    for (const provider of facility.providers) {
      for (const patient of provider.patients) {
        for (const line of patient.lines) {
          const texts = VISIT_COLUMNS.map((c) => c.cell(line));
          cells.set(line, { texts, widths: texts.map(displayWidth) });
        }
      }
    }
  }
  const layout = chooseVisitLayout(
    [...cells.values()].map((row) => row.widths),
    w.available - ROW_INDENT,
  );
  page.visits.forEach((facility, fi) => {
    if (fi > 0) w.blank();
    w.paragraph(clean(facility.facilityName), { style: 'heading' });
    for (const provider of facility.providers) {
      w.paragraph(clean(provider.providerName), { indent: 2, style: 'strong' });
      for (const patient of provider.patients) {
        w.paragraph(`Patient: ${clean(patient.patientName)}`, { indent: 4 });
        visitRows(
          w,
          patient.lines.map((line) => cells.get(line)!),
          layout,
        );
      }
    }
  });
}

interface VisitCells {
  texts: string[];
  widths: number[];
}

function visitRows(w: PageWriter, rows: readonly VisitCells[], layout: VisitLayout): void {
  if (layout.kind === 'table') {
    for (const cells of layout.headerRows) w.columnRow(layout.columns, cells, { indent: ROW_INDENT, style: 'muted' });
    for (const { texts, widths } of rows) w.columnRow(layout.columns, texts, { indent: ROW_INDENT, widths });
    return;
  }
  rows.forEach(({ texts: cells }, index) => {
    if (index > 0) w.blank();
    for (let first = 0; first < VISIT_COLUMNS.length; first += layout.perRow) {
      const line = w.line().spaces(ROW_INDENT);
      for (let i = first; i < Math.min(first + layout.perRow, VISIT_COLUMNS.length); i += 1) {
        const { label } = VISIT_COLUMNS[i];
        if (i > first) line.add('  ');
        line
          .add(label, 'muted')
          .add(padding(label, layout.labelWidth) + ' ' + padding(cells[i], layout.valueWidth))
          .add(cells[i]);
      }
      w.write(line);
    }
  });
}

const STATEMENT_HEAD = ['Statement Date', 'Due Date', 'Amount Due'];

export function statementsBody(w: PageWriter, page: AccountPage): void {
  if (page.statements.length === 0) {
    w.paragraph('No statements yet.');
    return;
  }
  const rows = page.statements.map((s) => [formatDate(s.date), formatDate(s.dueDate), formatMoney(s.amountDue)]);
  const layout = measureColumns([STATEMENT_HEAD, ...rows], ['left', 'left', 'right'], 3);
  w.columnRow(layout, STATEMENT_HEAD, { style: 'muted' });
  for (const cells of rows) w.columnRow(layout, cells);
}

/** The group's footer under a rule; nothing at all when the group has none. */
export function footer(w: PageWriter, page: AccountPage): void {
  const { footerPhone, footerEmail, footerText } = page.group;
  if (footerPhone === null && footerEmail === null && footerText === null) return;
  w.blank();
  w.rule();
  if (footerPhone !== null) w.paragraph(`Phone: ${clean(formatPhone(footerPhone))}`);
  if (footerEmail !== null) w.paragraph(`Email: ${clean(footerEmail)}`);
  if (footerText !== null) {
    for (const textLine of sanitize(footerText, { allowNewline: true }).split('\n')) {
      if (textLine.trim() === '') w.blank();
      else w.paragraph(textLine);
    }
  }
}
