// The pages of a snapshot set from its accounts (docs/formats.md, "Preview
// snapshots"): each account rendered once into an AccountPage through its own
// group, and from it each requested view, as `<group>/<account>[.<view>].txt`.
// Used by both threads of a large set (snapshot-helper.ts), so it needs no
// store: the groups are given.
import { StoreError } from '../base/errors.js';
import { buildAccountPage, showsCollectionNotice } from '../domain/account-page.js';
import type { Group } from '../domain/group-settings.js';
import type { PortalView } from '../domain/portal.js';
import { renderView } from '../render/portal-pages.js';
import { groupDirectories, snapshotFileName } from '../render/snapshots.js';
import { DOCTOR_HINT } from '../store/consistency.js';
import type { PageAccount } from '../store/page-accounts.js';

/** What every page of a set is rendered with: the store's groups (all of them), the width and the views. */
export interface PageSetup {
  groups: Group[];
  width: number;
  views: readonly PortalView[];
}

/**
 * Pages of a group without a footer number that tell the patient to contact
 * the office: Account pages (their Collection Balance panel) and Pay and
 * QuickPay pages (their collection balance line).
 */
export interface NoticeCount {
  panels: number;
  lines: number;
}

/** NoticeCounts by group name. */
export type NoticeCounts = Map<string, NoticeCount>;

export function addNotices(counts: NoticeCounts, name: string, add: NoticeCount): void {
  const now = counts.get(name) ?? { panels: 0, lines: 0 };
  counts.set(name, { panels: now.panels + add.panels, lines: now.lines + add.lines });
}

/** A page of the set: its group's folder, its path in the set and its text. */
export type PageOut = (directory: string, relative: string, text: string) => void;

/** Renders accounts into pages, without color, counting the pages whose collection notice can only say "contact the office". */
export class PageRenderer {
  readonly noFooterNumber: NoticeCounts = new Map();
  private readonly groups: Map<number, Group>;
  private readonly directories: Map<number, string>;

  constructor(private readonly setup: PageSetup) {
    this.groups = new Map(setup.groups.map((group) => [group.id, group]));
    this.directories = groupDirectories(setup.groups);
  }

  /** Every page of `record`, each to `out`. */
  render(record: PageAccount, out: PageOut): void {
    const { width, views } = this.setup;
    const group = this.groups.get(record.groupId);
    // Refused before rendering for the whole store (docs/store.md); checked again here for each account read.
    if (!group)
      throw new StoreError(`store is inconsistent: account ${record.accountNumber} belongs to a group that does not exist; no snapshots taken`, DOCTOR_HINT);
    const page = buildAccountPage(record, group);
    const directory = this.directories.get(group.id)!;
    for (const view of views) {
      if (group.footerPhone === null && showsCollectionNotice(view, group, page.figures)) {
        addNotices(this.noFooterNumber, group.name, view === 'account' ? { panels: 1, lines: 0 } : { panels: 0, lines: 1 });
      }
      out(directory, `${directory}/${snapshotFileName(record.accountNumber, view)}`, renderView(view, page, { width, color: false }));
    }
  }
}
