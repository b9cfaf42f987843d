// Reading one large JSON document a piece at a time (docs/formats.md, "How
// import reads a dump"). The document is a JSON object whose members are
// mostly long arrays: the reader checks every byte against the JSON grammar
// (and UTF-8) as it arrives, finds where each element of a top-level array
// begins and ends, and hands over that element alone, parsed by JSON.parse.
// Only the element being read (and the unread rest of the current chunk) is
// held, so memory does not grow with the document. Every failure names its
// place: the byte offset, line and column, and the element it is in.

/** Arrays and objects inside each other, at most; no pops document comes near it. */
export const MAX_JSON_DEPTH = 100;

/** The largest element of a top-level array (or other member value) read whole (docs/formats.md). */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** What the reader hands over, in document order (the document must be an object). */
export interface JsonStreamHandler {
  /** A member of the top-level object whose value is not an array. */
  member(key: string, value: unknown): void;
  /** A member of the top-level object whose value is an array: its elements follow, then listEnd. */
  listStart(key: string): void;
  element(key: string, index: number, value: unknown): void;
  listEnd(key: string, count: number): void;
}

/** Malformed input; `message` says what and where (without the input's name). */
export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'encoding' | 'depth' | 'size' | 'empty' | 'shape',
  ) {
    super(message);
  }
}

// Where the grammar is, between tokens.
const VALUE = 0; // a value must come
const VALUE_OR_CLOSE = 1; // after "[": a value or "]"
const KEY_OR_CLOSE = 2; // after "{": a key or "}"
const KEY = 3; // after "," in an object
const COLON = 4;
const COMMA_OR_CLOSE = 5; // after a value in an array or object
const END = 6; // after the document
const START = 7; // before the document

const EXPECTED = [
  'a value',
  'a value or "]"',
  'a field name in double quotes or "}"',
  'a field name in double quotes',
  '":"',
  '"," or the end of the array or object',
  'nothing more after the end of the document',
  'a JSON document',
];

const OBJECT = 1;
const ARRAY = 2;
const MORE = -1; // the token goes on past the bytes at hand

export interface JsonStreamOptions {
  maxDepth?: number;
  maxEntryBytes?: number;
}

export class JsonStreamReader {
  /** The bytes at hand: the start of `store`. */
  private buf: Buffer = Buffer.alloc(0);
  private store: Buffer = Buffer.alloc(0);
  private length = 0;
  /** Absolute offset of buf[0] in the document. */
  private base = 0;
  /** Index in buf of the next token (where scanning starts again). */
  private pos = 0;
  private state = START;
  private depth = 0;
  private readonly kinds: Uint8Array;
  private line = 1;
  private lineStart = 0;
  private sawBom = false;
  private started = false;
  /** The top-level object's member being read. */
  private key: string | undefined;
  /** Its value is an array whose elements are handed over one by one. */
  private inList = false;
  private index = 0;
  /** Absolute offset where the value being gathered began, or -1; its line and column. */
  private entryStart = -1;
  private entryPlace = '';
  private entryDepth = 0;
  private readonly maxDepth: number;
  private readonly maxEntryBytes: number;

  constructor(
    private readonly handler: JsonStreamHandler,
    options: JsonStreamOptions = {},
  ) {
    this.maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
    this.maxEntryBytes = options.maxEntryBytes ?? MAX_ENTRY_BYTES;
    this.kinds = new Uint8Array(this.maxDepth + 2);
  }

