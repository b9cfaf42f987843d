// CSV formula injection (docs/formats.md, "CSV"): a spreadsheet runs a cell
// that begins with =, +, -, @, tab or carriage return as a formula, and names
// from another system can be anything (`=HYPERLINK(…)`). Every CSV writer puts
// a `'` before such a text cell; `groups apply` takes one off again.
//
// Cells that already begin with `'` before one of those characters get one
// more, so that taking one off always gives the original text back (and a
// spreadsheet, which hides one leading `'`, shows the original text).
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A text cell as written to CSV: prefixed with `'` when a spreadsheet would read it as a formula. */
export function guardCsvCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text of a CSV cell read back: one `'` that guardCsvCell put there is taken off. */
export function unguardCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell) ? cell.slice(1) : cell;
}
