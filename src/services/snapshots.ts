// The snapshot service behind `preview --all --out <dir>` and `preview --all
// --check <dir>` (`--pages …`): the requested pages of every account, each
// rendered through the account's own group, written as files or compared with
// them (docs/formats.md, "Preview snapshots"). Large runs are split over
// helper threads, each running snapshot-worker.ts (built as
// dist/snapshot-worker.cjs). A set of snapshots shows one committed state of
// the store, and is written all or nothing (docs/performance.md, "Snapshots").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import url from 'node:url';
import { lazyModule } from '../base/lazy.js';
import type { IO } from '../base/io.js';
import { packageFile } from '../base/paths.js';
import { cannotWrite, isTemporaryOf, plainReason, StagedFiles, type StagedFile } from '../base/output-file.js';
import { buildAccountPage, showsCollectionNotice } from '../domain/account-page.js';
import type { Group } from '../domain/group-settings.js';
import { VIEW_NAMES, type PortalView } from '../domain/portal.js';
import { EXIT, PopsError, StoreError, translateSqliteError, UsageError } from '../base/errors.js';
import { renderView } from '../render/portal-pages.js';
import { sanitize } from '../base/sanitize.js';
import { comparisonReport, groupDirectories, snapshotFileName, snapshotFileView, type SnapshotDifference } from '../render/snapshots.js';
import { readAccounts, splitAccountIds, type AccountSelection } from '../store/accounts.js';
import { DOCTOR_HINT, refuseAccountsWithoutGroup } from '../store/consistency.js';
import { listGroups, resolveGroup } from '../store/groups.js';
import { openStore, type DB } from '../store/open.js';

// Loaded when a run starts helper threads (start-up, docs/performance.md).
const workerThreads = lazyModule<typeof import('node:worker_threads')>('node:worker_threads');

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
  /** The views to render for each account, each once (docs/formats.md, "Preview snapshots"). */
  views: readonly PortalView[];
}

/** The same options with each view once (a page is written once, whatever the list says). */
function eachViewOnce(options: SnapshotOptions): SnapshotOptions {
  return { ...options, views: [...new Set(options.views)] };
}

export async function writeSnapshots(env: SnapshotEnv, given: SnapshotOptions): Promise<void> {
  const options = eachViewOnce(given);
  const { dir } = options;
  // The folder is made even when no page goes into it, so that --check of the same (empty) set finds it.
  const madeLevels = makeDirectories(dir);
  let before: Set<string>;
  try {
    before = new Set(fs.readdirSync(dir));
  } catch (error) {
    throw cannotWrite(dir, plainReason(error));
  }
  const files = new StagedFiles();
  let set: StagedSet;
  try {
    set = await withDb(env, (db) => stageSet(env, db, options, files));
    files.commit();
  } catch (error) {
    // All or nothing: the folder goes back to what it was.
    files.discard();
    restoreFolder(dir, before, files.run, madeLevels);
    throw error;
  }
  warnNoFooterNumber(env, set.noFooterNumber);
  // Only files of the requested views count (existingSnapshots).
  const stale = set.existing;
  for (const relative of set.written) stale.delete(relative);
  const count = set.written.length;
  env.io.err(`pops: wrote ${count} snapshot${count === 1 ? '' : 's'} to ${dir}${set.threads > 1 ? ` (rendered on ${set.threads} threads)` : ''}\n`);
  if (stale.size > 0) {
    env.io.warn(
      `${stale.size} other file${stale.size === 1 ? '' : 's'} in ${dir} (e.g. ${[...stale].sort()[0]}) ${stale.size === 1 ? 'is' : 'are'} not the page of a current account; --check will report ${stale.size === 1 ? 'it' : 'them'} as missing`,
    );
  }
}

/** What a `--out` run staged, before its files are renamed into place. */
interface StagedSet {
  written: string[];
  noFooterNumber: NoticeCounts;
  /** The snapshot files in scope (of the requested views) that were there before the run. */
  existing: Set<string>;
  threads: number;
}

