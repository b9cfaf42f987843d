// pops groups list [--json|--csv]: one row per group with its Show Collections
// state, footer number and account counts (docs/commands.md).
import { defineCommand } from '../../shell/command.js';
import { withReadDb } from '../../shell/context.js';
import { listOutputOptions, outputFormat } from '../../shell/output-options.js';
import { listGroups } from '../../store/groups.js';
import { groupAccountCounts } from '../../store/balance-sql.js';
import { missingGroupWarning } from '../../render/account-rows.js';
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
const TABLE_HEAD = ['Id', 'Name', 'Show Collections', 'Footer number', 'Accounts', 'With collection balance'];

export default defineCommand({
  name: 'list',
  summary: 'one row per group: Show Collections, footer number, account counts; --json/--csv',
  args: [],
  options: listOutputOptions('the groups'),
  examples: ['pops groups list', 'pops groups list --json', 'pops groups list --csv > groups.csv'],
  check: outputFormat,
  run(opts, deps) {
    const rows = withReadDb(deps, (db): GroupListRow[] => {
      const counts = groupAccountCounts(db);
      const groups = listGroups(db);
      // Accounts whose group row is missing (an inconsistent store, docs/store.md) are in no row: say so.
      const ids = new Set(groups.map((group) => group.id));
      const withoutGroup = [...counts].reduce((sum, [id, count]) => (ids.has(id) ? sum : sum + count.accounts), 0);
      if (withoutGroup > 0) deps.io.warn(missingGroupWarning(withoutGroup));
      return groups.map((group) => ({
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
        r.id,
        r.name,
        displaySetting('showCollections', r.showCollections),
        unbreakableNumber(displaySetting('footerPhone', r.footerPhone)),
        r.accounts,
        r.accountsInCollections,
      ]),
      // On a narrow terminal the name is cut, a phone number only wraps before its extension.
      { alignRight: [0, 4, 5], keep: [2], wrap: [3] },
    );
  },
});

/** `(312) 555-0142 ext. 12` may wrap before `ext.` only: the other spaces become no-break spaces. */
function unbreakableNumber(shown: string): string {
  return shown.replace(/ (?!ext\.)/g, '\u00a0');
}
