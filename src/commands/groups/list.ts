// pops groups list [--json|--csv]: one row per group with its Show Collections
// state, footer number and account counts (docs/commands.md).
import { defineCommand } from '../../shell/command.js';
import { withStore } from '../../shell/context.js';
import { listOutputOptions, outputFormat } from '../../shell/output-options.js';
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

const CSV_HEADER = ['id', 'name', 'showCollections', 'footerPhone', 'accounts', 'accountsInCollections'] as const;
const TABLE_HEAD = ['Name', 'Show Collections', 'Footer number', 'Accounts', 'With collection balance'];

export default defineCommand({
  name: 'list',
  summary: 'one row per group: Show Collections, footer number, account counts; --json/--csv',
  args: [],
  options: listOutputOptions('the groups'),
  examples: ['pops groups list', 'pops groups list --json', 'pops groups list --csv > groups.csv'],
  check: outputFormat,
  run(opts, deps) {
    const rows = withStore(deps, (db): GroupListRow[] => {
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
    const format = outputFormat(opts);
    if (format === 'json') return writeJson(deps.io, rows);
    if (format === 'csv') {
      return writeCsv(
        deps.io,
        CSV_HEADER,
        rows.map((r) => [r.id, r.name, r.showCollections, r.footerPhone, r.accounts, r.accountsInCollections]),
      );
    }
    if (rows.length === 0) {
      deps.io.err('pops: no groups yet; create one with: pops groups create <name>\n');
      return;
    }
    writeTable(
      deps.io,
      TABLE_HEAD,
      rows.map((r) => [
        r.name,
        displaySetting('showCollections', r.showCollections),
        displaySetting('footerPhone', r.footerPhone),
        r.accounts,
        r.accountsInCollections,
      ]),
      { alignRight: [3, 4] },
    );
  },
});