/**
 * Render and stage every page of the run into `files`, from one committed
 * state of the store. Large runs are split by account id over helper threads,
 * each with its own read-only connection and read transaction. SQLite cannot
 * hand one snapshot to several connections, so they agree on one instead:
 * a probe connection reads `PRAGMA data_version` (which moves with every
 * commit of another connection) before this thread starts its transaction and
 * again once every helper has started its own. Unchanged, nobody committed in
 * between and all transactions see the same state; changed, everyone starts
 * over, and after a few tries this thread renders everything by itself.
 */
async function stageSet(env: SnapshotEnv, db: DB, options: SnapshotOptions, files: StagedFiles): Promise<StagedSet> {
  const threadsWanted = workerFilePath() !== null ? Math.min(MAX_THREADS, os.availableParallelism()) : 1;
  // Which ids each thread renders: any split of the ids will do, so it is made before the state is chosen.
  const group = scopeOf(db, options.group);
  if (group === undefined) refuseAccountsWithoutGroup(db, 'no snapshots taken');
  const starts = splitAccountIds(db, group?.id, threadsWanted, MIN_ACCOUNTS_PER_THREAD);
  const parts = starts.map((fromId, k) => ({ fromId, beforeId: starts[k + 1] }));
  const probe = parts.length > 1 ? openStore(env.dbPath, { readonly: true, busyTimeoutMs: env.busyTimeoutMs }).db : undefined;
  const started: Helper[] = [];
  try {
    let version = probe ? dataVersion(probe) : 0;
    beginRead(db);
    const abort = new Int32Array(new SharedArrayBuffer(4));
    for (const part of parts.slice(1)) {
      started.push(
        startHelper({
          dbPath: env.dbPath,
          busyTimeoutMs: env.busyTimeoutMs,
          dir: options.dir,
          width: options.width,
          views: options.views,
          groupId: group?.id,
          ...part,
          run: files.run,
          abort,
        }),
      );
    }
    const helpers = [...started];
    let agreed = helpers.length === 0;
    for (let attempt = 1; !agreed && attempt <= AGREEMENT_ATTEMPTS; attempt += 1) {
      for (const helper of helpers) await helper.expect('begun');
      const now = dataVersion(probe!);
      agreed = now === version;
      if (agreed || attempt === AGREEMENT_ATTEMPTS) break;
      version = now;
      db.exec('ROLLBACK');
      beginRead(db);
      for (const helper of helpers) helper.send('again');
    }
    if (!agreed) {
      // The store kept changing: one thread, one transaction.
      for (const helper of helpers.splice(0)) helper.send('stop');
    }
    for (const helper of helpers) helper.send('go');

    const own: SnapshotRun = {
      dir: options.dir,
      width: options.width,
      views: options.views,
      groupId: group?.id,
      beforeId: helpers.length > 0 ? parts[1].fromId : undefined,
    };
    const results: RunResult[] = [];
    let failure: unknown;
    try {
      results.push(stageRun(db, own, files));
    } catch (error) {
      failure = error;
      Atomics.store(abort, 0, 1);
    }
    // Every helper finishes (or stops at the abort) before anything is renamed or removed; what it staged is
    // adopted even when it failed, so that it is removed with the rest.
    for (const helper of helpers) {
      const reply = await helper.next();
      if (!(reply instanceof Error)) files.adopt(reply.staged ?? []);
      if (!(reply instanceof Error) && reply.type === 'staged') {
        results.push(reply.result);
        continue;
      }
      failure ??= helperFailure(reply);
      Atomics.store(abort, 0, 1);
    }
    if (failure !== undefined) throw failure;

    const noFooterNumber: NoticeCounts = new Map();
    const written: string[] = [];
    for (const result of results) {
      written.push(...result.written);
      for (const [name, counts] of result.noFooterNumber) addNotices(noFooterNumber, name, counts);
    }
    const directory = group ? groupDirectories(listGroups(db)).get(group.id) : undefined;
    return { written, noFooterNumber, existing: existingSnapshots(options.dir, directory, options.views), threads: 1 + helpers.length };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    for (const helper of started) await helper.stop();
    probe?.close();
  }
}

/** Start a read transaction and take its snapshot now (SQLite takes it at the first read). */
function beginRead(db: DB): void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM groups').pluck().get();
}

function dataVersion(db: DB): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/** One part of a `preview --all --out` run: accounts with ids in [fromId, beforeId). */
export interface SnapshotRun {
  dir: string;
  width: number;
  /** The views rendered for each account. */
  views: readonly PortalView[];
  groupId?: number;
  fromId?: number;
  beforeId?: number;
}

