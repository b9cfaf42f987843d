// The snapshot service behind `preview --all --out <dir>` and `preview --all
// --check <dir>`: every page rendered through its own group, written as files
// or compared with them. Large runs are split over helper threads, each
// running snapshot-worker.ts (built as dist/snapshot-worker.cjs). Groups are
// loaded once for the whole run; accounts are read in batches.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IO } from '../base/io.js';
import { packageFile } from '../base/paths.js';
import { buildAccountPage, showsCollectionPanel } from '../domain/account-page.js';
import type { Group } from '../domain/group-settings.js';
import { EXIT, PopsError, translateSqliteError, UsageError } from '../base/errors.js';
import { renderAccountPage } from '../render/account-page.js';
import { sanitize } from '../base/sanitize.js';
import { comparisonReport, groupDirectory, snapshotFileName, type SnapshotDifference } from '../render/snapshots.js';
import { readAccounts, splitAccountIds, type AccountSelection } from '../store/accounts.js';
import { listGroups, resolveGroup } from '../store/groups.js';
import { openStore, type DB } from '../store/open.js';

/** Where the service reads and reports: the store and the streams of the command that asked. */
export interface SnapshotEnv {
  io: IO;
  dbPath: string;
  busyTimeoutMs?: number;
}

/** Run `work` with the store open, closing it whatever happens. */
async function withDb<T>(env: SnapshotEnv, work: (db: DB) => T | Promise<T>): Promise<T> {
  const { db } = openStore(env.dbPath, { busyTimeoutMs: env.busyTimeoutMs });
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

export interface SnapshotOptions {
  dir: string;
  /** Only this group's accounts (name or id). */
  group?: string;
  width: number;
}

export async function writeSnapshots(env: SnapshotEnv, options: SnapshotOptions): Promise<void> {
  const { dir } = options;
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`cannot write snapshots to ${dir}: it is not a directory`);
  const written: string[] = [];
  const noFooterNumber = new Map<string, number>();
  let stale = new Set<string>();
  let threads = 1;
  await withDb(env, async (db) => {
    const scope = scopeOf(db, options.group);
    stale = existingSnapshots(dir, scope.directory);
    // Large runs are split by account id: this thread renders the first part,
    // helper threads the others, each with its own read-only connection.
    const maxThreads = WORKER_FILE !== null ? Math.min(MAX_THREADS, os.availableParallelism()) : 1;
    const starts = splitAccountIds(db, scope.group?.id, maxThreads, MIN_ACCOUNTS_PER_THREAD);
    const runs = starts.map((fromId, k) => ({ fromId, beforeId: starts[k + 1] }));
    threads = Math.max(1, runs.length);
    const helpers: Helper[] = [];
    try {
      for (const run of runs.slice(1))
        helpers.push(startHelper({ dbPath: env.dbPath, busyTimeoutMs: env.busyTimeoutMs, dir, width: options.width, groupId: scope.group?.id, ...run }));
      const own = writeRun(db, { dir, width: options.width, groupId: scope.group?.id, beforeId: runs[1]?.fromId });
      for (const result of [own, ...(await Promise.all(helpers.map((helper) => helper.result)))]) {
        written.push(...result.written);
        for (const [name, pages] of result.noFooterNumber) noFooterNumber.set(name, (noFooterNumber.get(name) ?? 0) + pages);
      }
    } finally {
      await Promise.all(helpers.map((helper) => helper.stop()));
    }
  });
  warnNoFooterNumber(env, noFooterNumber);
  for (const relative of written) stale.delete(relative);
  env.io.err(`pops: wrote ${written.length} snapshot${written.length === 1 ? '' : 's'} to ${dir}${threads > 1 ? ` (rendered on ${threads} threads)` : ''}\n`);
  if (stale.size > 0) {
    env.io.warn(
      `${stale.size} other file${stale.size === 1 ? '' : 's'} in ${dir} (e.g. ${[...stale].sort()[0]}) ${stale.size === 1 ? 'is' : 'are'} not the page of a current account; --check will report ${stale.size === 1 ? 'it' : 'them'} as missing`,
    );
  }
}

