// pops accounts list: one row per account, collection and non-collection
// balances split (docs/commands.md, docs/balances.md). Filtering, sorting and the limit happen in SQL;
// rows are streamed to --json/--csv, so `--all` keeps memory flat.
import { defineCommand, flag, valueOption, valueOptionWithDefault } from '../../shell/command.js';
import { withDbAsync } from '../../shell/context.js';
import type { SqliteDb } from '../../store/db.js';
import { listOutputOptions, outputFormat } from '../../shell/output-options.js';
import { groupRef, money, nonEmptyText, oneOf, positiveWholeNumber } from '../../shell/parsers.js';
import { UsageError } from '../../base/errors.js';
import { formatMoney } from '../../domain/money.js';
import { resolveGroup } from '../../store/groups.js';
import { useSmallCache } from '../../store/open.js';
import { ACCOUNT_SORTS, accountListTotals, iterateAccountList, type AccountListQuery } from '../../store/account-list.js';
import type { AccountFigureRow } from '../../domain/balances.js';
import {
  ACCOUNT_CSV_PLAIN_COLUMNS,
  ACCOUNT_FIELDS,
  ACCOUNT_TABLE_HEAD,
  ACCOUNT_TABLE_MONEY_COLUMNS,
  accountCsvCells,
  accountJsonElement,
  accountListItem,
  accountTableCells,
  missingGroupWarning,
} from '../../render/account-rows.js';
import { writeTable } from '../../render/output.js';
import { streamCsv, streamJsonArray } from '../../render/stream-output.js';

export const DEFAULT_LIMIT = 50;

export default defineCommand({
  name: 'list',
  summary: 'one row per account, balances split; filter, sort, --json/--csv',
  args: [],
  options: {
    group: valueOption('--group <group>', "only this group's accounts (name, any case, or id)", groupRef),
    inCollections: flag('--in-collections', 'only accounts with a collection balance above zero'),
    search: valueOption('--search <text>', "account-number prefix, or part of the guarantor's name (any case or accents)", nonEmptyText),
    minTotal: valueOption('--min-total <money>', 'only accounts whose total balance is at least this (e.g. 100, 99.50 or $1,000)', money),
    sort: valueOptionWithDefault(
      '--sort <key>',
      'order: money columns largest first, others A→Z; ties by account number',
      oneOf(ACCOUNT_SORTS),
      'account',
      'account',
      ACCOUNT_SORTS,
    ),
    limit: valueOption('--limit <n>', `show at most N accounts (default ${DEFAULT_LIMIT})`, positiveWholeNumber),
    all: flag('--all', 'show every matching account (streamed)'),
    ...listOutputOptions('the accounts'),
  },
  examples: [
    'pops accounts list',
    'pops accounts list --group "Lakeside Pediatrics" --in-collections --sort collection',
    'pops accounts list --search rivera',
    'pops accounts list --min-total 500 --sort total --limit 10',
    'pops accounts list --all --csv > accounts.csv',
    'pops accounts list --all --json --sort total',
  ],
  check(opts) {
    outputFormat(opts);
    if (opts.all && opts.limit !== undefined) throw new UsageError('--limit and --all cannot be used together');
  },
  async run(opts, deps) {
    const format = outputFormat(opts);
    await withDbAsync(deps, (db) =>
      db.readAsync(async () => {
        const query: AccountListQuery = {
          inCollections: opts.inCollections,
          search: opts.search,
          minTotalCents: opts.minTotal,
          sort: opts.sort,
          limit: opts.all ? undefined : (opts.limit ?? DEFAULT_LIMIT),
          groupId: opts.group === undefined ? undefined : resolveGroup(db, opts.group).id,
        };
        // Accounts whose group row is missing are listed too (docs/store.md), and counted for a warning.
        const missing = { accounts: 0 };
        const warnMissing = (): void => {
          if (missing.accounts > 0) deps.io.warn(missingGroupWarning(missing.accounts));
        };
        // A streamed list reads the store once, end to end (docs/performance.md, "Memory").
        if (opts.all && db.kind === 'sqlite') useSmallCache((db as SqliteDb).raw);
        const rows = iterateAccountList(db, query);
        if (format === 'json') {
          await streamJsonArray(deps.io.stdout, mapRows(rows, accountListItem, missing), accountJsonElement);
          return warnMissing();
        }
        if (format === 'csv') {
          await streamCsv(
            deps.io.stdout,
            ACCOUNT_FIELDS,
            mapRows(rows, (row) => accountCsvCells(accountListItem(row)), missing),
            { plainColumns: ACCOUNT_CSV_PLAIN_COLUMNS },
          );
          return warnMissing();
        }
        // A table needs every row to size its columns, so it is built in memory.
        const cells = [...mapRows(rows, (row) => accountTableCells(accountListItem(row)), missing)];
        if (cells.length === 0) deps.io.err('pops: no accounts match\n');
        else writeTable(deps.io, ACCOUNT_TABLE_HEAD, cells, { alignRight: ACCOUNT_TABLE_MONEY_COLUMNS, keep: [0] });
        if (deps.io.stderrIsTTY) {
          const totals = accountListTotals(db, query);
          deps.io.err(
            `Showing ${cells.length} of ${totals.accounts} account${totals.accounts === 1 ? '' : 's'}` +
              ` · Non-Collection ${formatMoney(totals.nonCollectionBalance)} · Collection ${formatMoney(totals.collectionBalance)}\n`,
          );
        }
        warnMissing();
      }),
    );
  },
});

/** Each row mapped; rows whose group row is missing are counted in `missing`. */
function* mapRows<T>(rows: Iterable<AccountFigureRow>, map: (row: AccountFigureRow) => T, missing: { accounts: number }): Generator<T> {
  for (const row of rows) {
    if (row.groupName === null) missing.accounts += 1;
    yield map(row);
  }
}
