// Reading a file named on the command line, or stdin for `-`.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { UsageError } from './errors.js';
import { MAX_JSON_DEPTH } from './json-stream.js';

export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export async function readTextInput(file: string, stdin: Readable): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    const text = decode(Buffer.concat(chunks), 'stdin');
    if (text.trim() === '') throw new UsageError('no input on stdin', 'Pipe the input in (… < file), or name the file instead of -.');
    return text;
  }
  let data: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
    if (stat.size > MAX_INPUT_BYTES) throw new UsageError(`cannot read ${file}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
    data = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return decode(data, file);
}

/** The chunks read at a time from a file named on the command line. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * A file named on the command line, or stdin for `-`, as chunks of bytes read
 * as they are needed (for input of any size: `import`). A chunk of a file is
 * overwritten by the next one: use it (or copy it) before asking for the next.
 * A file that cannot be read fails here, before the first chunk is asked for.
 */
export function inputChunks(file: string, stdin: Readable): AsyncIterable<Uint8Array> {
  if (file === '-') return stdinChunks(stdin);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      throw new UsageError(`cannot read ${file}: it is a directory`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw cannotRead(file, error);
  }
  return fileChunks(fd, file);
}

async function* stdinChunks(stdin: Readable): AsyncGenerator<Uint8Array> {
  for await (const chunk of stdin) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
}

/** One buffer for every chunk: the consumer must be done with a chunk (copied what it keeps) before it asks for the next. */
async function* fileChunks(fd: number, file: string): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    for (;;) {
      let read: number;
      try {
        read = fs.readSync(fd, chunk, 0, CHUNK_BYTES, null);
      } catch (error) {
        throw cannotRead(file, error);
      }
      if (read === 0) return;
      yield chunk.subarray(0, read);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function cannotRead(file: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
}

/** The hint under "not valid UTF-8 text". */
export const UTF8_HINT = 'Save it as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8 (Comma delimited)"), then try again.';

function decode(data: Buffer, where: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new UsageError(`${where}: not valid UTF-8 text`, UTF8_HINT);
  }
}

/** Parse JSON, reporting where a syntax error is; a document nested deeper than MAX_JSON_DEPTH is refused. */
export function parseJsonInput(text: string, where: string): unknown {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: malformed JSON: ${(error as Error).message}`);
  }
  // JSON.parse itself copes with any depth, but everything that walks a value
  // recursively (validation messages quoting it, JSON.stringify) would run out
  // of stack: refused here, once, with a plain message.
  if (nestedDeeperThan(document, MAX_JSON_DEPTH)) {
    throw new UsageError(`${where}: JSON nested too deeply (more than ${MAX_JSON_DEPTH} levels of arrays and objects)`);
  }
  return document;
}

/**
 * Whether arrays and objects nest more than `max` levels deep. Iterative, so
 * any depth is safe to ask about; two plain stacks and for…in keep it to a
 * small fraction of JSON.parse's own time on a large dump.
 */
function nestedDeeperThan(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const containers: object[] = [value];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop()!;
    if (depth > max) return true;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i += 1) {
        const child = container[i];
        if (typeof child === 'object' && child !== null) {
          containers.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in container) {
        const child = container[key];
        if (typeof child === 'object' && child !== null) {
          containers.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}
