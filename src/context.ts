// What every command receives: the streams, the resolved global options, and
// a place to set a non-error exit code (1 for "differences found").
import os from 'node:os';
import type { IO } from './io.js';
import { openStore, type DB, type OpenOptions } from './store/open.js';

export interface Context {
  io: IO;
  /** `--db`, else `POPS_DB`, else `./pops.db`. */
  dbPath: string;
  /** `--actor`, else `POPS_ACTOR`, else the OS user name. */
  actor: string;
  debug: boolean;
  /** A command sets 1 when a check found differences; errors use exceptions. */
  exitCode: number;
}

export interface GlobalOptions {
  db?: string;
  actor?: string;
  noColor?: boolean;
}

export function resolveGlobals(globals: GlobalOptions, env: NodeJS.ProcessEnv): { dbPath: string; actor: string } {
  const dbPath = globals.db ?? (env.POPS_DB || './pops.db');
  let actor = globals.actor ?? env.POPS_ACTOR;
  if (!actor) {
    try {
      actor = os.userInfo().username;
    } catch {
      actor = env.USER || 'unknown';
    }
  }
  return { dbPath, actor };
}

/** Run `work` with the store open, closing it whatever happens. */
export function withStore<T>(ctx: Context, work: (db: DB) => T, options: OpenOptions = {}): T {
  const { db } = openStore(ctx.dbPath, options);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** Like withStore, for work that awaits (prompts, streams). */
export async function withStoreAsync<T>(ctx: Context, work: (db: DB) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  const { db } = openStore(ctx.dbPath, options);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}
