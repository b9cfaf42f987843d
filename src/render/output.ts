// The shared writers for --json, --csv and tables, so that no command invents
// its own. Every text cell from the store is sanitized here.
import type { IO } from '../base/io.js';
import { lazyModule } from '../base/lazy.js';
import { sanitize } from '../base/sanitize.js';

// The CSV and table libraries are loaded on first use, so a `--json` run does
// not pay for them (docs/performance.md start-up budget).
const csvStringify = (): typeof import('csv-stringify/sync').stringify => lazyModule<typeof import('csv-stringify/sync')>('csv-stringify/sync')().stringify;
const TableClass = lazyModule<typeof import('cli-table3')>('cli-table3');

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls (U+009B is a
// CSI to some terminals) and bidirectional overrides raw; escaping them too is
// still JSON, and JSON.parse gives back the same text.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

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

/** CSV with a header row and RFC 4180 quoting; cells sanitized. */
export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[], options: { header?: boolean } = {}): string {
  const records = rows.map((row) => row.map(cellText));
  return csvStringify()(options.header === false ? records : [header as string[], ...records], { record_delimiter: 'unix' });
}

export function writeCsv(io: IO, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  io.out(csvText(header, rows));
}

export interface TableOptions {
  /** Column indexes to right-align (money, counts). */
  alignRight?: readonly number[];
}

/** A table for people: borders on a TTY, color only when allowed. */
export function tableText(io: IO, head: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): string {
  const right = new Set(options.alignRight ?? []);
  const Table = TableClass();
  const table = new Table({
    head: head as string[],
    style: { head: io.color ? ['bold'] : [], border: io.color ? ['grey'] : [], compact: true },
    colAligns: head.map((_, i) => (right.has(i) ? 'right' : 'left')),
  });
  for (const row of rows) table.push(row.map(cellText));
  return `${table.toString()}\n`;
}

export function writeTable(io: IO, head: readonly string[], rows: readonly (readonly Cell[])[], options: TableOptions = {}): void {
  io.out(tableText(io, head, rows, options));
}
