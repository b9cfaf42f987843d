// Standard streams, terminal facts and color, in one injected object.
import type { Writable, Readable } from 'node:stream';
import { lazyModule } from './lazy.js';

const lazyTty = lazyModule<typeof import('node:tty')>('node:tty');

export interface IO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdout is a terminal. */
  stdoutIsTTY: boolean;
  /** stderr is a terminal. */
  stderrIsTTY: boolean;
  /** stdin and stdout are both terminals: prompts are possible. */
  interactive: boolean;
  /** Color is allowed on stdout (TTY, no NO_COLOR, no --no-color). */
  color: boolean;
  /** When color is allowed, what the terminal shows: 1 = 16 colors, 2 = 256, 3 = 24-bit. */
  colorLevel?: 1 | 2 | 3;
  /** Terminal columns of stdout, when it is a terminal. */
  columns?: number;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** A warning line on stderr: `pops: warning: …`. */
  warn(message: string): void;
}

export interface IOOptions {
  noColor?: boolean;
}

export function processIO(options: IOOptions = {}): IO {
  // `pops … | head`: once the reader has gone there is nobody left to tell
  // anything, so stop quietly instead of dying on an EPIPE stack trace.
  // A streamed output (render/stream-output.ts) listens too: it stops writing, and the command ends
  // as usual, closing the store (no -wal or -shm left behind).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (process.stdout.listenerCount('error') > 1) return;
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const io = makeIO({
    stdout: process.stdout,
    stderr: process.stderr,
    // Replaced by a getter below: Node makes process.stdin (a stream, for a pipe a socket) on first use,
    // which most commands never need (docs/performance.md, "Start-up").
    stdin: undefined as unknown as Readable,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    // Asked only by the commands that prompt: the tty module (and the net module it needs) is not
    // loaded for the others (docs/performance.md, "Start-up").
    stdinIsTTY: () => lazyTty().isatty(0),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
    noColor: options.noColor ?? false,
  });
  Object.defineProperty(io, 'stdin', { get: () => process.stdin, enumerable: true });
  return io;
}

export interface MakeIOInput {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Whether stdin is a terminal; a function when finding out should wait until someone asks. */
  stdinIsTTY: boolean | (() => boolean);
  columns?: number;
  env: NodeJS.ProcessEnv;
  noColor: boolean;
}

export function makeIO(input: MakeIOInput): IO {
  const noColorEnv = input.env.NO_COLOR !== undefined && input.env.NO_COLOR !== '';
  const color = input.stdoutIsTTY && !noColorEnv && !input.noColor;
  const stdinIsTTY = input.stdinIsTTY;
  let interactive: boolean | undefined;
  return {
    stdout: input.stdout,
    stderr: input.stderr,
    stdin: input.stdin,
    stdoutIsTTY: input.stdoutIsTTY,
    stderrIsTTY: input.stderrIsTTY,
    get interactive() {
      return (interactive ??= input.stdoutIsTTY && (typeof stdinIsTTY === 'function' ? stdinIsTTY() : stdinIsTTY));
    },
    color,
    colorLevel: color ? colorLevelOf(input.env) : undefined,
    columns: input.columns,
    env: input.env,
    out: (text) => void input.stdout.write(text),
    err: (text) => void input.stderr.write(text),
    warn: (message) => void input.stderr.write(`pops: warning: ${message}\n`),
  };
}

/**
 * What the terminal shows, from the environment alone (deterministic; chalk
 * is not loaded for it): COLORTERM `truecolor` or `24bit` → 24-bit, a TERM
 * naming `256color` → 256 colors, else 16 (docs/portal.md, "Theme colors").
 */
export function colorLevelOf(env: NodeJS.ProcessEnv): 1 | 2 | 3 {
  const colorTerm = (env.COLORTERM ?? '').toLowerCase();
  if (colorTerm === 'truecolor' || colorTerm === '24bit') return 3;
  if ((env.TERM ?? '').toLowerCase().includes('256color')) return 2;
  return 1;
}