interface RunResult {
  /** `<group>/<account>[.<view>].txt` of every page staged. */
  written: string[];
  /** Per group name, the pages whose collection notice could only say "contact the office". */
  noFooterNumber: [string, NoticeCount][];
}

/**
 * Pages of a group without a footer number that tell the patient to contact
 * the office: Account pages (their Collection Balance panel) and Pay and
 * QuickPay pages (their collection balance line).
 */
interface NoticeCount {
  panels: number;
  lines: number;
}

type NoticeCounts = Map<string, NoticeCount>;

function addNotices(counts: NoticeCounts, name: string, add: NoticeCount): void {
  const now = counts.get(name) ?? { panels: 0, lines: 0 };
  counts.set(name, { panels: now.panels + add.panels, lines: now.lines + add.lines });
}

/**
 * Render one part's pages with `db` (inside its read transaction) and stage
 * each into `files`; stops when `abort` is set. A group folder that does not
 * exist yet is staged whole (one rename on commit); in one that exists, each
 * page is staged beside the page it replaces.
 */
function stageRun(db: DB, run: SnapshotRun, files: StagedFiles, abort?: Int32Array): RunResult {
  const written: string[] = [];
  const noFooterNumber: NoticeCounts = new Map();
  /** Per group folder: the temporary folder its pages go to, or null when they are staged one by one. */
  const folders = new Map<string, string | null>();
  const scope = { groupId: run.groupId, fromId: run.fromId, beforeId: run.beforeId };
  for (const { relative, text } of renderEach(db, scope, run.width, run.views, noFooterNumber)) {
    if (abort !== undefined && Atomics.load(abort, 0) !== 0) throw new Aborted();
    const directory = relative.slice(0, relative.indexOf('/'));
    let staging = folders.get(directory);
    if (staging === undefined) {
      const folder = path.join(run.dir, directory);
      const state = folderState(folder);
      if (state === 'other') throw cannotWrite(folder, 'it is not a folder');
      staging = state === 'missing' ? files.stageFolder(folder) : null;
      folders.set(directory, staging);
    }
    if (staging === null) files.stage(path.join(run.dir, relative), text);
    else files.stageInto(staging, path.join(run.dir, relative), text);
    written.push(relative);
  }
  return { written, noFooterNumber: [...noFooterNumber] };
}

/** Whether nothing is at `folder` (not even a link), a folder (or a link to one), or something else. */
function folderState(folder: string): 'missing' | 'folder' | 'other' {
  try {
    if (fs.lstatSync(folder, { throwIfNoEntry: false }) === undefined) return 'missing';
    return fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory() ? 'folder' : 'other';
  } catch (error) {
    throw cannotWrite(folder, plainReason(error));
  }
}

/** A helper thread stopped because another thread failed. */
class Aborted extends Error {}

// Helper threads run dist/snapshot-worker.cjs, which the build makes beside
// the bundle; from the TypeScript sources everything is rendered on one thread.
let workerFileFound: string | null | undefined;
/** dist/snapshot-worker.cjs when running from the bundle and it is there, else null (looked up on first use). */
const workerFilePath = (): string | null => (workerFileFound ??= import.meta.url.endsWith('.cjs') ? workerFile() : null);

function workerFile(): string | null {
  const file = packageFile('dist/snapshot-worker.cjs');
  return fs.existsSync(file) ? url.fileURLToPath(file) : null;
}
/** Below this many accounts a helper thread costs more to start than it saves. */
const MIN_ACCOUNTS_PER_THREAD = 1000;
const MAX_THREADS = 4;
/** Tries at one shared state before this thread renders everything itself. */
const AGREEMENT_ATTEMPTS = 5;

export type HelperRun = SnapshotRun & {
  dbPath: string;
  busyTimeoutMs?: number;
  /** The run's name for temporary files (StagedFiles). */
  run: string;
  /** Set to 1 (Atomics) when another thread failed: stop and remove what was staged. */
  abort: Int32Array;
};

/** From the thread that started it to a helper. */
export type HelperCommand = 'again' | 'go' | 'stop';

