// The folder of a snapshot set on disk (docs/formats.md, "Preview snapshots"):
// the snapshot files already in it, making it (0700), and putting it back as it
// was after a failed or interrupted run; and staging pages into it (PageStager).
import fs from 'node:fs';
import path from 'node:path';
import { cannotWrite, isTemporaryOf, plainReason, type StagedFiles } from '../base/output-file.js';
import type { PortalView } from '../domain/portal.js';
import { snapshotFileView } from '../render/snapshots.js';

/**
 * `<slug>/<file>.txt` paths under `dir` (only `directory` when given) of the
 * files that count with one of `views` (snapshotFileView): a Home page is not
 * missing when only Account pages are checked, nor an Account page when only
 * Home pages are.
 */
export function existingSnapshots(dir: string, directory: string | undefined, views: readonly PortalView[]): Set<string> {
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
 * After a failed `--out`: remove the run's temporary files (also any the writer
 * thread could not), the group folders it made and the levels of `dir` it made.
 */
export function restoreFolder(dir: string, before: ReadonlySet<string>, run: string, madeLevels: readonly string[]): void {
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
export function makeDirectories(folder: string): string[] {
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
        // Exactly 0700 whatever the umask (see StagedFiles.stageFolder).
        fs.chmodSync(level, 0o700);
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

/** Stages pages into `files`: a group folder that does not exist yet whole, else each page beside the one it replaces. */
export class PageStager {
  /** Per group folder: the temporary folder its pages go to, or null when they are staged one by one. */
  private readonly folders = new Map<string, string | null>();

  constructor(
    private readonly dir: string,
    private readonly files: StagedFiles,
  ) {}

  /** Stage `content` as `<dir>/<relative>`, where `relative` is `<directory>/<file>`. */
  stage(directory: string, relative: string, content: string | Uint8Array): void {
    let staging = this.folders.get(directory);
    if (staging === undefined) {
      const folder = path.join(this.dir, directory);
      const state = folderState(folder);
      if (state === 'other') throw cannotWrite(folder, 'it is not a folder');
      staging = state === 'missing' ? this.files.stageFolder(folder) : null;
      this.folders.set(directory, staging);
    }
    if (staging === null) this.files.stage(path.join(this.dir, relative), content);
    else this.files.stageInto(staging, path.join(this.dir, relative), content);
  }
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