  /** Read the next bytes of the document. */
  push(chunk: Uint8Array): void {
    // Keep what is still needed — the value being gathered, or the token that ran over the last
    // chunk — at the start of one growing buffer, and append the chunk: a value that spans many
    // chunks is copied once per chunk, not gathered again each time.
    const keepFrom = this.entryStart >= 0 ? this.entryStart : this.base + this.pos;
    const kept = keepFrom - this.base;
    const keptLength = this.length - kept;
    const needed = keptLength + chunk.length;
    if (needed > this.store.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.store.length * 2));
      this.store.copy(grown, 0, kept, this.length);
      this.store = grown;
    } else if (kept > 0) this.store.copyWithin(0, kept, this.length);
    this.store.set(chunk, keptLength);
    this.length = needed;
    this.buf = this.store.subarray(0, needed);
    this.pos -= kept;
    this.base = keepFrom;
    if (!this.sawBom) {
      this.skipBom();
      if (!this.sawBom) return;
    }
    this.scan(false);
    // What is held now is one value not yet complete (or one token): it must stay below the limit.
    const held = this.entryStart >= 0 ? this.base + this.buf.length - this.entryStart : this.buf.length - this.pos;
    if (held > this.maxEntryBytes) this.tooLarge();
  }

  /** The document has ended. */
  end(): void {
    if (!this.sawBom) this.skipBom(true);
    this.scan(true);
    if (this.state === END) return;
    if (!this.started) throw new JsonStreamError('the document is empty', 'empty');
    throw new JsonStreamError(`the document ends early at ${this.place(this.base + this.buf.length)}`, 'syntax');
  }

  /** A UTF-8 byte order mark at the very start is not part of the document. */
  private skipBom(final = false): void {
    if (this.buf.length < 3 && !final) return;
    this.sawBom = true;
    if (this.base === 0 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.pos = 3;
  }

  private scan(final: boolean): void {
    const buf = this.buf;
    const n = buf.length;
    let i = this.pos;
    while (i < n) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (c === 0x0a) {
          this.line += 1;
          this.lineStart = this.base + i + 1;
        }
        i += 1;
        continue;
      }
      this.pos = i;
      const state = this.state;
      if (state === COMMA_OR_CLOSE) {
        const kind = this.kinds[this.depth];
        if (c === 0x2c) {
          this.state = kind === ARRAY ? VALUE : KEY;
          i += 1;
        } else if ((c === 0x5d && kind === ARRAY) || (c === 0x7d && kind === OBJECT)) {
          i += 1;
          this.close(i);
        } else this.unexpected(i, kind === ARRAY ? '"," or "]"' : '"," or "}"');
        continue;
      }
      if (state === COLON) {
        if (c !== 0x3a) this.unexpected(i);
        this.state = VALUE;
        i += 1;
        continue;
      }
      if (state === KEY || state === KEY_OR_CLOSE) {
        if (c === 0x22) {
          const end = this.stringEnd(i, final);
          if (end === MORE) return;
          if (this.depth === 1) this.key = JSON.parse(buf.toString('utf8', i, end)) as string;
          this.state = COLON;
          i = end;
        } else if (c === 0x7d && state === KEY_OR_CLOSE) {
          i += 1;
          this.close(i);
        } else this.unexpected(i);
        continue;
      }
      if (state === END) this.unexpected(i);
      // A value (VALUE, VALUE_OR_CLOSE or START).
      this.started = true;
      if (c === 0x7b || c === 0x5b) {
        this.open(c === 0x7b ? OBJECT : ARRAY, i);
        i += 1;
        continue;
      }
      if (c === 0x5d && state === VALUE_OR_CLOSE) {
        i += 1;
        this.close(i);
        continue;
      }
      let end: number;
      if (c === 0x22) end = this.stringEnd(i, final);
      else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) end = this.numberEnd(i, final);
      else if (c === 0x74) end = this.literalEnd(i, 'true', final);
      else if (c === 0x66) end = this.literalEnd(i, 'false', final);
      else if (c === 0x6e) end = this.literalEnd(i, 'null', final);
      else return this.unexpected(i);
      if (end === MORE) return;
      this.valueBegins(i, 0);
      this.valueEnds(end);
      i = end;
    }
    this.pos = i;
  }

  /** An array or object opens at `at`. */
  private open(kind: number, at: number): void {
    this.valueBegins(at, kind);
    this.depth += 1;
    if (this.depth > this.maxDepth) {
      throw new JsonStreamError(`nested too deeply at ${this.place(this.base + at)}: more than ${this.maxDepth} levels of arrays and objects`, 'depth');
    }
    this.kinds[this.depth] = kind;
    this.state = kind === ARRAY ? VALUE_OR_CLOSE : KEY_OR_CLOSE;
  }

  /** The innermost array or object closed; `end` is just after it. */
  private close(end: number): void {
    this.depth -= 1;
    if (this.depth === 1 && this.inList) {
      this.inList = false;
      this.handler.listEnd(this.key!, this.index);
      this.state = COMMA_OR_CLOSE;
      return;
    }
    this.valueEnds(end);
  }

  /** A value (of `kind`, 0 for a scalar) begins at `at`, at the current depth. */
  private valueBegins(at: number, kind: number): void {
    const depth = this.depth;
    if (this.entryStart >= 0) return;
    if (depth === 0 && kind === OBJECT) return;
    if (depth === 0) {
      const what = kind === ARRAY ? 'an array' : 'a single value';
      throw new JsonStreamError(`not a pops dump: a dump is a JSON object ({"format": "pops-dump", …}), this is ${what}`, 'shape');
    }
    if (depth === 1 && kind === ARRAY) {
      this.inList = true;
      this.index = 0;
      this.handler.listStart(this.key!);
      return;
    }
    // The whole document (not an object), a member's value, or an element of a member's array.
    this.entryStart = this.base + at;
    this.entryPlace = this.place(this.entryStart, false);
    this.entryDepth = depth;
  }

  /** The value that began at the current depth ends just before `end`. */
  private valueEnds(end: number): void {
    const depth = this.depth;
    this.state = depth === 0 ? END : COMMA_OR_CLOSE;
    if (this.entryStart < 0 || depth !== this.entryDepth) return;
    const text = this.buf.toString('utf8', this.entryStart - this.base, end);
    this.entryStart = -1;
    const value: unknown = JSON.parse(text);
    if (depth === 1) this.handler.member(this.key!, value);
    else this.handler.element(this.key!, (this.index += 1) - 1, value);
  }

  /** Just past the string that starts at `i`, or MORE. */
  private stringEnd(i: number, final: boolean): number {
    const buf = this.buf;
    const n = buf.length;
    let j = i + 1;
    while (j < n) {
      const c = buf[j];
      if (c === 0x22) return j + 1;
      if (c === 0x5c) {
        if (j + 1 >= n) break;
        const e = buf[j + 1];
        if (e === 0x75) {
          if (j + 5 >= n) break;
          for (let k = j + 2; k < j + 6; k += 1) if (!isHex(buf[k])) this.unexpected(k, 'four hexadecimal digits after \\u');
          j += 6;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) j += 2;
        else this.unexpected(j + 1, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)');
      } else if (c < 0x20) this.unexpected(j, 'a character of the string (a control character must be escaped)');
      else if (c < 0x80) j += 1;
      else {
        const length = utf8Length(buf, j, n);
        if (length === MORE) break;
        if (length === 0) throw new JsonStreamError(`not valid UTF-8 text at ${this.place(this.base + j)}`, 'encoding');
        j += length;
      }
    }
    if (final) this.endsInside(j, 'a string');
    return MORE;
  }

  /** Just past the number that starts at `i`, or MORE. */
  private numberEnd(i: number, final: boolean): number {
    const buf = this.buf;
    const n = buf.length;
    let j = i;
    if (buf[j] === 0x2d) j += 1;
    // The integer part: 0, or digits not starting with 0.
    if (j < n && buf[j] === 0x30) j += 1;
    else {
      j = digitsEnd(buf, j, n);
      if (j === n && !final) return MORE;
      if (j === i || (j === i + 1 && buf[i] === 0x2d)) return this.digitExpected(j, n, 'a digit');
    }
    if (j === n) return final ? j : MORE;
    if (buf[j] === 0x2e) {
      const from = (j += 1);
      j = digitsEnd(buf, j, n);
      if (j === n && !final) return MORE;
      if (j === from) return this.digitExpected(j, n, 'a digit after the decimal point');
    }
    if (j === n) return final ? j : MORE;
    if (buf[j] === 0x65 || buf[j] === 0x45) {
      j += 1;
      if (j < n && (buf[j] === 0x2b || buf[j] === 0x2d)) j += 1;
      const from = j;
      j = digitsEnd(buf, j, n);
      if (j === n && !final) return MORE;
      if (j === from) return this.digitExpected(j, n, 'a digit of the exponent');
    }
    return j;
  }

  private digitExpected(j: number, n: number, what: string): never {
    if (j === n) this.endsInside(j, 'a number');
    this.unexpected(j, what);
  }

  private literalEnd(i: number, word: string, final: boolean): number {
    const buf = this.buf;
    for (let k = 1; k < word.length; k += 1) {
      if (i + k >= buf.length) {
        if (final) this.endsInside(i + k, `"${word}"`);
        return MORE;
      }
      if (buf[i + k] !== word.charCodeAt(k)) this.unexpected(i + k, `"${word}"`);
    }
    return i + word.length;
  }

  private unexpected(at: number, expected = EXPECTED[this.state]): never {
    const c = this.buf[at];
    // Bytes no UTF-8 JSON text holds outside a string: the text is in another encoding.
    if (this.base + at < 2 && ((c === 0xff && this.buf[at + 1] === 0xfe) || (c === 0xfe && this.buf[at + 1] === 0xff))) {
      throw new JsonStreamError(`not valid UTF-8 text: it begins with a UTF-16 byte order mark`, 'encoding');
    }
    if (c === 0x00) throw new JsonStreamError(`not valid UTF-8 text at ${this.place(this.base + at)}: a NUL byte (UTF-16 text?)`, 'encoding');
    if (c >= 0x80) {
      const length = utf8Length(this.buf, at, this.buf.length);
      if (length <= 0) throw new JsonStreamError(`not valid UTF-8 text at ${this.place(this.base + at)}`, 'encoding');
      const character = this.buf.toString('utf8', at, at + length);
      throw new JsonStreamError(`malformed JSON at ${this.place(this.base + at)}: expected ${expected}, got ${JSON.stringify(character)}`, 'syntax');
    }
    const got = c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `the byte 0x${c.toString(16).padStart(2, '0')}`;
    throw new JsonStreamError(`malformed JSON at ${this.place(this.base + at)}: expected ${expected}, got ${got}`, 'syntax');
  }

  private endsInside(at: number, what: string): never {
    throw new JsonStreamError(`the document ends early, inside ${what}, at ${this.place(this.base + at)}`, 'syntax');
  }

  private tooLarge(): never {
    const from = this.entryStart >= 0 ? this.entryPlace : this.place(this.base + this.pos, false);
    throw new JsonStreamError(
      `${this.where() ?? 'a value'} (from ${from}) is larger than ${this.maxEntryBytes / 1024 / 1024} MiB, the most one entry of a dump may hold`,
      'size',
    );
  }

  /** "byte 1234 (line 56, column 7), in accounts[12]" */
  private place(offset: number, withWhere = true): string {
    // The column counts bytes; on the current line only (a line before it is gone).
    const column = offset >= this.lineStart ? `, column ${offset - this.lineStart + 1}` : '';
    const where = withWhere ? this.where() : undefined;
    return `byte ${offset} (line ${this.line}${column})${where === undefined ? '' : `, in ${where}`}`;
  }

  /** The member or element being read, as a JSON path. */
  private where(): string | undefined {
    if (this.depth === 0 || this.key === undefined) return undefined;
    // Between the top-level members: after a comma, no member yet.
    if (this.depth === 1 && (this.state === KEY || this.state === KEY_OR_CLOSE)) return undefined;
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(this.key) ? this.key : JSON.stringify(this.key);
    return this.inList && this.depth >= 2 && (this.depth > 2 || this.entryStart >= 0 || this.state !== COMMA_OR_CLOSE) ? `${key}[${this.index}]` : key;
  }
}

function digitsEnd(buf: Uint8Array, j: number, n: number): number {
  while (j < n && buf[j] >= 0x30 && buf[j] <= 0x39) j += 1;
  return j;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * The length of the UTF-8 sequence at buf[j] (a byte of 0x80 or more): 2–4,
 * 0 when it is not valid UTF-8 (overlong forms, surrogates and values above
 * U+10FFFF included), MORE when it runs past `n`.
 */
function utf8Length(buf: Uint8Array, j: number, n: number): number {
  const c = buf[j];
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) length = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    length = 3;
    if (c === 0xe0) low = 0xa0;
    else if (c === 0xed) high = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    length = 4;
    if (c === 0xf0) low = 0x90;
    else if (c === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k < length; k += 1) {
    if (j + k >= n) return MORE;
    const b = buf[j + k];
    if (b < (k === 1 ? low : 0x80) || b > (k === 1 ? high : 0xbf)) return 0;
  }
  return length;
}
