// Reading a file named on the command line, or stdin for `-`.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { UsageError } from './errors.js';

export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

export async function readTextInput(file: string, stdin: Readable): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return decode(Buffer.concat(chunks), 'stdin');
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
    throw new UsageError(`${where}: not valid UTF-8 text`);
  }
}

/** Parse JSON, reporting where a syntax error is. */
export function parseJsonInput(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: malformed JSON: ${(error as Error).message}`);
  }
}
