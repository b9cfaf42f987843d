// What every command's run receives besides its options: the streams, the
// resolved global options, the prompter, and a place to set a non-error exit
// code (1 for "differences found").
import os from 'node:os';
import type { IO } from '../base/io.js';
import { UsageError } from '../base/errors.js';
import { hasControlCharacters } from '../base/sanitize.js';
import type { OpenOptions } from '../store/open.js';
import type { Db } from '../store/db.js';
import { openDb } from '../store/open-db.js';
import { storeLocation } from '../base/store-location.js';
import type { Prompter } from './prompts.js';

export interface Deps {
  io: IO;
  /** `--db`, else `POPS_DB`, else `./pops.db`: a file path or a postgres:// URL (docs/store.md, "Store locations"). */
  dbPath: string;
  /** Which of them gave dbPath, for messages. */
  dbFrom: '--db' | 'POPS_DB';
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

export function resolveGlobals(
  globals: GlobalOptions,
  env: NodeJS.ProcessEnv,
): { dbPath: string; dbFrom: '--db' | 'POPS_DB'; actor: string; busyTimeoutMs?: number } {
  const dbPath = globals.db ?? (env.POPS_DB || './pops.db');
  const dbFrom = globals.db === undefined && env.POPS_DB ? 'POPS_DB' : '--db';
  const given = globals.actor ?? env.POPS_ACTOR;
  if (given) checkActor(given, globals.actor !== undefined ? '--actor' : 'POPS_ACTOR');
  let actor = given || undefined;
  return {
    dbPath,
    dbFrom,
    // The OS user name is looked up when a command first needs it (a write to the audit log), not at
    // every start (docs/performance.md, "Start-up").
    get actor() {
      if (actor === undefined) {
        try {
          actor = os.userInfo().username;
        } catch {
          actor = env.USER || 'unknown';
        }
      }
      return actor;
    },
    busyTimeoutMs: busyTimeout(env.POPS_BUSY_TIMEOUT_MS),
  };
}

/** Longest actor name the audit log records. */
export const ACTOR_MAX = 100;

/** The actor is written to the audit log as given: one line of at most 100 characters (docs/store.md, "The audit log"). */
function checkActor(actor: string, where: string): void {
  if (hasControlCharacters(actor)) throw new UsageError(`${where}: the actor name contains control characters: ${JSON.stringify(actor.slice(0, 60))}`);
  const length = [...actor].length;
  if (length > ACTOR_MAX) throw new UsageError(`${where}: the actor name is longer than ${ACTOR_MAX} characters (${length})`);
  if (actor.trim() === '') throw new UsageError(`${where}: the actor name is blank`);
}

function busyTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,7}$/.test(raw.trim())) throw new UsageError(`POPS_BUSY_TIMEOUT_MS: expected a whole number of milliseconds, got ${JSON.stringify(raw)}`);
  return Number(raw.trim());
}

/**
 * Run `work` with the store open as a Db — a store file or a PostgreSQL
 * database — closing it whatever happens. For the commands that work with
 * both (docs/store.md, "PostgreSQL").
 */
export function withDb<T>(deps: Deps, work: (db: Db) => T, options: OpenOptions = {}): T {
  warnOfPassword(deps);
  return closing(openDb(deps.dbPath, openOptions(deps, options)).db, work);
}

/** Like withDb, for work that awaits (prompts). */
export async function withDbAsync<T>(deps: Deps, work: (db: Db) => Promise<T>, options: OpenOptions = {}): Promise<T> {
  warnOfPassword(deps);
  return closingAsync(openDb(deps.dbPath, openOptions(deps, options)).db, work);
}

const openOptions = (deps: Deps, options: OpenOptions): OpenOptions => ({ busyTimeoutMs: deps.busyTimeoutMs, from: deps.dbFrom, ...options });

/** `work(store)`, then the store closed, whatever happens. */
function closing<S extends { close(): unknown }, T>(store: S, work: (store: S) => T): T {
  try {
    return work(store);
  } finally {
    store.close();
  }
}

async function closingAsync<S extends { close(): unknown }, T>(store: S, work: (store: S) => Promise<T>): Promise<T> {
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** withDb inside one read transaction: every query sees the same committed state of the store. */
export function withReadDb<T>(deps: Deps, work: (db: Db) => T): T {
  return withDb(deps, (db) => db.read(() => work(db)));
}

/** The runs (their Deps) already warned of a password in the store URL. */
const passwordWarned = new WeakSet<Deps>();

/**
 * A store URL with a password in it: warned of once per run, since the
 * command line and the environment of a process can be read by others on a
 * shared machine (docs/store.md, "PostgreSQL").
 */
export function warnOfPassword(deps: Deps): void {
  if (passwordWarned.has(deps)) return;
  const location = storeLocation(deps.dbPath, deps.dbFrom);
  if (location.kind !== 'postgres' || (location.url.password === '' && !location.url.searchParams.has('password'))) return;
  passwordWarned.add(deps);
  deps.io.warn(`the ${deps.dbFrom} URL holds a password, which others on this machine may read; prefer PGPASSWORD or ~/.pgpass`);
}
