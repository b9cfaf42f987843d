// pops as concurrent child processes: started together, killed on a trigger,
// timed — what popsBinary in test/helpers/cli.ts cannot do.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { BIN, childEnv } from '../helpers/cli.js';

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
  stderr: string;
  /** For a lock trigger: how long the child had held the store's write lock when it was killed (ms, as seen every 2 ms). */
  lockHeldAtKill?: number;
}

/**
 * When to SIGKILL the child: after a delay, or once the child has held
 * the store's write lock for `lockHeldMs` without a break — inside its write
 * transaction, whatever the machine's speed (seen by trying `BEGIN IMMEDIATE`
 * every 2 ms on a connection of our own that never waits).
 */
export type KillTrigger = { afterMs: number } | { lockHeldMs: number; db: string };

/** Run pops as a child process (no TTY, actor `tester`, and `env`), SIGKILLed when `kill` says so. */
export function runKillable(args: string[], kill?: KillTrigger, env: Record<string, string> = {}): Promise<ChildRun> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(env) });
  let stdout = '';
  let stderr = '';
  let lockHeldAtKill: number | undefined;
  let probe: Database.Database | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  if (kill && 'afterMs' in kill) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
  if (kill && 'lockHeldMs' in kill) {
    probe = new Database(kill.db, { timeout: 0 });
    let heldSince: number | undefined;
    timer = setInterval(() => {
      try {
        // Taken at once when nobody writes; then given back at once, so the child never waits long for it.
        probe!.exec('BEGIN IMMEDIATE');
        probe!.exec('ROLLBACK');
        heldSince = undefined;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        heldSince ??= Date.now();
        if (Date.now() - heldSince >= kill.lockHeldMs) {
          lockHeldAtKill = Date.now() - heldSince;
          child.kill('SIGKILL');
          clearInterval(timer);
        }
      }
    }, 2);
  }
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(timer);
      probe?.close();
      resolve({ code, signal, ms: Date.now() - started, stdout, stderr, lockHeldAtKill });
    }),
  );
}
