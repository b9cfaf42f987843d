// Streamed --json and --csv for lists of any length (docs/commands.md `--all`): rows
// are written as they come, gathered into ~64 KiB chunks (one write per chunk
// is much faster than one per row), and the writer waits whenever the stream
// says its buffer is full, so memory stays flat however many rows there are.
import type { Writable } from 'node:stream';
import { csvText, jsonText, type Cell, type CsvOptions } from './output.js';
import { keepYoungGenerationSmall } from '../base/memory.js';
import { cannotWrite, plainReason } from '../base/output-file.js';

export const CHUNK_CHARS = 64 * 1024;

export class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  private failure: Error | undefined;
  /** The reader went away (EPIPE, e.g. `| head`): nothing more is worth writing. */
  closed = false;

  constructor(
    private readonly stream: Writable,
    private readonly chunkChars = CHUNK_CHARS,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.closed = true;
      else this.failure = error;
    });
  }

  /** Queue `text`; true when a chunk is full and `flush()` should be awaited. */
  push(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= this.chunkChars;
  }

  async flush(): Promise<void> {
    this.throwFailure();
    if (this.size === 0 || this.closed) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await this.drained();
    this.throwFailure();
  }

  /** A write that failed (a full disk behind `> file`): one plain line, as for --out (docs/formats.md, "Output files"). */
  private throwFailure(): void {
    if (this.failure) throw cannotWrite('the output', plainReason(this.failure));
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }
}

/** An element of a streamed array as jsonText writes it one level down (every line two spaces further right). */
export function nestedJsonText(item: unknown): string {
  // JSON strings hold no raw newlines, so this touches only layout.
  return jsonText(item).replace(/\n/g, '\n  ');
}

/**
 * One 2-space-indented JSON array, byte for byte what jsonText(items) gives.
 * `element` may write an item's text itself (faster for a known shape), as
 * nestedJsonText would.
 */
export async function streamJsonArray(stream: Writable, items: Iterable<unknown>): Promise<void>;
export async function streamJsonArray<T>(stream: Writable, items: Iterable<T>, element: (item: T) => string): Promise<void>;
export async function streamJsonArray(stream: Writable, items: Iterable<unknown>, element: (item: unknown) => string = nestedJsonText): Promise<void> {
  keepYoungGenerationSmall();
  const writer = new ChunkedWriter(stream);
  let first = true;
  for (const item of items) {
    const text = element(item);
    const full = writer.push(first ? `[\n  ${text}` : `,\n  ${text}`);
    first = false;
    if (full) await writer.flush();
    if (writer.closed) return;
  }
  writer.push(first ? '[]\n' : '\n]\n');
  await writer.flush();
}

const CSV_BATCH_ROWS = 256;

/** A header row, then the rows, RFC 4180 quoting, cells sanitized and text cells guarded (as writeCsv). */
export async function streamCsv(
  stream: Writable,
  header: readonly string[],
  rows: Iterable<readonly Cell[]>,
  options: Omit<CsvOptions, 'header'> = {},
): Promise<void> {
  keepYoungGenerationSmall();
  const writer = new ChunkedWriter(stream);
  writer.push(csvText(header, [], options));
  let batch: (readonly Cell[])[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length < CSV_BATCH_ROWS) continue;
    const full = writer.push(csvText(header, batch, { ...options, header: false }));
    batch = [];
    if (full) await writer.flush();
    if (writer.closed) return;
  }
  if (batch.length > 0) writer.push(csvText(header, batch, { ...options, header: false }));
  await writer.flush();
}

/** Pieces of one long text, written as they come (waiting for a slow reader); stops quietly when the reader goes away. */
export async function streamText(stream: Writable, pieces: Iterable<string>): Promise<void> {
  keepYoungGenerationSmall();
  const writer = new ChunkedWriter(stream);
  for (const piece of pieces) {
    if (writer.push(piece)) await writer.flush();
    if (writer.closed) return;
  }
  await writer.flush();
}
