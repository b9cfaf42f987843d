// Opening the store: the checks of docs/store.md in the order that never modifies a
// file we must refuse (missing, not SQLite, not pops, newer schema).
import fs from 'node:fs';
import nodePath from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, translateSqliteError } from '../base/errors.js';
import { requireHere } from '../base/require-here.js';
import { sleep } from '../base/sleep.js';
import { storeLocation } from '../base/store-location.js';
import { MIGRATIONS, READABLE_FROM_VERSION, SCHEMA_VERSION } from './migrations/index.js';
import { figureSource, refreshAccountFigures } from './balance-sql.js';

export type DB = Database.Database;

const SQLITE_HEADER = 'SQLite format 3\u0000';
/** How long a command waits for another one's write lock (docs/store.md: POPS_BUSY_TIMEOUT_MS). */
export const BUSY_TIMEOUT_MS = 5000;
/** How long to wait before trying the switch to WAL again (useWal). */
const WAL_RETRY_MS = 10;

export interface OpenOptions {
  /** `pops init`: create the file if missing, and accept an empty or version-0 SQLite file. */
  create?: boolean;
  /** Open read-only (no migration, no WAL switch). */
  readonly?: boolean;
  /**
   * Only read, but through a read-write connection when the file allows it
   * (no migration, no WAL switch): SQLite then removes the -wal and -shm it
   * made when the connection closes, which a read-only one cannot (shell
   * completion, docs/completion.md).
   */
  readsOnly?: boolean;
  /** The wait for a lock held by another process, in milliseconds (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** Where the store's location came from, for messages: `--db` (the default) or `POPS_DB`. */
  from?: string;
  /** A PostgreSQL store: the longest it may take to connect, and then to answer each statement (shell completion). */
  quickMs?: number;
  /**
   * Another connection of this process (another thread) has the store open:
   * its header, checked when that one opened it, is not read again. Closing a
   * descriptor of the file would drop every lock this process holds on it,
   * that connection's too (docs/store.md, "Transactions and waiting").
   */
  openHereAlready?: boolean;
}

export interface OpenedStore {
  db: DB;
  path: string;
  created: boolean;
  /** The schema version found before any migration ran. */
  previousVersion: number;
  /** The schema version the store is at now: older than SCHEMA_VERSION only when it could not be migrated (read-only, migrateUnlessReadOnly) or was opened read-only. */
  version: number;
}

export function openStore(path: string, options: OpenOptions = {}): OpenedStore {
  const location = storeLocation(path, options.from ?? '--db');
  // A PostgreSQL store is opened by openDb (open-db.ts); here only shell completion could ask, and it says nothing.
  if (location.kind === 'postgres') throw new StoreError(`a PostgreSQL store is not a store file: ${location.shown}`);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StoreError(`store cannot be read: ${path} (${(error as Error).message})`);
    }
  }
  if (!stat) {
    if (!options.create) {
      throw new StoreError(`store not found: ${path}`, 'Run `pops init` to create it (or `pops init --demo` for demo data), or pass --db.');
    }
    try {
      // Created 0600 before SQLite touches it: it holds patient data.
      fs.closeSync(fs.openSync(path, 'wx', 0o600));
    } catch (error) {
      // Another command made it meanwhile (two `init` at once): go on with that file, checked as any found one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(`store cannot be created: ${path} (${(error as Error).message})`);
      stat = statAgain(path);
    }
  }
  // (No stat: the file was made here, empty and 0600, for init.)
  if (stat?.isDirectory()) {
    throw new StoreError(`store path is a directory, not a file: ${path}`);
  } else if (stat !== undefined && stat.size > 0) {
    if (!options.openHereAlready) checkHeader(path);
  } else if (!options.create) {
    throw new StoreError(`not a pops store (empty file): ${path}`, 'Run `pops init` to create a store there.');
  }

  const addon = nativeBinding();
  let db: DB;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true, nativeBinding: addon });
  } catch (error) {
    if (!options.readsOnly) throw storeFailure(error, path);
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, nativeBinding: addon });
    } catch (again) {
      throw storeFailure(again, path);
    }
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    let version = readVersion(db, path);
    let otherTables = false;
    // No schema yet: the version again and the tables, both from one state, since another `init` may turn the
    // empty file into a store between two reads. (A store with its schema, every other start, pays nothing more.)
    if (version === 0) {
      [version, otherTables] = db.transaction(() => {
        const found = readVersion(db, path);
        return [found, found === 0 && hasUserTables(db)] as const;
      })();
    }
    if (version > SCHEMA_VERSION) throw newerStore(version, path);
    // Version 0: an SQLite file without the pops schema. `init` turns one without
    // tables into a store and refuses one with other tables, so only the first
    // is told to run `pops init`.
    if (otherTables) {
      throw new StoreError(`not a pops store (an SQLite database with other tables): ${path}`, 'Choose another --db path; this file was not modified.');
    }
    if (version === 0 && !options.create) {
      throw new StoreError(`not a pops store; run pops init: ${path}`);
    }
    let now = version;
    let previous = version;
    if (!options.readonly && !options.readsOnly) {
      useWal(db, options.busyTimeoutMs ?? BUSY_TIMEOUT_MS);
      db.pragma('foreign_keys = ON');
      const migratedFrom = version < SCHEMA_VERSION ? migrateUnlessReadOnly(db, version, path) : undefined;
      // A newer pops-admin may have migrated the store past this one while this one waited for the lock.
      if (migratedFrom !== undefined && migratedFrom > SCHEMA_VERSION) throw newerStore(migratedFrom, path);
      if (migratedFrom !== undefined) [previous, now] = [migratedFrom, SCHEMA_VERSION];
    } else {
      db.pragma('foreign_keys = ON');
    }
    // Made here: the schema, not just the file (another `init` at once may have made the schema first).
    return { db, path, created: previous === 0 && now === SCHEMA_VERSION, previousVersion: previous, version: now };
  } catch (error) {
    db.close();
    throw storeFailure(error, path);
  }
}

