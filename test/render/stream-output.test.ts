// Streamed JSON/CSV: the same bytes as the one-shot writers, backpressure
// respected, and a reader that goes away stops the producer.
import { PassThrough, Writable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { streamCsv, streamJsonArray, nestedJsonText } from '../../src/render/stream-output.js';
import { accountJsonElement, accountJsonObject, type AccountListItem } from '../../src/render/account-rows.js';

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return () => text;
}

describe('streamJsonArray', () => {
  for (const [name, items] of [
    ['an empty array', []],
    ['one object', [{ a: 1 }]],
    [
      'objects with empty and filled arrays, quotes and control characters',
      [
        { s: 'x"\u001b\n', list: [] },
        { list: ['a', 'b'], nested: { n: null } },
      ],
    ],
  ] as const) {
    it(`writes exactly JSON.stringify(items, null, 2) for ${name}`, async () => {
      const stream = new PassThrough();
      const text = collect(stream);
      await streamJsonArray(stream, items);
      expect(text()).toBe(`${JSON.stringify(items, null, 2)}\n`);
    });
  }

  it('waits for a slow reader instead of buffering everything (backpressure)', async () => {
    let pending = 0;
    let maxPending = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk, _encoding, callback) {
        pending += chunk.length;
        maxPending = Math.max(maxPending, pending);
        setImmediate(() => {
          pending -= chunk.length;
          callback();
        });
      },
    });
    const items = Array.from({ length: 20_000 }, (_, i) => ({ accountNumber: String(i), guarantor: 'Rivera, Maria', total: '12.00' }));
    await streamJsonArray(slow, items);
    // One chunk at a time in flight, never the whole document (~2 MB).
    expect(maxPending).toBeLessThan(200 * 1024);
  });

  it('stops pulling rows when the reader goes away (EPIPE)', async () => {
    const closing = new Writable({
      write(_chunk, _encoding, callback) {
        const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        callback(error);
      },
    });
    let produced = 0;
    let closed = false;
    function* rows(): Generator<{ n: number }> {
      try {
        for (let n = 0; n < 1_000_000; n += 1) {
          produced += 1;
          yield { n };
        }
      } finally {
        closed = true;
      }
    }
    await streamJsonArray(closing, rows());
    expect(closed).toBe(true);
    expect(produced).toBeLessThan(1_000_000);
  });
});

describe('streamCsv', () => {
  it('writes a header and RFC 4180 rows, cells sanitized, across many batches', async () => {
    const stream = new PassThrough();
    const text = collect(stream);
    const rows = Array.from({ length: 1000 }, (_, i) => [String(i), `Smith, "Jr." \u001b[31m${i}`, null]);
    await streamCsv(stream, ['n', 'name', 'empty'], rows);
    const records: string[][] = parseCsv(text());
    expect(records).toHaveLength(1001);
    expect(records[0]).toEqual(['n', 'name', 'empty']);
    expect(records[1000]).toEqual(['999', 'Smith, "Jr." \ufffd999', '']);
    expect(text()).not.toMatch(/\u001b/);
  });
});

describe('accountJsonElement', () => {
  it('writes exactly what nestedJsonText(accountJsonObject(…)) writes: the fast form of --all --json never drifts from the shape', () => {
    const item = (fields: Partial<AccountListItem>): AccountListItem => ({
      accountNumber: '10004',
      guarantor: 'Rivera, Maria',
      guarantorDisplay: 'Rivera, Maria',
      group: 'Lakeside Pediatrics',
      nonCollectionBalance: 15300,
      collectionBalance: 24000,
      totalBalance: 39300,
      preCollectionsBalance: 8000,
      amountDue: 8500,
      unappliedFunds: 0,
      collectionAgencies: [],
      encountersInCollections: 0,
      ...fields,
    });
    for (const account of [
      item({}),
      item({ collectionAgencies: ['Summit Recovery Services', 'Agency "B" \u009b'], encountersInCollections: 3 }),
      item({ guarantor: 'Quote " back \\ new\nline \u001b \u202e \u2028 🏥', group: '(missing group 7)', nonCollectionBalance: -1250, totalBalance: -5 }),
    ]) {
      expect(accountJsonElement(account)).toBe(nestedJsonText(accountJsonObject(account)));
    }
  });
});