/** From a helper to the thread that started it. */
export type HelperReply =
  | { type: 'begun'; staged?: undefined }
  | { type: 'staged'; result: RunResult; staged: readonly StagedFile[] }
  | { type: 'aborted'; staged: readonly StagedFile[] }
  | { type: 'failed'; message: string; exitCode: number; hint?: string; stack?: string; staged?: readonly StagedFile[] };

interface Helper {
  /** The next reply, or the error the thread died of. */
  next(): Promise<HelperReply | Error>;
  /** The next reply, which must be of this type; anything else is thrown as the error it reports. */
  expect<T extends 'begun' | 'staged'>(type: T): Promise<Extract<HelperReply, { type: T }>>;
  send(command: HelperCommand): void;
  /** Stop the thread if it is still running. */
  stop(): Promise<void>;
}

function startHelper(run: HelperRun): Helper {
  const worker = new (workerThreads().Worker)(workerFilePath()!, { workerData: run });
  const inbox: (HelperReply | Error)[] = [];
  let waiting: ((reply: HelperReply | Error) => void) | undefined;
  const deliver = (reply: HelperReply | Error) => {
    if (waiting) {
      const wake = waiting;
      waiting = undefined;
      wake(reply);
    } else inbox.push(reply);
  };
  worker.on('message', deliver);
  worker.once('error', deliver);
  worker.once('exit', (code) => deliver(new Error(`a snapshot thread stopped early (exit code ${code})`)));
  const next = () => (inbox.length > 0 ? Promise.resolve(inbox.shift()!) : new Promise<HelperReply | Error>((resolve) => (waiting = resolve)));
  return {
    next,
    async expect(type) {
      const reply = await next();
      if (!(reply instanceof Error) && reply.type === type) return reply as Extract<HelperReply, { type: typeof type }>;
      throw helperFailure(reply);
    },
    send: (command) => worker.postMessage(command),
    stop: async () => void (await worker.terminate()),
  };
}

/** The error a helper's reply (or death) stands for. */
function helperFailure(reply: HelperReply | Error): Error {
  if (reply instanceof Error) return reply;
  if (reply.type !== 'failed') return new Aborted(`a snapshot thread stopped (${reply.type})`);
  const error = reply.exitCode === EXIT.internal ? new Error(reply.message) : new PopsError(reply.message, reply.exitCode, reply.hint);
  if (reply.stack) error.stack = reply.stack;
  return error;
}

/**
 * A helper thread's side of a run: open the store read-only and start a read
 * transaction (`begun`); start it again on `again`; on `go` render and stage
 * its part, then report the staged files (or remove them and report why not).
 */
export class SnapshotHelper {
  private db?: DB;
  /** Nothing more to do: the thread may end. */
  done = false;

  constructor(private readonly run: HelperRun) {}

  begin(): HelperReply {
    return this.guard(() => {
      this.db = openStore(this.run.dbPath, { readonly: true, busyTimeoutMs: this.run.busyTimeoutMs }).db;
      beginRead(this.db);
      return { type: 'begun' };
    });
  }

  handle(command: HelperCommand): HelperReply | undefined {
    const db = this.db!;
    if (command === 'again') {
      return this.guard(() => {
        db.exec('ROLLBACK');
        beginRead(db);
        return { type: 'begun' };
      });
    }
    if (command === 'stop') {
      this.finish();
      return undefined;
    }
    // The run's temporary names, with this thread's part in them (each thread counts its files from 1).
    const files = new StagedFiles(this.run.run, String(this.run.fromId));
    // Whatever happens, the thread that started this one removes or renames what was staged.
    const reply = this.guard((): HelperReply => {
      try {
        return { type: 'staged', result: stageRun(db, this.run, files, this.run.abort), staged: [...files.staged] };
      } catch (error) {
        if (error instanceof Aborted) return { type: 'aborted', staged: [...files.staged] };
        throw error;
      }
    });
    this.finish();
    return reply.type === 'failed' ? { ...reply, staged: [...files.staged] } : reply;
  }

