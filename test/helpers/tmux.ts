// Running pops in a real pseudo-terminal (tmux), for the interactive commands.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDir } from './cli.js';

export const HAS_TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

const shellQuote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * `pops <args>` in a detached 120×40 tmux session on its own server, so tests
 * never touch a user's tmux. The exit code is written to a file when it ends.
 */
export class TerminalSession {
  private readonly socket: string;
  private readonly exitFile: string;

  /** `shell`: run this program (an interactive shell, `pops` on its PATH) instead of pops itself, in a clean environment plus `env`. */
  constructor(args: string[], env: Record<string, string> = {}, shell?: string[]) {
    // The server's socket in a folder of its own (removed with the run's temporary folder): a name
    // made from the pid and a count was shared by test files running at once in the suite's worker
    // threads (one pid), and the second session then failed with "duplicate session".
    const folder = tempDir('pops-tty-');
    this.socket = path.join(folder, 'tmux');
    this.exitFile = path.join(folder, 'exit');
    const assignments = Object.entries({ POPS_ACTOR: 'tty-tester', ...env }).map(([k, v]) => `${k}=${shellQuote(v)}`);
    const program = shell
      ? `env -i PATH=${shellQuote(`${popsOnPath()}:/usr/bin:/bin`)} TERM=xterm ${assignments.join(' ')} ${shell.map(shellQuote).join(' ')}`
      : undefined;
    const command = program
      ? `${program}; echo $? > ${shellQuote(this.exitFile)}; sleep 60`
      : `env ${assignments.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(BIN)} ${args.map(shellQuote).join(' ')}; echo $? > ${shellQuote(this.exitFile)}; sleep 60`;
    this.tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', 'pops', command);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** The visible screen, as text. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'pops');
  }

  /** Wait until the screen shows `pattern`; fail with the screen if it never does. */
  async waitFor(pattern: RegExp | string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; the screen shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Send tmux key names (`Enter`, `Down`, `C-c`, `BSpace`…). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'pops', ...keys);
  }

  /** Type literal text. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'pops', '-l', text);
  }

  /** Wait for the command to end; its exit code. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!fs.existsSync(this.exitFile) || fs.readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`timed out waiting for pops to exit; the screen shows:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Number(fs.readFileSync(this.exitFile, 'utf8').trim());
  }

  close(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
  }
}

let popsFolder: string | undefined;
/** A folder holding a `pops` that runs bin/pops.js with this Node, as an installed pops would be on a user's PATH. */
export function popsOnPath(): string {
  if (popsFolder === undefined) {
    popsFolder = tempDir('pops-bin-');
    fs.writeFileSync(path.join(popsFolder, 'pops'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(BIN)} "$@"\n`, { mode: 0o755 });
  }
  return popsFolder;
}

/** Whether a program is installed (on this PATH). */
export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).status === 0;
}
