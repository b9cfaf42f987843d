// Display of stored (already validated, E.164) numbers. Plain string work, so
// screens that show a number do not load the phone metadata.

const STORED = /^\+1(\d{3})(\d{3})(\d{4})(?:;ext=(\d+))?$/;

/** `+13125550142;ext=12` → `(312) 555-0142 ext. 12`. */
export function formatPhone(e164: string): string {
  const match = STORED.exec(e164);
  if (!match) return e164;
  const [, area, exchange, line, ext] = match;
  return `(${area}) ${exchange}-${line}${ext ? ` ext. ${ext}` : ''}`;
}