  private guard(work: () => HelperReply): HelperReply {
    try {
      return work();
    } catch (caught) {
      this.finish();
      const error = translateSqliteError(caught);
      if (error instanceof PopsError) return { type: 'failed', message: error.message, exitCode: error.exitCode, hint: error.hint, stack: error.stack };
      const plain = error instanceof Error ? error : new Error(String(error));
      return { type: 'failed', message: plain.message, exitCode: EXIT.internal, stack: plain.stack };
    }
  }

  private finish(): void {
    this.done = true;
    if (this.db?.open) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    }
  }
}

/** Compare with the snapshots in `options.dir`; true when anything differs. */
export async function checkSnapshots(env: SnapshotEnv, given: SnapshotOptions): Promise<boolean> {
  const options = eachViewOnce(given);
  const { dir } = options;
  if (!fs.existsSync(dir)) throw new UsageError(`snapshot directory not found: ${dir}`, 'Take snapshots first: pops preview --all --out <dir>');
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const differences: SnapshotDifference[] = [];
  let unchanged = 0;
  let unchecked = new Set<string>();
  await withDb(env, (db) => {
    const noFooterNumber: NoticeCounts = new Map();
    // One read transaction: every page from the same state of the store.
    db.transaction(() => {
      const group = scopeOf(db, options.group);
      if (group === undefined) refuseAccountsWithoutGroup(db, 'no snapshots taken');
      // Only files of the requested views can be missing.
      const directory = group ? groupDirectories(listGroups(db)).get(group.id) : undefined;
      const remaining = existingSnapshots(dir, directory, options.views);
      // Pages of other views in the tree are not compared; a check must not look like an all-clear for them.
      unchecked = existingSnapshots(
        dir,
        directory,
        VIEW_NAMES.filter((view) => !options.views.includes(view)),
      );
      for (const { relative, text } of renderEach(db, { groupId: group?.id }, options.width, options.views, noFooterNumber)) {
        if (!remaining.delete(relative)) {
          differences.push({ status: 'new', path: relative });
          continue;
        }
        const before = fs.readFileSync(path.join(dir, relative), 'utf8');
        if (before === text) unchanged += 1;
        else differences.push({ status: 'changed', path: relative, before, after: text });
      }
      for (const relative of remaining) differences.push({ status: 'missing', path: relative });
    })();
    warnNoFooterNumber(env, noFooterNumber);
  });
  env.io.out(comparisonReport(differences, unchanged));
  if (unchecked.size > 0) {
    const views = [...new Set([...unchecked].map((relative) => snapshotFileView(relative.slice(relative.indexOf('/') + 1))))].sort();
    env.io.warn(
      `${unchecked.size} snapshot file${unchecked.size === 1 ? '' : 's'} of other pages (${views.join(', ')}) in ${dir} ${unchecked.size === 1 ? 'was' : 'were'} not checked; add --pages all to check every page`,
    );
  }
  return differences.length > 0;
}

/** Only this group's accounts; undefined for all. */
function scopeOf(db: DB, groupName: string | undefined): Group | undefined {
  return groupName === undefined ? undefined : resolveGroup(db, groupName);
}

/**
 * Every account in scope rendered through its own group, without color, once
 * into an AccountPage and from it each of `views`, as
 * `<group>/<account>[.<view>].txt` and its text. Pages whose collection notice
 * can only say "contact the office" are counted per group in `noFooterNumber`.
 */
function* renderEach(
  db: DB,
  scope: AccountSelection,
  width: number,
  views: readonly PortalView[],
  noFooterNumber: NoticeCounts,
): Generator<{ relative: string; text: string }> {
  const list = listGroups(db);
  const groups = new Map(list.map((group) => [group.id, group]));
  const directories = groupDirectories(list);
  for (const record of readAccounts(db, scope)) {
    const group = groups.get(record.groupId);
    // Refused above for the whole store (docs/store.md); this catches a helper's part as well.
    if (!group)
      throw new StoreError(`store is inconsistent: account ${record.accountNumber} belongs to a group that does not exist; no snapshots taken`, DOCTOR_HINT);
    const page = buildAccountPage(record, group);
    const directory = directories.get(group.id)!;
    for (const view of views) {
      if (group.footerPhone === null && showsCollectionNotice(view, group, page.figures)) {
        addNotices(noFooterNumber, group.name, view === 'account' ? { panels: 1, lines: 0 } : { panels: 0, lines: 1 });
      }
      yield { relative: `${directory}/${snapshotFileName(record.accountNumber, view)}`, text: renderView(view, page, { width, color: false }) };
    }
  }
}

