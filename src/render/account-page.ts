// The Account page preview of SPEC §8 as text. Pure: the same page and options
// always give the same bytes (no clock, no terminal sniffing). Every text that
// came from the store is sanitized here, the one place it reaches the page.
import { showsCollectionPanel, showsPayNow, type AccountPage, type VisitLine } from '../domain/account-page.js';
import { formatDate } from '../domain/dates.js';
import { formatMoney } from '../domain/money.js';
import { formatPhone } from '../domain/phone-format.js';
import { columnRow, columnsWidth, measureColumns, panel, paragraph, PANEL_FRAME, type Align, type ColumnLayout } from './panel.js';
import { linesToText, painter, type Line } from './page-style.js';
import { sanitize } from './sanitize.js';
import { displayWidth, padding } from './text-width.js';

export const MIN_WIDTH = 60;
export const MAX_WIDTH = 200;

export interface RenderOptions {
  /** Total columns, 60–200. */
  width: number;
  /** Paint ANSI colors (only when the caller's stdout allows it). */
  color: boolean;
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
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.trunc(options.width)));
  const inner = width - PANEL_FRAME;
  const blocks: Line[][] = [header(page, width)];
  if (!page.group.accountDashboard) {
    blocks.push(paragraph(DASHBOARD_OFF, width));
  } else {
    blocks.push(panel(PANEL_TITLES.summary, summaryBody(page, inner), width));
    if (showsCollectionPanel(page.group, page.figures)) blocks.push(panel(PANEL_TITLES.collection, collectionBody(page, inner), width));
    blocks.push(panel(PANEL_TITLES.visits, visitsBody(page, inner), width));
    blocks.push(panel(PANEL_TITLES.statements, statementsBody(page, inner), width));
    const foot = footer(page, width);
    if (foot.length > 0) blocks.push(foot);
  }
  const lines = blocks.flatMap((block, i) => (i === 0 ? block : [[], ...block]));
  return linesToText(lines, painter(options.color));
}

const PLAIN_TEXT = /^[\x20-\x7e]*$/;

/** Store text made safe for a terminal, on one line. */
function clean(text: string): string {
  // Printable ASCII has nothing to neutralize; skipping sanitize for it keeps snapshots of many pages fast.
  return PLAIN_TEXT.test(text) ? text : sanitize(text);
}

function header(page: AccountPage, width: number): Line[] {
  const inner = width - PANEL_FRAME;
  const body = [
    ...paragraph(clean(page.group.name), inner, { style: 'heading' }),
    ...paragraph(`Account ${clean(page.accountNumber)}`, inner),
    ...paragraph(clean(page.guarantorName), inner),
  ];
  return panel(null, body, width, { heavy: true });
}

/** Label/value rows, values right-aligned in one column. */
function labelledValues(rows: readonly [string, string][], options: { valueStyle?: 'strong' | 'alert' } = {}): Line[] {
  const labelWidth = Math.max(...rows.map(([label]) => displayWidth(label)));
  const valueWidth = Math.max(...rows.map(([, value]) => displayWidth(value)));
  return rows.map(([label, value]) => [
    { text: label },
    { text: padding(label, labelWidth + 3) + padding(value, valueWidth) },
    { text: value, style: options.valueStyle },
  ]);
}

function summaryBody(page: AccountPage, inner: number): Line[] {
  const { figures } = page;
  const body = labelledValues([
    ['Amount Due', formatMoney(figures.amountDue)],
    ['Last Statement', figures.lastStatement === null ? '—' : formatMoney(figures.lastStatement)],
    ['Current Balance', formatMoney(figures.currentBalance)],
    ['Unapplied Funds', formatMoney(figures.unappliedFunds)],
  ]);
  body.push([]);
  if (showsPayNow(page.group, figures)) {
    body.push([{ text: PAY_NOW, style: 'payNow' }, { text: `  ${formatMoney(figures.payableOnline)} can be paid online.` }]);
  } else if (figures.payableOnline > 0) {
    body.push(...paragraph('Nothing to pay online: this group accepts no online payment method.', inner));
  } else {
    body.push(...paragraph('Nothing to pay online.', inner));
  }
  return body;
}

