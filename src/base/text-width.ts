// Display width of text in terminal columns, and wrapping/truncating to a
// width. Conservative on purpose: when unsure a character counts as wide, so a
// line may end a column early but never spills past the width.

// Combining marks, variation selectors, zero-width joiners and other default-ignorable code points take no column.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}]$/u;
// Emoji shown as pictures are two columns wide in every terminal that draws them.
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;

// Widths of the Basic Multilingual Plane, worked out once per code point (-1: not yet known).
const BMP_WIDTHS = new Int8Array(0x10000).fill(-1);

/** Columns one code point occupies: 0, 1 or 2. */
export function codePointWidth(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x300) return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) ? 1 : 0;
  if (cp < 0x10000) {
    const known = BMP_WIDTHS[cp];
    if (known >= 0) return known;
    return (BMP_WIDTHS[cp] = measureCodePoint(char, cp));
  }
  return measureCodePoint(char, cp);
}

function measureCodePoint(char: string, cp: number): number {
  if (ZERO_WIDTH.test(char)) return 0;
  if (isEastAsianWide(cp) || EMOJI_PRESENTATION.test(char)) return 2;
  return 1;
}

/** East Asian Wide and Fullwidth blocks (Unicode UAX #11), plus the emoji planes. */
function isEastAsianWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo initials
    (cp >= 0x2e80 && cp <= 0x303e) || // CJK radicals, punctuation
    (cp >= 0x3041 && cp <= 0x33ff) || // kana, CJK compatibility
    (cp >= 0x3400 && cp <= 0x4dbf) || // CJK extension A
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified ideographs
    (cp >= 0xa000 && cp <= 0xa4cf) || // Yi
    (cp >= 0xa960 && cp <= 0xa97f) || // Hangul Jamo extended A
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe10 && cp <= 0xfe19) || // vertical forms
    (cp >= 0xfe30 && cp <= 0xfe6f) || // CJK compatibility forms, small forms
    (cp >= 0xff00 && cp <= 0xff60) || // fullwidth forms
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x16fe0 && cp <= 0x18aff) || // Tangut and friends
    (cp >= 0x1b000 && cp <= 0x1b2ff) || // kana supplements
    (cp >= 0x1f000 && cp <= 0x1faff) || // emoji and pictographs
    (cp >= 0x20000 && cp <= 0x3fffd) // CJK extensions B and beyond
  );
}

// Printable ASCII, one column a character: most text on a page.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns the text occupies (no newlines, no escape sequences: sanitize first). */
export function displayWidth(text: string): number {
  // Most texts are printable ASCII, which one regular-expression test answers
  // (faster than a loop in JavaScript). Others go code unit by code unit, not
  // with an iterator: box-drawing characters and the like are answered from a
  // table without building strings.
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit <= 0x7e) {
      width += 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i)!;
      width += measureCodePoint(String.fromCodePoint(cp), cp);
      i += 1;
    } else {
      const known = BMP_WIDTHS[unit];
      width += known >= 0 ? known : codePointWidth(text[i]);
    }
  }
  return width;
}

/** Cut the text to at most `width` columns, ending with `…` when something was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}

// Printable ASCII words with one space between them (the usual paragraph):
// as wide as it is long, and kept whole when it fits.
const ONE_LINE_ASCII = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;

/**
 * Word-wrap one paragraph to lines of at most `width` columns. Breaks at
 * spaces (runs of spaces collapse); a word longer than the width is broken
 * wherever it must be. No-break spaces (U+00A0) hold phrases together and
 * come out as ordinary spaces. When `widths` is given, each line's width in
 * columns is pushed onto it.
 */
export function wrapToWidth(text: string, width: number, widths?: number[]): string[] {
  if (ONE_LINE_ASCII.test(text)) {
    if (text.length <= width) {
      widths?.push(text.length);
      return [text];
    }
  } else if (text !== '' && !/^ | {2}| $|\u00a0/.test(text)) {
    const textWidth = displayWidth(text);
    if (textWidth <= width) {
      widths?.push(textWidth);
      return [text];
    }
  }
  const words = text.split(/ +/).filter((word) => word !== '');
  const lines: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of words) {
    let rest = word;
    let restWidth = displayWidth(rest);
    if (current !== '' && currentWidth + 1 + restWidth <= width) {
      current += ` ${rest}`;
      currentWidth += 1 + restWidth;
      continue;
    }
    if (current !== '') lines.push(current);
    while (restWidth > width) {
      const [head, tail] = splitAtWidth(rest, width);
      lines.push(head);
      rest = tail;
      restWidth = displayWidth(rest);
    }
    current = rest;
    currentWidth = restWidth;
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  const out: string[] = [];
  for (const line of lines) out.push(line.replace(/\u00a0/g, ' '));
  if (widths) for (const line of out) widths.push(displayWidth(line));
  return out;
}

/** The longest prefix that fits in `width` columns (at least one code point), and the rest. */
function splitAtWidth(text: string, width: number): [string, string] {
  let head = '';
  let used = 0;
  for (const char of text) {
    const w = codePointWidth(char);
    if (used + w > width && head !== '') break;
    head += char;
    used += w;
  }
  return [head, text.slice(head.length)];
}

// Runs of spaces up to the widest page, made once.
const SPACES = Array.from({ length: 257 }, (_, n) => ' '.repeat(n));

/** `count` spaces (none for zero or less). */
export function spaces(count: number): string {
  return count <= 0 ? '' : count < SPACES.length ? SPACES[count] : ' '.repeat(count);
}

/** Spaces that bring `text` to `width` columns (none if it is already as wide). */
export function padding(text: string, width: number): string {
  return spaces(width - displayWidth(text));
}
