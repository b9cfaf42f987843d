// Comparing texts as SQLite (and PostgreSQL's COLLATE "C") compares them: by
// Unicode code point. JavaScript's < compares UTF-16 code units, which gives
// another order once a text holds a character past U+FFFF.

export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}