/** One part of a `preview --all --out` run: accounts with ids in [fromId, beforeId). */
export interface SnapshotRun {
  dir: string;
  width: number;
  groupId?: number;
  fromId?: number;
  beforeId?: number;
}

interface RunResult {
  /** `<group>/<account>.txt` of every file written. */
  written: string[];
  /** Per group name, the Collection Balance panels that could only say "contact the office". */
  noFooterNumber: [string, number][];
}

/**
 * Render and write one run's pages with `db`, all read in one read
 * transaction: one consistent view of the store even if someone writes
 * meanwhile (a helper thread's view begins a moment later than this thread's).
 */
function writeRun(db: DB, run: SnapshotRun): RunResult {
  return db.transaction(() => writeRunPages(db, run))();
}

function writeRunPages(db: DB, run: SnapshotRun): RunResult {
  const written: string[] = [];
  const noFooterNumber = new Map<string, number>();
  const made = new Set<string>();
  const pages = renderEach(db, { groupId: run.groupId, fromId: run.fromId, beforeId: run.beforeId }, run.width, noFooterNumber);
  for (const { relative, text } of pages) {
    const directory = relative.slice(0, relative.indexOf('/'));
    try {
      if (!made.has(directory)) {
        // Snapshots show patients' names and balances: readable by their owner only.
        makeDirectories(path.join(run.dir, directory));
        made.add(directory);
      }
      fs.writeFileSync(path.join(run.dir, relative), text, { mode: 0o600 });
    } catch (error) {
      throw new UsageError(`cannot write ${path.join(run.dir, relative)}: ${(error as Error).message}`);
    }
    written.push(relative);
  }
  return { written, noFooterNumber: [...noFooterNumber] };
}

// Helper threads run dist/snapshot-worker.cjs, which the build makes beside
// the bundle; from the TypeScript sources everything is rendered on one thread.
const WORKER_FILE = import.meta.url.endsWith('.cjs') ? workerFile() : null;

function workerFile(): string | null {
  const file = packageFile('dist/snapshot-worker.cjs');
  return fs.existsSync(file) ? fileURLToPath(file) : null;
}
/** Below this many accounts a helper thread costs more to start than it saves. */
const MIN_ACCOUNTS_PER_THREAD = 1000;
const MAX_THREADS = 4;

interface Helper {
  result: Promise<RunResult>;
  /** Stop the thread if it is still running (after a failure elsewhere). */
  stop(): Promise<void>;
}

type HelperMessage = { ok: true; result: RunResult } | { ok: false; message: string; exitCode: number; hint?: string; stack?: string };

export type HelperRun = SnapshotRun & { dbPath: string; busyTimeoutMs?: number };