/**
 * A private, empty store of the current schema that no other process can
 * see: SQLite's anonymous database, whose file (made only once its pages no
 * longer fit in memory) is deleted as soon as it is opened, so that nothing
 * is left behind however pops ends. Import into a PostgreSQL store checks
 * and stages the dump in one (docs/store.md, "PostgreSQL").
 */
export function openScratchStore(): DB {
  const db = new Database('', { nativeBinding: nativeBinding() });
  try {
    db.pragma('cache_size = -16384');
    migrate(db, 0);
    return db;
  } catch (error) {
    db.close();
    throw translateSqliteError(error);
  }
}

/**
 * A small page cache (2 MiB instead of better-sqlite3's 16) for a command
 * that reads the store once from end to end: one pass gains nothing from a
 * bigger cache, and the cache would grow with the store (docs/performance.md, "Memory").
 */
export function useSmallCache(db: DB): void {
  db.pragma('cache_size = -2048');
}

/**
 * better-sqlite3's compiled addon, named outright. Left to itself better-sqlite3
 * finds it through the `bindings` package, which probes a dozen paths on every
 * start (start-up, docs/performance.md) and, with better-sqlite3 bundled into
 * dist/pops.cjs, would probe from the wrong folder. The addon is where a build
 * from source or a downloaded prebuilt binary puts it.
 */
function nativeBinding(): string {
  const packageDir = nodePath.dirname(requireHere.resolve('better-sqlite3/package.json'));
  for (const build of ['Release', 'Debug']) {
    const file = nodePath.join(packageDir, 'build', build, 'better_sqlite3.node');
    if (fs.existsSync(file)) return file;
  }
  throw new StoreError(
    `better-sqlite3's compiled addon is missing (looked in ${nodePath.join(packageDir, 'build')}): pops cannot open any store`,
    'Reinstall it: npm rebuild better-sqlite3',
  );
}

function newerStore(version: number, path: string): StoreError {
  return new StoreError(
    `store schema version ${version} is newer than this program supports (${SCHEMA_VERSION}): ${path}`,
    'Upgrade pops-admin to use this store; it was not modified.',
  );
}

/** The store file found after all where it was just missing (another `init` made it), or why there is none. */
function statAgain(path: string): fs.Stats {
  try {
    return fs.statSync(path);
  } catch (error) {
    // A link to a missing file: creating refuses to go through it, and stat finds nothing behind it.
    const target = linkTarget(path);
    if (target !== undefined) {
      // (As the link is followed: from the link's own folder.)
      throw new StoreError(
        `store cannot be created: ${path} is a symbolic link to a file that does not exist (${target})`,
        'Create the store at the link target itself (pops --db <target> init), or remove the link.',
      );
    }
    throw new StoreError(`store cannot be created: ${path} (${(error as Error).message})`);
  }
}

