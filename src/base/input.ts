// Reading a file named on the command line, or stdin for `-`.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { UsageError } from './errors.js';

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

function decode(data: Buffer, where: string): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new UsageError(`${where}: not valid UTF-8 text`, 'Save it as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8 (Comma delimited)"), then try again.');
  }
}

/** Arrays and objects inside each other, at most; no pops document comes near it. */
export const MAX_JSON_DEPTH = 100;

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