function startHelper(run: HelperRun): Helper {
  const worker = new Worker(WORKER_FILE!, { workerData: run });
  const result = new Promise<RunResult>((resolve, reject) => {
    worker.once('message', (message: HelperMessage) => {
      if (message.ok) return resolve(message.result);
      const error = message.exitCode === EXIT.internal ? new Error(message.message) : new PopsError(message.message, message.exitCode, message.hint);
      if (message.stack) error.stack = message.stack;
      reject(error);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a snapshot thread stopped early (exit code ${code})`)));
  });
  result.catch(() => undefined); // handled where it is awaited; a failure elsewhere may come first
  return { result, stop: async () => void (await worker.terminate()) };
}

/** A helper thread's whole work: open the store read-only, render and write its run, report back. */
export function runSnapshotHelper(run: HelperRun): HelperMessage {
  try {
    const { db } = openStore(run.dbPath, { readonly: true, busyTimeoutMs: run.busyTimeoutMs });
    try {
      return { ok: true, result: writeRun(db, run) };
    } finally {
      db.close();
    }
  } catch (caught) {
    const error = translateSqliteError(caught);
    if (error instanceof PopsError) return { ok: false, message: error.message, exitCode: error.exitCode, hint: error.hint, stack: error.stack };
    const plain = error instanceof Error ? error : new Error(String(error));
    return { ok: false, message: plain.message, exitCode: EXIT.internal, stack: plain.stack };
  }
}

/** Compare with the snapshots in `options.dir`; true when anything differs. */
export async function checkSnapshots(env: SnapshotEnv, options: SnapshotOptions): Promise<boolean> {
  const { dir } = options;
  if (!fs.existsSync(dir)) throw new UsageError(`snapshot directory not found: ${dir}`, 'Take snapshots first: pops preview --all --out <dir>');
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const differences: SnapshotDifference[] = [];
  let unchanged = 0;
  await withDb(env, (db) => {
    const scope = scopeOf(db, options.group);
    const remaining = existingSnapshots(dir, scope.directory);
    const noFooterNumber = new Map<string, number>();
    // One read transaction: every page from the same state of the store.
    db.transaction(() => {
      for (const { relative, text } of renderEach(db, { groupId: scope.group?.id }, options.width, noFooterNumber)) {
        if (!remaining.delete(relative)) {
          differences.push({ status: 'new', path: relative });
          continue;
        }
        const before = fs.readFileSync(path.join(dir, relative), 'utf8');
        if (before === text) unchanged += 1;
        else differences.push({ status: 'changed', path: relative, before, after: text });
      }
    })();
    for (const relative of remaining) differences.push({ status: 'missing', path: relative });
    warnNoFooterNumber(env, noFooterNumber);
  });
  env.io.out(comparisonReport(differences, unchanged));
  return differences.length > 0;
}

interface Scope {
  /** Only this group's accounts; undefined for all. */
  group?: Group;
  /** The snapshot subdirectory the scope owns; undefined for the whole directory. */
  directory?: string;
}

function scopeOf(db: DB, groupName: string | undefined): Scope {
  if (groupName === undefined) return {};
  const group = resolveGroup(db, groupName);
  return { group, directory: groupDirectory(group) };
}

/**
 * Every account in scope rendered through its own group, without color, as
 * `<group>/<account>.txt` and its text. Pages whose Collection Balance panel
 * can only say "contact the office" are counted per group in `noFooterNumber`.
 */
function* renderEach(db: DB, scope: AccountSelection, width: number, noFooterNumber: Map<string, number>): Generator<{ relative: string; text: string }> {
  const groups = new Map(listGroups(db).map((group) => [group.id, group]));
  const directories = new Map<number, string>();
  for (const record of readAccounts(db, scope)) {
    const group = groups.get(record.groupId);
    if (!group) continue; // foreign keys make this impossible; `pops doctor` reports it
    const page = buildAccountPage(record, group);
    if (group.footerPhone === null && group.accountDashboard && showsCollectionPanel(group, page.figures)) {
      noFooterNumber.set(group.name, (noFooterNumber.get(group.name) ?? 0) + 1);
    }
    let directory = directories.get(group.id);
    if (directory === undefined) directories.set(group.id, (directory = groupDirectory(group)));
    yield { relative: `${directory}/${snapshotFileName(record.accountNumber)}`, text: renderAccountPage(page, { width, color: false }) };
  }
}

function warnNoFooterNumber(env: SnapshotEnv, noFooterNumber: ReadonlyMap<string, number>): void {
  for (const [name, pages] of [...noFooterNumber].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    env.io.warn(
      `group ${JSON.stringify(sanitize(name))} has no footer number: ${pages} Collection Balance panel${pages === 1 ? ' tells' : 's tell'} the patient to contact the office`,
    );
  }
}

/** `<slug>/<file>.txt` paths under `dir` (only `directory` when given). */
function existingSnapshots(dir: string, directory: string | undefined): Set<string> {
  const found = new Set<string>();
  if (!fs.existsSync(dir)) return found;
  const subdirectories =
    directory !== undefined
      ? [directory]
      : fs
          .readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name);
  for (const sub of subdirectories) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, sub), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) if (entry.isFile() && entry.name.endsWith('.txt')) found.add(`${sub}/${entry.name}`);
  }
  return found;
}

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir never returns on
 * some paths (under /proc it loops on ENOENT), so each level is made, or found
 * to exist, by itself, and the first real failure is reported.
 */
function makeDirectories(target: string): void {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  for (let current = absolute; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing) {
    try {
      fs.mkdirSync(level, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
