// pops groups list [--json|--csv]: one row per group with its Show Collections
// state, footer number and account counts (SPEC §6).
import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { withStore } from '../../context.js';
import { listGroups } from '../../store/groups.js';
import { groupAccountCounts } from '../../store/balance-sql.js';
import { writeCsv, writeJson, writeTable } from '../../render/output.js';
import { displaySetting } from '../../render/group-values.js';

export interface GroupListRow {
  id: number;
  name: string;
  showCollections: boolean;
  /** E.164, or null when unset. */
  footerPhone: string | null;
  accounts: number;
  /** Accounts of the group whose collection balance is above zero. */
  accountsInCollections: number;
}

export const CSV_HEADER = ['id', 'name', 'showCollections', 'footerPhone', 'accounts', 'accountsInCollections'] as const;
const TABLE_HEAD = ['Name', 'Show Collections', 'Footer number', 'Accounts', 'With collection balance'];

export function define(command: Command, ctx: Context): void {
  command
    .addOption(new Option('--json', 'print the groups as a JSON array').conflicts('csv'))
    .option('--csv', 'print the groups as CSV')
    .addHelpText('after', '\nExamples:\n  pops groups list\n  pops groups list --json\n  pops groups list --csv > groups.csv')
    .action((options: { json?: boolean; csv?: boolean }) => run(ctx, options));
}

export function run(ctx: Context, options: { json?: boolean; csv?: boolean }): void {
  const rows = withStore(ctx, (db): GroupListRow[] => {
    const counts = groupAccountCounts(db);
    return listGroups(db).map((group) => ({
      id: group.id,
      name: group.name,
      showCollections: group.showCollections,
      footerPhone: group.footerPhone,
      accounts: counts.get(group.id)?.accounts ?? 0,
      accountsInCollections: counts.get(group.id)?.accountsInCollections ?? 0,
    }));
  });
  if (options.json) return writeJson(ctx.io, rows);
  if (options.csv) {
    return writeCsv(
      ctx.io,
      CSV_HEADER,
      rows.map((r) => [r.id, r.name, r.showCollections, r.footerPhone, r.accounts, r.accountsInCollections]),
    );
  }
  if (rows.length === 0) {
    ctx.io.err('pops: no groups yet; create one with: pops groups create <name>\n');
    return;
  }
  writeTable(
    ctx.io,
    TABLE_HEAD,
    rows.map((r) => [r.name, displaySetting('showCollections', r.showCollections), displaySetting('footerPhone', r.footerPhone), r.accounts, r.accountsInCollections]),
    { alignRight: [3, 4] },
  );
}
