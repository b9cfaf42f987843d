// The shared writers for --json, --csv and tables, so that no command invents
// its own. Every text cell from the store is sanitized here.
import type { IO } from '../base/io.js';
import { lazyModule } from '../base/lazy.js';
import { sanitize } from '../base/sanitize.js';
import { fitTable } from './table-fit.js';
import { guardCsvCell } from '../base/csv-cell.js';

// The CSV and table libraries are loaded on first use, so a `--json` run does
// not pay for them (docs/performance.md start-up budget).
const csvLibrary = lazyModule<typeof import('csv-stringify/sync')>('csv-stringify/sync');
const csvStringify = (): typeof import('csv-stringify/sync').stringify => csvLibrary().stringify;
const TableClass = lazyModule<typeof import('cli-table3')>('cli-table3');

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (U+009B is a
// CSI to some terminals) and bidirectional overrides raw; escaping them too is
// still JSON, and JSON.parse gives back the same text.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One string as a JSON string literal, terminal-safe as jsonText makes it. */
export function jsonString(text: string): string {
  const literal = JSON.stringify(text);
  JSON_UNSAFE.lastIndex = 0;
  return JSON_UNSAFE.test(literal) ? literal.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : literal;
}

/** JSON.stringify(value, null, indent), with every character a terminal could act on escaped as \uXXXX. */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One JSON document, 2-space indented, terminal-safe (see jsonText). */
export function writeJson(io: IO, value: unknown): void {
  io.out(`${jsonText(value)}\n`);
}

export type Cell = string | number | boolean | null | undefined;

function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  return sanitize(String(value));
}

export interface CsvOptions {
  /** false: the records only (a streamed batch after the first). */
  header?: boolean;
  /**
   * Indexes of the money and number columns: written as they are. Every other
   * text cell is guarded against formula injection (guardCsvCell); number and
   * boolean values never need it.
   */
  plainColumns?: readonly number[];
}

/** CSV with a header row and RFC 4180 quoting; cells sanitized, text cells guarded against formulas. */
export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[], options: CsvOptions = {}): string {
  const plain = new Set(options.plainColumns ?? []);
  const records = rows.map((row) => row.map((value, i) => (typeof value === 'string' && !plain.has(i) ? guardCsvCell(cellText(value)) : cellText(value))));
  return csvStringify()(options.header === false ? records : [header as string[], ...records], { record_delimiter: 'unix' });
}

export function writeCsv(io: IO, header: readonly string[], rows: readonly (readonly Cell[])[], options: Omit<CsvOptions, 'header'> = {}): void {
  io.out(csvText(header, rows, options));
}

export interface TableOptions {
  /** Column indexes to right-align (money, counts); they are never cut. */
  alignRight?: readonly number[];
  /** Left-aligned columns that are never cut either (account numbers, dates, words like on/off). */
  keep?: readonly number[];
  /** Columns whose cells wrap at spaces rather than being cut (a no-break space holds two words together). */
  wrap?: readonly number[];
}

/**
 * A table for people: borders on a TTY, color only when allowed. On a
 * terminal it fits the width (render/table-fit.ts); piped, it is never cut.
 */
export function tableText(io: IO, head: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const right = new Set(options.alignRight ?? []);
  const texts = rows.map((row) => row.map(cellText));
  const rules = { keep: new Set([...right, ...(options.keep ?? [])]), wrap: new Set(options.wrap ?? []) };
  const fitted = fitTable(head, texts, io.stdoutIsTTY && io.columns !== undefined ? io.columns : Infinity, rules);
  if (fitted.kind === 'records') return fitted.text;
  const Table = TableClass();
  const table = new Table({
    head: fitted.head,
    style: { head: io.color ? ['bold'] : [], border: io.color ? ['grey'] : [], compact: true },
    colAligns: head.map((_, i) => (right.has(i) ? 'right' : 'left')),
    ...(fitted.widths ? { colWidths: fitted.widths.map((width) => width + 2) } : {}),
  });
  for (const row of fitted.rows) table.push(row);
  return `${table.toString()}\n`;
}

export function writeTable(io: IO, head: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): void {
  io.out(tableText(io, head, rows, options));
}