/**
 * One warning per group without a footer number whose pages tell the patient
 * to contact the office: `N Collection Balance panels` (Account pages, the v1
 * words) `and M collection balance lines` (Pay and QuickPay pages), whichever
 * there are.
 */
function warnNoFooterNumber(env: SnapshotEnv, noFooterNumber: NoticeCounts): void {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  for (const [name, { panels, lines }] of [...noFooterNumber].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = [...(panels > 0 ? [plural(panels, 'Collection Balance panel')] : []), ...(lines > 0 ? [plural(lines, 'collection balance line')] : [])];
    if (parts.length === 0) continue;
    const verb = panels + lines === 1 ? 'tells' : 'tell';
    env.io.warn(`group ${JSON.stringify(sanitize(name))} has no footer number: ${parts.join(' and ')} ${verb} the patient to contact the office`);
  }
}

/**
 * `<slug>/<file>.txt` paths under `dir` (only `directory` when given) of the
 * files that count with one of `views` (snapshotFileView): a Home page is not
 * missing when only Account pages are checked, nor an Account page when only
 * Home pages are.
 */
function existingSnapshots(dir: string, directory: string | undefined, views: readonly PortalView[]): Set<string> {
  const found = new Set<string>();
  if (!fs.existsSync(dir)) return found;
  const subdirectories =
    directory !== undefined
      ? [directory]
      : fs
          .readdirSync(dir, { withFileTypes: true })
          // Hidden folders are not group folders (a killed run's temporary folder is one).
          .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
          .map((e) => e.name);
  for (const sub of subdirectories) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, sub), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const view = snapshotFileView(entry.name);
      if (view !== undefined && views.includes(view)) found.add(`${sub}/${entry.name}`);
    }
  }
  return found;
}

/**
 * After a failed `--out`: remove the run's temporary files (also any a helper
 * thread could not), the group folders it made and the levels of `dir` it made.
 */
function restoreFolder(dir: string, before: ReadonlySet<string>, run: string, madeLevels: readonly string[]): void {
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    // gone already
  }
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const sub = path.join(dir, entry.name);
    if (isTemporaryOf(entry.name, run)) {
      fs.rmSync(sub, { recursive: true, force: true });
      continue;
    }
    try {
      for (const name of fs.readdirSync(sub)) if (isTemporaryOf(name, run)) fs.rmSync(path.join(sub, name), { force: true });
      if (!before.has(entry.name)) fs.rmdirSync(sub);
    } catch {
      // not ours to remove after all (someone else's file in it)
    }
  }
  removeLevels(madeLevels);
}

/** Remove folders made one inside the other, innermost first, as long as they are empty. */
function removeLevels(levels: readonly string[]): void {
  for (const level of [...levels].reverse()) {
    try {
      fs.rmdirSync(level);
    } catch {
      break;
    }
  }
}

/**
 * `mkdir -p`, one level at a time, 0700 (snapshots show patients' names and
 * balances); returns the levels it made. Node's own recursive mkdir never
 * returns on some paths (under /proc it loops on ENOENT), so each level is
 * made, or found to exist, by itself, and the first real failure is reported.
 */
function makeDirectories(folder: string): string[] {
  const absolute = path.resolve(folder);
  const missing: string[] = [];
  for (let current = absolute; !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  const made: string[] = [];
  try {
    for (const level of missing) {
      try {
        fs.mkdirSync(level, { mode: 0o700 });
        made.push(level);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ENOENT here, with the level above in place, is a file system that holds no folders (/proc).
        if (code !== 'EEXIST') throw cannotWrite(folder, code === 'ENOENT' ? 'no folder can be made there' : plainReason(error));
      }
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      // A link whose target is gone: say so (its own folder is there).
      if (fs.lstatSync(absolute, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw cannotWrite(folder, `it is a link to ${fs.readlinkSync(absolute)}, which does not exist`);
      }
      throw cannotWrite(folder, plainReason(error));
    }
    if (!stat.isDirectory()) throw cannotWrite(folder, 'it is not a folder');
  } catch (error) {
    removeLevels(made);
    throw error;
  }
  return made;
}
