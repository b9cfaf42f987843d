// Typed errors: each kind maps to exactly one exit code (docs/formats.md), in one place.
import { sanitize } from './sanitize.js';
import { withoutPassword } from './secrets.js';

export const EXIT = {
  ok: 0,
  differences: 1,
  usage: 2,
  notFound: 3,
  store: 4,
  cancelled: 5,
  internal: 70,
} as const;

export class PopsError extends Error {
  readonly exitCode: number;
  /** An optional second line printed under the message. */
  readonly hint?: string;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Invalid usage or invalid input; nothing was written. */
export class UsageError extends PopsError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** One problem found while validating a file or document. */
export interface Problem {
  /** Where: a JSON path, `line 7: footerPhone`, a file name… */
  where: string;
  message: string;
}

/** Many problems in one input (import, apply): printed one per line, at most 50. */
export class ValidationError extends PopsError {
  readonly problems: Problem[];
  /** How many problems there were in all: `problems` may hold only the first ones (a streamed import keeps no more than it shows). */
  readonly total: number;
  constructor(problems: Problem[], total = problems.length) {
    super(`${total} problem${total === 1 ? '' : 's'} found`, EXIT.usage);
    this.problems = problems;
    this.total = total;
  }
}

export class NotFoundError extends PopsError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.notFound, hint);
  }
}

export class StoreError extends PopsError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.store, hint);
  }
}

export class CancelledError extends PopsError {
  constructor(message = 'cancelled') {
    super(message, EXIT.cancelled);
  }
}

export const MAX_PROBLEMS_SHOWN = 50;

/** Longest `where` and message printed for one problem: a 100k-character key or value is never echoed whole. */
const WHERE_MAX = 120;
const MESSAGE_MAX = 500;

/**
 * The lines a failure prints on stderr (without the trailing newline). Messages
 * quote the offending input, which may hold escape sequences, C1 controls,
 * bidi overrides or newlines that JSON quoting leaves raw: each line is
 * sanitized (docs/formats.md) and stays one line; only a debug stack keeps its newlines.
 */
export function describeError(error: unknown, debug: boolean): { lines: string[]; exitCode: number } {
  // A store URL's password is left out of everything shown (docs/store.md, "Store locations").
  const line = (text: string, max = MESSAGE_MAX): string => clip(sanitize(withoutPassword(text)), max);
  const stack = (text: string): string => sanitize(withoutPassword(text), { allowNewline: true });
  const translated = translateSqliteError(error);
  if (translated instanceof ValidationError) {
    const shown = translated.problems.slice(0, MAX_PROBLEMS_SHOWN);
    const lines = shown.map((p) => `pops: ${line(p.where, WHERE_MAX)}: ${line(p.message)}`);
    const hidden = translated.total - shown.length;
    if (hidden > 0) lines.push(`pops: ${hidden} more not shown`);
    if (debug && translated.stack) lines.push(stack(translated.stack));
    return { lines, exitCode: translated.exitCode };
  }
  if (translated instanceof PopsError) {
    const lines = [`pops: ${line(translated.message)}`];
    if (translated.hint) lines.push(line(translated.hint));
    if (debug && translated.stack) lines.push(stack(translated.stack));
    return { lines, exitCode: translated.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`pops: internal error: ${line(message)}`];
  lines.push(debug && error instanceof Error && error.stack ? stack(error.stack) : 'Run again with POPS_DEBUG=1 to see the stack trace, and report it.');
  return { lines, exitCode: EXIT.internal };
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/**
 * better-sqlite3 throws SqliteError with a `code`; the ones that mean the
 * store itself cannot be used become StoreError (exit 4).
 */
export function translateSqliteError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof PopsError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('store is busy: another pops command is writing to it', 'Try again in a moment.');
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError(`store is corrupt (${error.message})`, 'Restore it from a backup or an export.');
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreError('store is read-only: cannot write to it', 'Check the file and directory permissions.');
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError(`store cannot be opened (${error.message})`);
  }
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError('store cannot be written: the disk is full');
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError(`store cannot be read or written (${error.message})`);
  }
  return error;
}