/** Where `path` leads when it is a symbolic link (a relative target taken from the link's folder), else undefined. */
function linkTarget(path: string): string | undefined {
  try {
    return nodePath.resolve(nodePath.dirname(path), fs.readlinkSync(path));
  } catch {
    return undefined;
  }
}

function checkHeader(path: string): void {
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    fs.readSync(fd, header, 0, 16, 0);
  } catch (error) {
    throw new StoreError(`store cannot be read: ${path} (${(error as Error).message})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new StoreError(`not a pops store (not an SQLite database): ${path}`, 'Check the --db path; this file was not modified.');
  }
}

function readVersion(db: DB, path: string): number {
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw storeFailure(error, path);
  }
}

function hasUserTables(db: DB): boolean {
  const row = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).get() as { n: number };
  return row.n > 0;
}

/** Apply migrations after `from`, all in one transaction. */
/**
 * Migrate an older store. One that cannot be written (an immutable file, a file
 * this user may only read) is read as it is when this program can
 * (READABLE_FROM_VERSION); its writes are then refused as any read-only
 * store's are. An older one is refused, saying why. The version it was
 * migrated from (migrate), or undefined when it was not.
 */
function migrateUnlessReadOnly(db: DB, from: number, path: string): number | undefined {
  try {
    return migrate(db, from);
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    // (A file without the schema yet, which init would make, is simply read-only: storeFailure says so.)
    if (from === 0 || typeof code !== 'string' || !code.startsWith('SQLITE_READONLY')) throw error;
    if (from >= READABLE_FROM_VERSION) return undefined;
    throw new StoreError(
      `store schema version ${from} must be migrated to ${SCHEMA_VERSION} before this program can use it, but the store is read-only: ${path}`,
      'Run any pops command once where the store can be written (pops init migrates it), or use the pops-admin that made it.',
    );
  }
}

/** Migrate to SCHEMA_VERSION; the version found under the write lock, which another process may have migrated meanwhile. */
function migrate(db: DB, from: number): number {
  const run = db.transaction(() => {
    // Another process may have migrated while this one waited for the lock.
    const current = Math.max(from, db.pragma('user_version', { simple: true }) as number);
    if (current >= SCHEMA_VERSION) return current;
    for (let version = current + 1; version <= SCHEMA_VERSION; version += 1) {
      const migration = MIGRATIONS[version - 1];
      for (const [name, fn] of Object.entries(migration.functions ?? {})) db.function(name, { deterministic: true }, fn);
      db.exec(migration.sql);
    }
    // The stored figures (migration 4) of the accounts a migrated store already holds, computed by the
    // rules of this program on the schema as it is now.
    if (figureSource(db) === 'computed') refreshAccountFigures(db, { kind: 'all' });
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return current;
  });
  // A migration may rebuild a table that others refer to (docs/store.md), which
  // needs foreign keys off; SQLite ignores that switch inside a transaction.
  db.pragma('foreign_keys = OFF');
  try {
    return run.immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

function storeFailure(error: unknown, path: string): unknown {
  // On a read-only file system (or an immutable file) SQLite says only "unable
  // to open database file": WAL mode needs to create the -wal and -shm files
  // beside the store, even to read. Say what is wrong.
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY')) && !writable(path)) {
    return new StoreError(
      `store is read-only: ${path} (SQLite must write its -wal and -shm files beside it, even to read)`,
      'Check the file and directory permissions, or whether the file system is mounted read-only.',
    );
  }
  const translated = translateSqliteError(error);
  if (translated !== error && translated instanceof StoreError) {
    return new StoreError(`${translated.message}: ${path}`, translated.hint);
  }
  return translated;
}

/**
 * Switch the store to WAL (docs/store.md), waiting as long as for any lock.
 * SQLite answers SQLITE_BUSY at once, without waiting, when another
 * connection holds the file while the switch is made (two `init` of a new
 * store at once): the switch is tried again until the wait is over.
 */
function useWal(db: DB, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      sleep(WAL_RETRY_MS);
    }
  }
}

/** Whether the store file and its directory (where SQLite keeps -wal and -shm) can be written. */
function writable(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.W_OK);
    fs.accessSync(nodePath.dirname(path), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
