// The streaming JSON reader import uses (src/base/json-stream.ts): it hands
// over the same values JSON.parse gives, however the bytes are cut into
// chunks, and refuses what JSON.parse refuses — naming the byte, line, column
// and element — plus what would make memory grow: nesting past 100 levels and
// one value larger than its limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStreamError, JsonStreamReader, type JsonStreamOptions } from '../../src/base/json-stream.js';

type Event = [string, ...unknown[]];

/** Every event of reading `bytes` in chunks of the given sizes (repeated), or the error. */
function read(bytes: Uint8Array, sizes: number[] = [bytes.length || 1], options: JsonStreamOptions = {}): { events: Event[]; error?: JsonStreamError } {
  const events: Event[] = [];
  const reader = new JsonStreamReader(
    {
      member: (key, value) => events.push(['member', key, value]),
      listStart: (key) => events.push(['listStart', key]),
      element: (key, index, value) => events.push(['element', key, index, value]),
      listEnd: (key, count) => events.push(['listEnd', key, count]),
    },
    options,
  );
  try {
    for (let at = 0, k = 0; at < bytes.length; k += 1) {
      const size = Math.max(1, sizes[k % sizes.length]);
      reader.push(bytes.subarray(at, at + size));
      at += size;
    }
    reader.end();
  } catch (error) {
    if (!(error instanceof JsonStreamError)) throw error;
    return { events, error };
  }
  return { events };
}

/** What the reader should hand over for a document JSON.parse reads (an object: anything else is refused). */
function expectedEvents(document: object): Event[] {
  const events: Event[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (!Array.isArray(value)) events.push(['member', key, value]);
    else {
      events.push(['listStart', key]);
      value.forEach((item, index) => events.push(['element', key, index, item]));
      events.push(['listEnd', key, value.length]);
    }
  }
  return events;
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const errorOf = (text: string | Uint8Array, options?: JsonStreamOptions) => read(typeof text === 'string' ? bytes(text) : text, undefined, options).error;

describe('values as JSON.parse gives them, whatever the chunks', () => {
  it('any JSON object, cut at random places, in any indentation', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 5 })),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(undefined, 2, '\t'),
        (value, sizes, indent) => {
          const text = JSON.stringify(value, null, indent);
          const document = JSON.parse(text) as object;
          const result = read(bytes(text), sizes);
          expect(result.error).toBeUndefined();
          expect(result.events).toEqual(expectedEvents(document));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a dump-shaped object with lists and other members, read one byte at a time', () => {
    const document = {
      format: 'pops-dump',
      version: 1,
      groups: [{ name: 'Lakeside Pediatrics', footerPhone: '+15035550100' }],
      note: { nested: [1, 2, { deeper: 'é漢字🙂' }] },
      accounts: [{ accountNumber: '10042', amount: -12.5e3 }, 'a string', 7, null, true, [], {}],
      empty: [],
    };
    const result = read(bytes(JSON.stringify(document, null, 2)), [1]);
    expect(result.error).toBeUndefined();
    expect(result.events).toEqual(expectedEvents(document));
  });

  it('a document that is not an object is refused at its first byte, whatever its size', () => {
    for (const text of ['[1,2]', '"x"', '5', 'null', `[${'1,'.repeat(100_000)}1]`]) {
      const { events, error } = read(bytes(text), [7]);
      expect(events).toEqual([]);
      expect(error?.kind).toBe('shape');
      expect(error?.message).toMatch(/^not a pops dump: a dump is a JSON object \(\{"format": "pops-dump", …\}\), this is (an array|a single value)$/);
    }
  });

  it('a UTF-8 byte order mark at the start is skipped, even split over chunks', () => {
    const text = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{"a":[1]}')]);
    expect(read(text, [1]).events).toEqual([
      ['listStart', 'a'],
      ['element', 'a', 0, 1],
      ['listEnd', 'a', 1],
    ]);
  });

  it('escapes and surrogate pairs in strings and keys', () => {
    const text = '{"k\\u00e9y":["\\"\\\\\\/\\b\\f\\n\\r\\t","\\ud83d\\ude42"]}';
    expect(read(bytes(text), [3]).events).toEqual(expectedEvents(JSON.parse(text)));
  });
});

