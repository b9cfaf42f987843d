// Fitting a table to a terminal's width (docs/design-choices.md, "Hardening
// (v1.1)"). Pure: text in, text out; output.ts draws the result. In order,
// until the table fits:
//   1. headers wider than their column's cells wrap at spaces and hyphens;
//   2. text columns wider than 20 are cut with …, the widest first, to 20;
//   3. cells of wrapping columns (phone numbers, times) wrap at spaces (a
//      no-break space holds words together), the widest column first;
//   4. text columns are cut further, the widest first, to no fewer than 8
//      columns each; money, counts and kept columns are never cut;
//   5. when even that is too wide, each row becomes a block of
//      `Column: value` lines.
import { displayWidth, truncateToWidth, wrapToWidth } from '../base/text-width.js';

export interface ColumnRules {
  /** Never cut (money, counts, ids, account numbers). */
  keep: ReadonlySet<number>;
  /** Cells may wrap at spaces instead of being cut. */
  wrap: ReadonlySet<number>;
}

export type FittedTable =
  /** Draw as a table; `widths` (content columns) are given only when the table had to shrink. */
  { kind: 'table'; head: string[]; rows: string[][]; widths?: number[] } | { kind: 'records'; text: string };

/** Text columns are first cut to this width, before anything wraps. */
export const CUT_COMFORT = 20;
/** A cut column keeps at least this many columns (or its natural width, if smaller). */
export const CUT_MIN = 8;

/** Table chrome: a border and one space of padding on each side of every cell. */
function chrome(columnCount: number): number {
  return 3 * columnCount + 1;
}

export function fitTable(head: readonly string[], rows: readonly (readonly string[])[], columns: number, rules: ColumnRules): FittedTable {
  const count = head.length;
  const cellWidths = head.map((_, i) => rows.reduce((widest, row) => Math.max(widest, displayWidth(row[i] ?? '')), 0));
  const widths = head.map((title, i) => Math.max(displayWidth(title), cellWidths[i]));
  const budget = columns - chrome(count);
  const excess = (): number => widths.reduce((sum, w) => sum + w, 0) - budget;
  const plainHead = [...head];
  const plainRows = rows.map((row) => row.map((cell, i) => (rules.wrap.has(i) ? cell.replace(/\u00a0/g, ' ') : cell)));
  if (excess() <= 0) return { kind: 'table', head: plainHead, rows: plainRows };

  // 1. Headers wrap, the ones that free the most first.
  const headerMin = head.map((title, i) => Math.max(cellWidths[i], longestWord(title)));
  const byHeaderSaving = head.map((_, i) => i).sort((a, b) => widths[b] - headerMin[b] - (widths[a] - headerMin[a]));
  for (const i of byHeaderSaving) {
    if (excess() <= 0) break;
    widths[i] = Math.max(headerMin[i], widths[i] - excess());
  }

  // 2. and 4. Text columns are cut, the widest first, one column at a time.
  const cuttable = head.map((_, i) => i).filter((i) => !rules.keep.has(i) && !rules.wrap.has(i));
  const cutDownTo = (least: number): void => {
    while (excess() > 0) {
      let widest = -1;
      for (const i of cuttable) if (widths[i] > least && (widest < 0 || widths[i] > widths[widest])) widest = i;
      if (widest < 0) return;
      widths[widest] -= 1;
    }
  };
  cutDownTo(CUT_COMFORT);

  // 3. Wrapping columns, the widest first, down to their longest unbreakable run.
  const wrapMin = head.map((_, i) => (rules.wrap.has(i) ? Math.max(longestWord(head[i]), ...rows.map((row) => longestUnit(row[i] ?? ''))) : widths[i]));
  for (const i of [...rules.wrap].sort((a, b) => widths[b] - widths[a])) {
    if (excess() <= 0) break;
    widths[i] = Math.max(wrapMin[i], widths[i] - excess());
  }

  cutDownTo(CUT_MIN);

  if (excess() > 0) return { kind: 'records', text: recordsText(head, rows, columns, rules) };
  return {
    kind: 'table',
    head: head.map((title, i) => wrapHeader(title, widths[i])),
    rows: rows.map((row) => row.map((cell, i) => (rules.wrap.has(i) ? wrapToWidth(cell, widths[i]).join('\n') : truncateToWidth(cell, widths[i])))),
    widths,
  };
}

/** A header in lines of at most `width` columns: broken at spaces and after hyphens, cut only if a word is wider. */
function wrapHeader(title: string, width: number): string {
  if (displayWidth(title) <= width) return title;
  const lines: string[] = [];
  let current = '';
  for (const word of headerWords(title)) {
    const joined = current === '' ? word : current.endsWith('-') ? `${current}${word}` : `${current} ${word}`;
    if (current !== '' && displayWidth(joined) > width) {
      lines.push(current);
      current = word;
    } else {
      current = joined;
    }
  }
  lines.push(current);
  return lines.map((line) => truncateToWidth(line, width)).join('\n');
}

/** `Non-Collection balance` → `Non-`, `Collection`, `balance`. */
function headerWords(title: string): string[] {
  return title.split(' ').flatMap((word) => word.split(/(?<=-)/));
}

function longestWord(title: string): number {
  return Math.max(0, ...headerWords(title).map(displayWidth));
}

/** The widest run a wrapping cell cannot be broken inside (words joined by no-break spaces). */
function longestUnit(cell: string): number {
  return Math.max(0, ...cell.split(/ +/).map(displayWidth));
}

/** Each row as a block of `Column: value` lines, blocks separated by a blank line. */
function recordsText(head: readonly string[], rows: readonly (readonly string[])[], columns: number, rules: ColumnRules): string {
  const labelWidth = Math.max(...head.map(displayWidth)) + 2;
  const valueWidth = Math.max(1, columns - labelWidth);
  const blocks = rows.map((row) =>
    head
      .flatMap((title, i) => {
        const cell = row[i] ?? '';
        const label = `${title}:`.padEnd(labelWidth + title.length - displayWidth(title));
        if (cell === '') return [`${title}:`];
        if (rules.keep.has(i)) return [`${label}${cell}`];
        if (rules.wrap.has(i)) return wrapToWidth(cell, valueWidth).map((line, n) => `${n === 0 ? label : ' '.repeat(labelWidth)}${line}`);
        return [`${label}${truncateToWidth(cell, valueWidth)}`];
      })
      .join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}