function collectionBody(page: AccountPage, inner: number): Line[] {
  const body = labelledValues([['Amount in Collections', formatMoney(page.figures.collectionBalance)]], { valueStyle: 'alert' });
  const agencies = page.collectionAgencies.map(clean);
  if (agencies.length > 0) body.push(...paragraph(`${agencies.length === 1 ? 'Agency' : 'Agencies'}: ${agencies.join(', ')}`, inner));
  body.push([]);
  const phone = page.group.footerPhone === null ? null : clean(formatPhone(page.group.footerPhone));
  // No-break spaces keep "call (312) 555-0142" on one line.
  const howToPay = phone === null ? 'contact the office.' : `call ${phone}.`.replace(/ /g, '\u00a0');
  body.push(...paragraph(`Collection balances cannot be paid through the portal. To pay or ask about this balance, ${howToPay}`, inner));
  return body;
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

type VisitLayout =
  | { kind: 'table'; columns: ColumnLayout; headerRows: string[][] }
  | { kind: 'cards'; labelWidth: number; valueWidth: number; perRow: number };

/**
 * The widest layout that fits: a table with one-line headers, then with
 * two-line headers, then with narrower gaps; failing all, each visit line as
 * a small card of label/value pairs (what 60 columns usually gets).
 */
function chooseVisitLayout(cells: string[][], available: number): VisitLayout {
  const aligns = VISIT_COLUMNS.map((c) => c.align);
  // Each column's widest cell, measured once for all the candidate layouts.
  const contentWidths = VISIT_COLUMNS.map((_, i) => Math.max(0, ...cells.map((row) => displayWidth(row[i]))));
  const candidates: { headerRows: string[][]; gap: number }[] = [
    { headerRows: [VISIT_COLUMNS.map((c) => c.label)], gap: 2 },
    { headerRows: [VISIT_COLUMNS.map((c) => c.stacked[0]), VISIT_COLUMNS.map((c) => c.stacked[1])], gap: 2 },
    { headerRows: [VISIT_COLUMNS.map((c) => c.stacked[0]), VISIT_COLUMNS.map((c) => c.stacked[1])], gap: 1 },
  ];
  for (const { headerRows, gap } of candidates) {
    const headerWidths = measureColumns(headerRows, aligns, gap).widths;
    const columns: ColumnLayout = { widths: headerWidths.map((w, i) => Math.max(w, contentWidths[i])), aligns, gap };
    if (columnsWidth(columns) <= available) return { kind: 'table', columns, headerRows };
  }
  const labelWidth = Math.max(...VISIT_COLUMNS.map((c) => displayWidth(c.label)));
  const valueWidth = Math.max(...contentWidths);
  const pairWidth = labelWidth + 1 + valueWidth;
  return { kind: 'cards', labelWidth, valueWidth, perRow: 2 * pairWidth + 2 <= available ? 2 : 1 };
}

function visitsBody(page: AccountPage, inner: number): Line[] {
  if (page.visits.length === 0) return paragraph(NO_VISITS, inner);
  // The cells of every visit line, formatted once: the layout is measured over all of them.
  const cells = new Map<VisitLine, string[]>();
  for (const facility of page.visits) {
    for (const provider of facility.providers) {
      for (const patient of provider.patients) for (const line of patient.lines) cells.set(line, VISIT_COLUMNS.map((c) => c.cell(line)));
    }
  }
  const layout = chooseVisitLayout([...cells.values()], inner - ROW_INDENT);
  const body: Line[] = [];
  page.visits.forEach((facility, fi) => {
    if (fi > 0) body.push([]);
    body.push(...paragraph(clean(facility.facilityName), inner, { style: 'heading' }));
    for (const provider of facility.providers) {
      body.push(...paragraph(clean(provider.providerName), inner, { indent: 2, style: 'strong' }));
      for (const patient of provider.patients) {
        body.push(...paragraph(`Patient: ${clean(patient.patientName)}`, inner, { indent: 4 }));
        body.push(...visitRows(patient.lines.map((line) => cells.get(line)!), layout));
      }
    }
  });
  return body;
}

function visitRows(rows: string[][], layout: VisitLayout): Line[] {
  if (layout.kind === 'table') {
    return [
      ...layout.headerRows.map((cells) => columnRow(layout.columns, cells, { indent: ROW_INDENT, style: 'muted' })),
      ...rows.map((cells) => columnRow(layout.columns, cells, { indent: ROW_INDENT })),
    ];
  }
  const lines: Line[] = [];
  rows.forEach((cells, index) => {
    if (index > 0) lines.push([]);
    const pairs = VISIT_COLUMNS.map((column, i): Line => [
      { text: column.label, style: 'muted' },
      { text: padding(column.label, layout.labelWidth) + ' ' + padding(cells[i], layout.valueWidth) },
      { text: cells[i] },
    ]);
    for (let i = 0; i < pairs.length; i += layout.perRow) {
      const line: Line = [{ text: ' '.repeat(ROW_INDENT) }];
      pairs.slice(i, i + layout.perRow).forEach((pair, j) => {
        if (j > 0) line.push({ text: '  ' });
        line.push(...pair);
      });
      lines.push(line);
    }
  });
  return lines;
}

function statementsBody(page: AccountPage, inner: number): Line[] {
  if (page.statements.length === 0) return paragraph('No statements yet.', inner);
  const head = ['Statement Date', 'Due Date', 'Amount Due'];
  const rows = page.statements.map((s) => [formatDate(s.date), formatDate(s.dueDate), formatMoney(s.amountDue)]);
  const layout = measureColumns([head, ...rows], ['left', 'left', 'right'], 3);
  return [columnRow(layout, head, { style: 'muted' }), ...rows.map((cells) => columnRow(layout, cells))];
}

function footer(page: AccountPage, width: number): Line[] {
  const { footerPhone, footerEmail, footerText } = page.group;
  const body: Line[] = [];
  if (footerPhone !== null) body.push(...paragraph(`Phone: ${clean(formatPhone(footerPhone))}`, width));
  if (footerEmail !== null) body.push(...paragraph(`Email: ${clean(footerEmail)}`, width));
  if (footerText !== null) {
    for (const textLine of sanitize(footerText, { allowNewline: true }).split('\n')) {
      body.push(...(textLine.trim() === '' ? [[]] : paragraph(textLine, width)));
    }
  }
  if (body.length === 0) return [];
  return [[{ text: '─'.repeat(width), style: 'border' }], ...body];
}