describe('what JSON.parse refuses is refused, with its place', () => {
  it.each([
    ['{"a":[1,2', 'the document ends early at byte 9 (line 1, column 10), in a'],
    ['{"a":[1 2]}', 'malformed JSON at byte 8 (line 1, column 9), in a: expected "," or "]", got "2"'],
    ['{"a":"\\x"}', 'malformed JSON at byte 7 (line 1, column 8), in a: expected an escape'],
    ['{"a":tru}', 'malformed JSON at byte 8 (line 1, column 9), in a: expected "true", got "}"'],
    ['{"a":1.}', 'expected a digit after the decimal point, got "}"'],
    ['{"a":-}', 'expected a digit, got "}"'],
    ['{"a":1e}', 'expected a digit of the exponent, got "}"'],
    ['{"a":[1,]}', 'malformed JSON at byte 8 (line 1, column 9), in a[1]: expected a value, got "]"'],
    ['{"a":1,}', 'malformed JSON at byte 7 (line 1, column 8): expected a field name in double quotes, got "}"'],
    ['{"a":1}x', 'expected nothing more after the end of the document, got "x"'],
    ['{"a":"tab\there"}', 'a control character must be escaped'],
    ['{"a"\n:\n [1,\n 2,\n x]}', 'malformed JSON at byte 17 (line 5, column 2), in a[2]: expected a value, got "x"'],
    ['{"accounts":[{"n":"x"},{"n":"y', 'the document ends early, inside a string, at byte 30 (line 1, column 31), in accounts[1]'],
  ])('%j', (text, message) => {
    // JSON.parse refuses each one too.
    expect(() => JSON.parse(text)).toThrow();
    for (const sizes of [[text.length], [1], [2, 5]]) {
      const { error } = read(bytes(text), sizes);
      expect(error?.kind).toBe('syntax');
      expect(error?.message).toContain(message);
    }
  });

  it('nothing but blanks is an empty document', () => {
    expect(errorOf('')?.kind).toBe('empty');
    expect(errorOf(' \n\t ')?.kind).toBe('empty');
  });

  it.each([
    ['UTF-16 with a byte order mark', Buffer.from('\ufeff{"a":1}', 'utf16le'), 'not valid UTF-8 text: it begins with a UTF-16 byte order mark'],
    ['UTF-16 without one', Buffer.from('{"a":1}', 'utf16le'), 'not valid UTF-8 text at byte 1 (line 1, column 2): a NUL byte (UTF-16 text?)'],
    ['Latin-1 outside a string', Buffer.from([0x7b, 0xe9, 0x7d]), 'not valid UTF-8 text at byte 1 (line 1, column 2)'],
  ])('text in another encoding (%s) is named as such', (_what, text, message) => {
    expect(errorOf(text)).toMatchObject({ kind: 'encoding', message });
  });

  it('a character outside a string is a syntax error naming the character', () => {
    expect(errorOf('{"a":1,é}')).toMatchObject({
      kind: 'syntax',
      message: 'malformed JSON at byte 7 (line 1, column 8): expected a field name in double quotes, got "é"',
    });
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated two-byte sequence', [0xc3, 0x28]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ])('invalid UTF-8 in a string (%s) is named with its byte', (_what, sequence) => {
    const text = Buffer.concat([bytes('{"accounts":["ok","'), Buffer.from(sequence), bytes('"]}')]);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(text)).toThrow();
    for (const sizes of [[text.length], [1]]) {
      const { error } = read(text, sizes);
      expect(error?.kind).toBe('encoding');
      expect(error?.message).toBe('not valid UTF-8 text at byte 19 (line 1, column 20), in accounts[1]');
    }
  });
});

describe('memory stays bounded', () => {
  it('nesting past the limit stops at the level that passes it', () => {
    const deep = `{"accounts":${'['.repeat(100_000)}`;
    const { error } = read(bytes(deep), [4096]);
    expect(error?.kind).toBe('depth');
    expect(error?.message).toBe('nested too deeply at byte 111 (line 1, column 112), in accounts[0]: more than 100 levels of arrays and objects');
    // 100 levels are fine (the document's object counts as one).
    const ok = `{"a":${'['.repeat(99)}${']'.repeat(99)}}`;
    expect(read(bytes(ok)).error).toBeUndefined();
  });

  it('one value larger than the limit is refused as soon as it passes it, naming where it began', () => {
    const limit = 64 * 1024;
    const huge = `{"accounts":[{"a":1},{"name":"${'x'.repeat(limit * 4)}"}]}`;
    const chunks = [4096];
    const { events, error } = read(bytes(huge), chunks, { maxEntryBytes: limit });
    expect(error?.kind).toBe('size');
    expect(error?.message).toBe('accounts[1] (from byte 21 (line 1, column 22)) is larger than 0.0625 MiB, the most one entry of a dump may hold');
    // The place is where the entry began, however many lines it ran over.
    const tall = `{"groups":[],\n"accounts":[\n  {"a":1},\n  {"lines":[${'"x",\n'.repeat(limit)}"y"]}]}`;
    expect(read(bytes(tall), [4096], { maxEntryBytes: limit }).error?.message).toBe(
      'accounts[1] (from byte 40 (line 4, column 3)) is larger than 0.0625 MiB, the most one entry of a dump may hold',
    );
    expect(events).toEqual([
      ['listStart', 'accounts'],
      ['element', 'accounts', 0, { a: 1 }],
    ]);
    // Elements of any number, each below the limit, are fine.
    const many = `{"accounts":[${Array.from({ length: 2000 }, (_, i) => `{"n":${i},"pad":"${'y'.repeat(100)}"}`).join(',')}]}`;
    expect(read(bytes(many), [4096], { maxEntryBytes: limit }).events).toHaveLength(2002);
  });
});
