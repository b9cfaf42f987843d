// `preview --all --out <dir>` and `preview --all --check <dir>`: every page
// rendered through its own group, written as files or compared with them.
// Statements are prepared and groups loaded once for the whole run (SPEC §9).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { withStore } from '../context.js';
import { buildAccountPage, showsCollectionPanel } from '../domain/account-page.js';
import type { Group } from '../domain/group-settings.js';
import { EXIT, UsageError } from '../errors.js';
import { renderAccountPage } from '../render/account-page.js';
import { sanitize } from '../render/sanitize.js';
import { comparisonReport, groupDirectory, snapshotFileName, type SnapshotDifference } from '../render/snapshots.js';
import { accountsInBatches } from '../store/account-batches.js';
import { listGroups, resolveGroup } from '../store/groups.js';
import type { DB } from '../store/open.js';

export interface SnapshotOptions {
  dir: string;
  /** Only this group's accounts (name or id). */
  group?: string;
  width: number;
}

export function writeSnapshots(ctx: Context, options: SnapshotOptions): void {
  const { dir } = options;
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new UsageError(`cannot write snapshots to ${dir}: it is not a directory`);
  let written = 0;
  let stale = new Set<string>();
  withStore(ctx, (db) => {
    const scope = scopeOf(db, options.group);
    stale = existingSnapshots(dir, scope.directory);
    const made = new Set<string>();
    renderEach(ctx, db, scope, options.width, (relative, text) => {
      const directory = relative.slice(0, relative.indexOf('/'));
      try {
        if (!made.has(directory)) {
          // Snapshots show patients' names and balances: readable by their owner only.
          makeDirectories(path.join(dir, directory));
          made.add(directory);
        }
        fs.writeFileSync(path.join(dir, relative), text, { mode: 0o600 });
      } catch (error) {
        throw new UsageError(`cannot write ${path.join(dir, relative)}: ${(error as Error).message}`);
      }
      stale.delete(relative);
      written += 1;
    });
  });
  ctx.io.err(`pops: wrote ${written} snapshot${written === 1 ? '' : 's'} to ${dir}\n`);
  if (stale.size > 0) {
    ctx.io.warn(`${stale.size} other file${stale.size === 1 ? '' : 's'} in ${dir} (e.g. ${[...stale].sort()[0]}) ${stale.size === 1 ? 'is' : 'are'} not the page of a current account; --check will report ${stale.size === 1 ? 'it' : 'them'} as missing`);
  }
}

export function checkSnapshots(ctx: Context, options: SnapshotOptions): void {
  const { dir } = options;
  if (!fs.existsSync(dir)) throw new UsageError(`snapshot directory not found: ${dir}`, 'Take snapshots first: pops preview --all --out <dir>');
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`not a directory: ${dir}`);
  const differences: SnapshotDifference[] = [];
  let unchanged = 0;
  withStore(ctx, (db) => {
    const scope = scopeOf(db, options.group);
    const remaining = existingSnapshots(dir, scope.directory);
    renderEach(ctx, db, scope, options.width, (relative, text) => {
      if (!remaining.delete(relative)) {
        differences.push({ status: 'new', path: relative });
        return;
      }
      const before = fs.readFileSync(path.join(dir, relative), 'utf8');
      if (before === text) unchanged += 1;
      else differences.push({ status: 'changed', path: relative, before, after: text });
    });
    for (const relative of remaining) differences.push({ status: 'missing', path: relative });
  });
  ctx.io.out(comparisonReport(differences, unchanged));
  if (differences.length > 0) ctx.exitCode = EXIT.differences;
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

/** Render every account in scope through its own group, without color. */
function renderEach(ctx: Context, db: DB, scope: Scope, width: number, visit: (relative: string, text: string) => void): void {
  const groups = new Map(listGroups(db).map((group) => [group.id, group]));
  const noFooterNumber = new Map<string, number>();
  const directories = new Map<number, string>();
  for (const record of accountsInBatches(db, scope.group?.id)) {
    const group = groups.get(record.groupId);
    if (!group) continue; // foreign keys make this impossible; `pops doctor` reports it
    const page = buildAccountPage(record, group);
    if (group.footerPhone === null && group.accountDashboard && showsCollectionPanel(group, page.figures)) {
      noFooterNumber.set(group.name, (noFooterNumber.get(group.name) ?? 0) + 1);
    }
    let directory = directories.get(group.id);
    if (directory === undefined) directories.set(group.id, (directory = groupDirectory(group)));
    visit(`${directory}/${snapshotFileName(record.accountNumber)}`, renderAccountPage(page, { width, color: false }));
  }
  for (const [name, pages] of [...noFooterNumber].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    ctx.io.warn(`group ${JSON.stringify(sanitize(name))} has no footer number: ${pages} Collection Balance panel${pages === 1 ? ' tells' : 's tell'} the patient to contact the office`);
  }
}

/** `<slug>/<file>.txt` paths under `dir` (only `directory` when given). */
function existingSnapshots(dir: string, directory: string | undefined): Set<string> {
  const found = new Set<string>();
  if (!fs.existsSync(dir)) return found;
  const subdirectories = directory !== undefined ? [directory] : fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
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
