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
import { displayWidth, padding, spaces } from '../base/text-width.js';

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
  // Each text measured once: the widest label and value set the columns.
  const labelWidths: number[] = [];
  const valueWidths: number[] = [];
  let labelWidth = -Infinity;
  let valueWidth = -Infinity;
  for (const [label, value] of rows) {
    const lw = displayWidth(label);
    const vw = displayWidth(value);
    labelWidths.push(lw);
    valueWidths.push(vw);
    if (lw > labelWidth) labelWidth = lw;
    if (vw > valueWidth) valueWidth = vw;
  }
  for (let i = 0; i < rows.length; i += 1) {
    const [label, value] = rows[i];
    const gap = spaces(labelWidth + 3 - labelWidths[i]) + spaces(valueWidth - valueWidths[i]);
    w.write(
      w
        .line()
        .spaces(options.indent ?? 0)
        .add(label, undefined, labelWidths[i])
        .add(gap, undefined, gap.length)
        .add(value, options.valueStyle, valueWidths[i]),
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
    const line = w.line().add(PAY_NOW, 'payNow', PAY_NOW.length);
    if (page.group.showCurrentBalance) {
      const online = `  ${formatMoney(figures.payableOnline)} can be paid online.`;
      line.add(online, undefined, online.length); // ASCII: as wide as it is long
    }
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

// The seven columns of a visit line, with their one-line and two-line headers
// (`visitCells` gives a line's cells in this order).
const VISIT_COLUMNS: { label: string; stacked: [string, string]; align: Align }[] = [
  { label: 'Service Date', stacked: ['Service', 'Date'], align: 'left' },
  { label: 'Service ID', stacked: ['Service', 'ID'], align: 'left' },
  { label: 'Billed', stacked: ['', 'Billed'], align: 'right' },
  { label: 'Adjusted', stacked: ['', 'Adjusted'], align: 'right' },
  { label: 'Insurance Paid', stacked: ['Insurance', 'Paid'], align: 'right' },
  { label: 'Patient Paid', stacked: ['Patient', 'Paid'], align: 'right' },
  { label: 'Remaining', stacked: ['', 'Remaining'], align: 'right' },
];

const ROW_INDENT = 4;

type VisitLayout =
  { kind: 'table'; columns: ColumnLayout; headerRows: HeaderRow[] } | { kind: 'cards'; labelWidth: number; valueWidth: number; perRow: number };

/** A row of column headings, with the widths of its cells. */
interface HeaderRow {
  cells: string[];
  options: { indent: number; style: 'muted'; widths: number[] };
}

const VISIT_ALIGNS = VISIT_COLUMNS.map((c) => c.align);

// The table layouts tried in turn: one-line headers, two-line headers, two-line headers with narrower gaps.
const TABLE_CANDIDATES = [
  { headerRows: [VISIT_COLUMNS.map((c) => c.label)], gap: 2 },
  { headerRows: [VISIT_COLUMNS.map((c) => c.stacked[0]), VISIT_COLUMNS.map((c) => c.stacked[1])], gap: 2 },
  { headerRows: [VISIT_COLUMNS.map((c) => c.stacked[0]), VISIT_COLUMNS.map((c) => c.stacked[1])], gap: 1 },
].map(({ headerRows, gap }) => ({
  headerRows: headerRows.map((cells): HeaderRow => ({ cells, options: { indent: ROW_INDENT, style: 'muted', widths: cells.map(displayWidth) } })),
  gap,
  headerWidths: measureColumns(headerRows, VISIT_ALIGNS, gap).widths,
}));

const CARD_LABEL_WIDTH = Math.max(...VISIT_COLUMNS.map((c) => displayWidth(c.label)));

/**
 * The widest layout that fits: a table with one-line headers, then with
 * two-line headers, then with narrower gaps; failing all, each visit line as
 * a small card of label/value pairs (what 60 columns usually gets).
 * `contentWidths` holds each column's widest cell.
 */
function chooseVisitLayout(contentWidths: readonly number[], available: number): VisitLayout {
  for (const { headerRows, gap, headerWidths } of TABLE_CANDIDATES) {
    const widths: number[] = [];
    for (let i = 0; i < headerWidths.length; i += 1) widths.push(Math.max(headerWidths[i], contentWidths[i]));
    const columns: ColumnLayout = { widths, aligns: VISIT_ALIGNS, gap };
    if (columnsWidth(columns) <= available) return { kind: 'table', columns, headerRows };
  }
  const valueWidth = Math.max(...contentWidths);
  const pairWidth = CARD_LABEL_WIDTH + 1 + valueWidth;
  return { kind: 'cards', labelWidth: CARD_LABEL_WIDTH, valueWidth, perRow: 2 * pairWidth + 2 <= available ? 2 : 1 };
}

/**
 * The cells of a visit line, in the order of VISIT_COLUMNS, and their widths
 * (amounts are ASCII: as wide as they are long). Each column's widest cell
 * so far is kept in `contentWidths`. The lines of one encounter share a date,
 * formatted once.
 */
function visitCells(line: VisitLine, previous: VisitCells | undefined, contentWidths: number[]): VisitCells {
  const sameDate = previous !== undefined && previous.serviceDate === line.serviceDate;
  const date = sameDate ? previous.texts[0] : formatDate(line.serviceDate);
  const texts = [
    date,
    line.serviceId,
    formatMoney(line.billed),
    formatMoney(line.adjusted),
    formatMoney(line.insurancePaid),
    formatMoney(line.patientPaid),
    formatMoney(line.remaining),
  ];
  const widths = [
    sameDate ? previous.widths[0] : displayWidth(date),
    displayWidth(texts[1]),
    texts[2].length,
    texts[3].length,
    texts[4].length,
    texts[5].length,
    texts[6].length,
  ];
  for (let i = 0; i < widths.length; i += 1) if (widths[i] > contentWidths[i]) contentWidths[i] = widths[i];
  return { serviceDate: line.serviceDate, texts, widths };
}

function visitsBody(w: PageWriter, page: AccountPage): void {
  if (page.visits.length === 0) {
    w.paragraph(NO_VISITS);
    return;
  }
  // The cells of every visit line, in page order, formatted and measured once: the layout is measured over all of them.
  const cells: VisitCells[] = [];
  const contentWidths: number[] = [];
  for (let i = 0; i < VISIT_COLUMNS.length; i += 1) contentWidths.push(0);
  for (const facility of page.visits) {
    for (const provider of facility.providers) {
      for (const patient of provider.patients) {
        for (const line of patient.lines) cells.push(visitCells(line, cells[cells.length - 1], contentWidths));
      }
    }
  }
  const layout = chooseVisitLayout(contentWidths, w.available - ROW_INDENT);
  let next = 0;
  for (let fi = 0; fi < page.visits.length; fi += 1) {
    const facility = page.visits[fi];
    if (fi > 0) w.blank();
    w.paragraph(clean(facility.facilityName), HEADING);
    for (const provider of facility.providers) {
      w.paragraph(clean(provider.providerName), PROVIDER);
      for (const patient of provider.patients) {
        w.paragraph(`Patient: ${clean(patient.patientName)}`, PATIENT);
        visitRows(w, cells, next, next + patient.lines.length, layout);
        next += patient.lines.length;
      }
    }
  }
}

const HEADING = { style: 'heading' } as const;
const PROVIDER = { indent: 2, style: 'strong' } as const;
const PATIENT = { indent: 4 } as const;

interface VisitCells {
  serviceDate: string;
  texts: string[];
  widths: number[];
}

/** Visit lines `rows[from]` up to (not including) `rows[to]`, in the layout. */
function visitRows(w: PageWriter, rows: readonly VisitCells[], from: number, to: number, layout: VisitLayout): void {
  if (layout.kind === 'table') {
    for (const { cells, options } of layout.headerRows) w.columnRow(layout.columns, cells, options);
    for (let r = from; r < to; r += 1) w.columnRow(layout.columns, rows[r].texts, { indent: ROW_INDENT, widths: rows[r].widths });
    return;
  }
  for (let r = from; r < to; r += 1) {
    const { texts: cells, widths } = rows[r];
    if (r > from) w.blank();
    for (let first = 0; first < VISIT_COLUMNS.length; first += layout.perRow) {
      const line = w.line().spaces(ROW_INDENT);
      for (let i = first; i < Math.min(first + layout.perRow, VISIT_COLUMNS.length); i += 1) {
        const { label } = VISIT_COLUMNS[i];
        if (i > first) line.add('  ');
        const gap = padding(label, layout.labelWidth) + ' ' + spaces(layout.valueWidth - widths[i]);
        line.add(label, 'muted').add(gap, undefined, gap.length).add(cells[i], undefined, widths[i]);
      }
      w.write(line);
    }
  }
}

const STATEMENT_HEAD = ['Statement Date', 'Due Date', 'Amount Due'];
const STATEMENT_ALIGNS: Align[] = ['left', 'left', 'right'];
const STATEMENT_HEAD_WIDTHS = STATEMENT_HEAD.map(displayWidth);
const MUTED_HEAD = { style: 'muted', widths: STATEMENT_HEAD_WIDTHS } as const;

export function statementsBody(w: PageWriter, page: AccountPage): void {
  if (page.statements.length === 0) {
    w.paragraph('No statements yet.');
    return;
  }
  // Each cell measured once (amounts are ASCII); the columns are as wide as the widest cell, headings included.
  const widths = [...STATEMENT_HEAD_WIDTHS];
  const rows: { cells: string[]; widths: number[] }[] = [];
  for (const s of page.statements) {
    const cells = [formatDate(s.date), formatDate(s.dueDate), formatMoney(s.amountDue)];
    const cellWidths = [displayWidth(cells[0]), displayWidth(cells[1]), cells[2].length];
    for (let i = 0; i < 3; i += 1) if (cellWidths[i] > widths[i]) widths[i] = cellWidths[i];
    rows.push({ cells, widths: cellWidths });
  }
  const layout: ColumnLayout = { widths, aligns: STATEMENT_ALIGNS, gap: 3 };
  w.columnRow(layout, STATEMENT_HEAD, MUTED_HEAD);
  for (const row of rows) w.columnRow(layout, row.cells, { widths: row.widths });
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
