// pops as concurrent child processes: started together, killed on a trigger,
// timed — what popsBinary in test/helpers/cli.ts cannot do.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN, childEnv } from '../helpers/cli.js';

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
  stderr: string;
  walAtKill?: number;
}

/** When to SIGKILL the child: after a delay, or once the store's WAL has grown past a size (the write transaction is under way). */
export type KillTrigger = { afterMs: number } | { walBytes: number; db: string };

/** Run pops as a child process (no TTY, actor `tester`, and `env`), SIGKILLed when `kill` says so. */
export function runKillable(args: string[], kill?: KillTrigger, env: Record<string, string> = {}): Promise<ChildRun> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  let walAtKill: number | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  if (kill && 'afterMs' in kill) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
  if (kill && 'walBytes' in kill) {
    timer = setInterval(() => {
      let size: number;
      try {
        size = fs.statSync(`${kill.db}-wal`).size;
      } catch {
        return;
      }
      if (size >= kill.walBytes) {
        walAtKill = size;
        child.kill('SIGKILL');
        clearInterval(timer);
      }
    }, 2);
  }
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(timer);
      resolve({ code, signal, ms: Date.now() - started, stdout, stderr, walAtKill });
    }),
  );
}
