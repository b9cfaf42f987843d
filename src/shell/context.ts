// What every command's run receives besides its options: the streams, the
// resolved global options, the prompter, and a place to set a non-error exit
// code (1 for "differences found").
import os from 'node:os';
import type { IO } from '../base/io.js';
import { UsageError } from '../base/errors.js';
import { openStore, type DB, type OpenOptions } from '../store/open.js';
import type { Prompter } from './prompts.js';

export interface Deps {
  io: IO;
  /** `--db`, else `POPS_DB`, else `./pops.db`. */
  dbPath: string;
  /** `--actor`, else `POPS_ACTOR`, else the OS user name. */
  actor: string;
  /** How long to wait for another command's write lock (env POPS_BUSY_TIMEOUT_MS; docs/store.md). */
  busyTimeoutMs?: number;
  debug: boolean;
  /** Asks questions on the terminal (groups edit, groups delete); tests pass a scripted one. */
  prompt: Prompter;
  /** A command sets 1 when a check found differences; errors use exceptions. */
  exitCode: number;
}

export interface GlobalOptions {
  db?: string;
  actor?: string;
  noColor?: boolean;
}

export function resolveGlobals(globals: GlobalOptions, env: NodeJS.ProcessEnv): { dbPath: string; actor: string; busyTimeoutMs?: number } {
  const dbPath = globals.db ?? (env.POPS_DB || './pops.db');
  let actor = globals.actor ?? env.POPS_ACTOR;
  if (!actor) {
    try {
      actor = os.userInfo().username;
    } catch {
      actor = env.USER || 'unknown';
    }
  }
  return { dbPath, actor, busyTimeoutMs: busyTimeout(env.POPS_BUSY_TIMEOUT_MS) };
}

function busyTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,7}$/.test(raw.trim())) throw new UsageError(`POPS_BUSY_TIMEOUT_MS: expected a whole number of milliseconds, got ${JSON.stringify(raw)}`);
  return Number(raw.trim());
}

/** Run `work` with the store open, closing it whatever happens. */
export function withStore<T>(deps: Deps, work: (db: DB) => T, options: OpenOptions = {}): T {
  const { db } = openStore(deps.dbPath, { busyTimeoutMs: deps.busyTimeoutMs, ...options });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Like withStore, for work that awaits (prompts, streams). */
export async function withStoreAsync<T>(deps: Deps, work: (db: DB) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  const { db } = openStore(deps.dbPath, { busyTimeoutMs: deps.busyTimeoutMs, ...options });
  try {
    return await work(db);
  } finally {
    db.close();
  }
}
