// Snapshot files of the portal's pages (docs/formats.md, "Preview snapshots"):
// where each page goes, which page a file is, and the report of a comparison.
// Pure: the command does the file system work.
import { lazyModule } from '../base/lazy.js';
import { VIEW_NAMES, type PortalView } from '../domain/portal.js';

// The diff library loads when the first changed page is reported.
const diffLibrary = lazyModule<typeof import('diff')>('diff');

/** Lower case; runs of characters other than a-z0-9 become `-`; no leading or trailing `-`. */
export function groupSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The group's directory name when no other group shares it; `group-<id>` when the name has no a-z0-9 at all. */
export function groupDirectory(group: { id: number; name: string }): string {
  return groupSlug(group.name) || `group-${group.id}`;
}

/**
 * Every group's directory (docs/formats.md, "Preview snapshots"). Groups whose
 * names give the same directory: the lowest id keeps it, each other one gets
 * `<directory>--<id>`. A directory of the first kind never holds `--`, so the
 * two kinds cannot meet; and a group created later has a higher id, so it never
 * moves an existing group's folder.
 */
export function groupDirectories(groups: Iterable<{ id: number; name: string }>): Map<number, string> {
  const directories = new Map<number, string>();
  const taken = new Set<string>();
  for (const group of [...groups].sort((a, b) => a.id - b.id)) {
    const directory = groupDirectory(group);
    directories.set(group.id, taken.has(directory) ? `${directory}--${group.id}` : directory);
    taken.add(directory);
  }
  return directories;
}

/**
 * `<account>.txt` for the Account page (the v1 name), `<account>.<view>.txt`
 * for every other view (`quickpay` for QuickPay). Account numbers are
 * validated to `A-Z a-z 0-9 -` on import; anything else is replaced, so a
 * path can never escape the directory and the only dot is the one before the
 * view.
 */
export function snapshotFileName(accountNumber: string, view: PortalView = 'account'): string {
  const safe = accountNumber.replace(/[^A-Za-z0-9-]/g, '_');
  return view === 'account' ? `${safe}.txt` : `${safe}.${view}.txt`;
}

/** `<slug>/<account>[.<view>].txt`, always with `/`. */
export function snapshotPath(group: { id: number; name: string }, accountNumber: string, view: PortalView = 'account'): string {
  return `${groupDirectory(group)}/${snapshotFileName(accountNumber, view)}`;
}

/**
 * The view whose snapshots a file in a group folder counts with:
 * `<name>.<view>.txt` for a view other than the Account page, and the Account
 * page for every other `.txt` file (as in v1, where every `.txt` file was an
 * Account page); undefined for a file that is not `.txt`.
 */
export function snapshotFileView(fileName: string): PortalView | undefined {
  if (!fileName.endsWith('.txt')) return undefined;
  const stem = fileName.slice(0, -'.txt'.length);
  const dot = stem.lastIndexOf('.');
  const suffix = dot < 0 ? '' : stem.slice(dot + 1);
  return suffix !== 'account' && (VIEW_NAMES as readonly string[]).includes(suffix) ? (suffix as PortalView) : 'account';
}

export type SnapshotStatus = 'changed' | 'new' | 'missing';

export interface SnapshotDifference {
  status: SnapshotStatus;
  path: string;
  /** For `changed`: the snapshot's text and the text rendered now. */
  before?: string;
  after?: string;
}

/**
 * The stdout of `preview --check`: one line per differing file (sorted by
 * path), a unified diff per changed file, then the summary line.
 */
export function comparisonReport(differences: readonly SnapshotDifference[], unchanged: number): string {
  const sorted = [...differences].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let out = '';
  for (const d of sorted) out += `${d.status} ${d.path}\n`;
  for (const d of sorted) {
    if (d.status !== 'changed') continue;
    out += diffLibrary().createTwoFilesPatch(`a/${d.path}`, `b/${d.path}`, d.before ?? '', d.after ?? '', 'snapshot', 'rendered now');
  }
  const count = (status: SnapshotStatus) => sorted.filter((d) => d.status === status).length;
  out += `${count('changed')} changed, ${count('new')} new, ${count('missing')} missing, ${unchanged} unchanged\n`;
  return out;
}
