// The snapshot service behind `preview --all --out <dir>` and `preview --all
// --check <dir>` (`--pages …`): the requested pages of every account, each
// rendered through the account's own group, written as files or compared with
// them (docs/formats.md, "Preview snapshots"). Every page is rendered in one
// read transaction, so a set shows one committed state of the store; a large
// set's reading and writing is done by a helper thread (snapshot-helper.ts)
// while this one renders; and the set is written all or nothing
// (docs/performance.md, "Snapshots").
import fs from 'node:fs';
import path from 'node:path';
import type { IO } from '../base/io.js';
import { exitCodeOf, whenInterrupted } from '../base/interruptions.js';
import { cannotWrite, plainReason, StagedFiles } from '../base/output-file.js';
import type { Group } from '../domain/group-settings.js';
import { VIEW_NAMES, type PortalView } from '../domain/portal.js';
import { UsageError } from '../base/errors.js';
import { sanitize } from '../base/sanitize.js';
import { comparisonReport, groupDirectories, snapshotFileView, type SnapshotDifference } from '../render/snapshots.js';
import { countAccounts, encountersOf, type AccountSelection } from '../store/accounts.js';
import { pageAccountsOf, readPageAccounts, readPageBatches } from '../store/page-accounts.js';
import { refuseAccountsWithoutGroup } from '../store/consistency.js';
import { listGroups, resolveGroup } from '../store/groups.js';
import { openDb } from '../store/open-db.js';
import type { Db, SqliteDb } from '../store/db.js';
import { existingSnapshots, makeDirectories, PageStager, restoreFolder } from './snapshot-folder.js';
import { helperFile, PAGES_FOR_HELPER, stageWithHelper, type StagedPages } from './snapshot-helper.js';
import { addNotices, PageRenderer, type NoticeCounts, type PageOut } from './snapshot-pages.js';

/** Where the service reads and reports: the store and the streams of the command that asked. */
export interface SnapshotEnv {
  io: IO;
  dbPath: string;
  dbFrom?: '--db' | 'POPS_DB';
  busyTimeoutMs?: number;
}

/** Run `work` with the store open (a file or a PostgreSQL database), closing it whatever happens. */
async function withStore<T>(env: SnapshotEnv, work: (db: Db) => T | Promise<T>): Promise<T> {
  const { db } = openDb(env.dbPath, { busyTimeoutMs: env.busyTimeoutMs, from: env.dbFrom });
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
  // Ctrl-C, a kill or a closed terminal stops the run at its next page and leaves the folder as it was.
  let interrupted: NodeJS.Signals | undefined;
  const stopListening = whenInterrupted((signal) => (interrupted = signal));
  try {
    set = await withStore(env, (db) => stageSet(env, db, options, files, () => interrupted !== undefined));
    // Heard after the last page was rendered (while the second thread staged the last ones): nothing goes in place.
    if (interrupted !== undefined) throw new Error('interrupted');
    files.commit();
  } catch (error) {
    // All or nothing: the folder goes back to what it was.
    files.discard();
    restoreFolder(dir, before, files.run, madeLevels);
    if (interrupted !== undefined) process.exit(exitCodeOf(interrupted));
    throw error;
  } finally {
    stopListening();
  }
  warnNoFooterNumber(env, set.noFooterNumber);
  // Only files of the requested views count (existingSnapshots).
  const stale = set.existing;
  for (const relative of set.written) stale.delete(relative);
  const count = set.written.length;
  env.io.err(`pops: wrote ${count} snapshot${count === 1 ? '' : 's'} to ${dir}${set.threads > 1 ? ' (written by a second thread)' : ''}\n`);
  if (stale.size > 0) {
    env.io.warn(
      `${stale.size} other file${stale.size === 1 ? '' : 's'} in ${dir} (e.g. ${[...stale].sort()[0]}) ${stale.size === 1 ? 'is' : 'are'} not the page of a current account; --check will report ${stale.size === 1 ? 'it' : 'them'} as missing`,
    );
  }
}

/** What a `--out` run staged, before its files are renamed into place. */
interface StagedSet extends StagedPages {
  /** The snapshot files in scope (of the requested views) that were there before the run. */
  existing: Set<string>;
}

/**
 * Render every page of the run from one committed state of the store
 * (whoever commits meanwhile) and stage each into `files`: a large set with a
 * helper thread (stageWithHelper, which reads in its own read transaction),
 * a small one here, in this read transaction. Between two batches the event
 * loop runs, so that an interruption is heard mid-run.
 */
async function stageSet(env: SnapshotEnv, db: Db, options: SnapshotOptions, files: StagedFiles, isInterrupted: () => boolean): Promise<StagedSet> {
  // One read transaction: checked first (a clear early error), then either the pages made here, or, for a large
  // set of a store file, nothing yet — the helper thread reads the store in its own transaction and checks again.
  const here = await db.readAsync(async () => {
    const group = scopeOf(db, options.group);
    if (group === undefined) refuseOrphans(db);
    const forHelper = db.kind === 'sqlite' && helperFile() !== null && countAccounts(db, group?.id) * options.views.length >= PAGES_FOR_HELPER;
    return forHelper ? undefined : stageHere(db, group, options, files, isInterrupted);
  });
  const store = { path: env.dbPath, from: env.dbFrom, busyTimeoutMs: env.busyTimeoutMs };
  const pages = here ?? (await stageWithHelper({ store, group: options.group, dir: options.dir }, options, files, isInterrupted));
  const directory = pages.groupId === undefined ? undefined : groupDirectories(pages.groups).get(pages.groupId);
  return { ...pages, existing: existingSnapshots(options.dir, directory, options.views) };
}

/** Exit 4 when any account belongs to a missing group (a PostgreSQL store's foreign keys leave none). */
function refuseOrphans(db: Db): void {
  if (db.kind === 'sqlite') refuseAccountsWithoutGroup((db as SqliteDb).raw, 'no snapshots taken');
}

/** The pages of a set rendered and staged on this thread, in the caller's read transaction. */
async function stageHere(db: Db, group: Group | undefined, options: SnapshotOptions, files: StagedFiles, isInterrupted: () => boolean): Promise<StagedPages> {
  const groups = listGroups(db);
  const renderer = new PageRenderer({ groups, width: options.width, views: options.views });
  const stager = new PageStager(options.dir, files);
  const written: string[] = [];
  const out: PageOut = (directory, relative, text) => {
    stager.stage(directory, relative, text);
    written.push(relative);
  };
  const { encounterOf } = encountersOf(db);
  for (const batch of readPageBatches(db, group?.id)) {
    for (const account of pageAccountsOf(batch, encounterOf)) renderer.render(account, out);
    await new Promise((resolve) => setImmediate(resolve));
    if (isInterrupted()) throw new Error('interrupted');
  }
  return { written, noFooterNumber: renderer.noFooterNumber, groups, groupId: group?.id, threads: 1 };
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
  await withStore(env, (db) => {
    const noFooterNumber: NoticeCounts = new Map();
    // One read transaction: every page from the same state of the store.
    db.read(() => {
      const group = scopeOf(db, options.group);
      if (group === undefined) refuseOrphans(db);
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
    });
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
function scopeOf(db: Db, groupName: string | undefined): Group | undefined {
  return groupName === undefined ? undefined : resolveGroup(db, groupName);
}

/** Every page in scope (see PageRenderer), counting in `noFooterNumber` those that can only say "contact the office". */
function* renderEach(
  db: Db,
  scope: AccountSelection,
  width: number,
  views: readonly PortalView[],
  noFooterNumber: NoticeCounts,
): Generator<{ relative: string; text: string }> {
  const renderer = new PageRenderer({ groups: listGroups(db), width, views });
  const pages: { relative: string; text: string }[] = [];
  const out: PageOut = (_, relative, text) => pages.push({ relative, text });
  for (const record of readPageAccounts(db, scope.groupId)) {
    renderer.render(record, out);
    yield* pages;
    pages.length = 0;
  }
  for (const [name, count] of renderer.noFooterNumber) addNotices(noFooterNumber, name, count);
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
