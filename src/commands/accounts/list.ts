// pops accounts list: one row per account, collection and non-collection
// balances split (SPEC §7). Filtering, sorting and the limit happen in SQL;
// rows are streamed to --json/--csv, so `--all` keeps memory flat.
import { Option, type Command } from 'commander';
import type { Context } from '../../context.js';
import { withStoreAsync } from '../../context.js';
import { UsageError } from '../../errors.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import { resolveGroup } from '../../store/groups.js';
import { ACCOUNT_SORTS, accountListTotals, iterateAccountList, type AccountListQuery, type AccountSort } from '../../store/account-list.js';
import type { AccountFigureRow } from '../../store/balance-sql.js';
import {
  ACCOUNT_FIELDS,
  ACCOUNT_TABLE_HEAD,
  ACCOUNT_TABLE_MONEY_COLUMNS,
  accountCsvCells,
  accountJsonObject,
  accountListItem,
  accountTableCells,
} from '../../render/account-rows.js';
import { writeTable } from '../../render/output.js';
import { streamCsv, streamJsonArray } from '../../render/stream-output.js';

export const DEFAULT_LIMIT = 50;

interface ListOptions {
  group?: string;
  inCollections?: boolean;
  search?: string;
  minTotal?: string;
  sort: AccountSort;
  limit?: string;
  all?: boolean;
  json?: boolean;
  csv?: boolean;
}

export function define(command: Command, ctx: Context): void {
  command
    .option('--group <group>', "only this group's accounts (name, any case, or id)")
    .option('--in-collections', 'only accounts with a collection balance above zero')
    .option('--search <text>', "account-number prefix, or part of the guarantor's name (any case)")
    .option('--min-total <money>', 'only accounts whose total balance is at least this (e.g. 100 or 99.50)')
    .addOption(
      new Option('--sort <key>', 'order: money columns largest first, others A→Z; ties by account number')
        .choices(ACCOUNT_SORTS)
        .default('account'),
    )
    .option('--limit <n>', `show at most N accounts (default ${DEFAULT_LIMIT})`)
    .option('--all', 'show every matching account (streamed)')
    .option('--json', 'print a JSON array')
    .option('--csv', 'print CSV with a header row')
    .addHelpText(
      'after',
      `
Examples:
  pops accounts list
  pops accounts list --group "Lakeside Pediatrics" --in-collections --sort collection
  pops accounts list --search rivera
  pops accounts list --min-total 500 --sort total --limit 10
  pops accounts list --all --csv > accounts.csv
  pops accounts list --all --json --sort total`,
    )
    .action(async (options: ListOptions) => run(ctx, options));
}

/** The options as a query; every invalid value is exit 2 before the store is read. */
export function parseListOptions(options: ListOptions): { query: Omit<AccountListQuery, 'groupId'>; format: 'table' | 'json' | 'csv' } {
  if (options.json && options.csv) throw new UsageError('--json and --csv cannot be used together');
  if (options.all && options.limit !== undefined) throw new UsageError('--limit and --all cannot be used together');
  let limit: number | undefined = DEFAULT_LIMIT;
  if (options.all) limit = undefined;
  else if (options.limit !== undefined) {
    if (!/^\d{1,9}$/.test(options.limit.trim()) || Number(options.limit) < 1) {
      throw new UsageError(`--limit: expected a positive whole number, got ${JSON.stringify(options.limit)}`, 'Use --all to list every account.');
    }
    limit = Number(options.limit);
  }
  let minTotalCents: number | undefined;
  if (options.minTotal !== undefined) {
    const cents = parseMoney(options.minTotal);
    if (cents === null) throw new UsageError(`--min-total: expected money with at most two decimals (e.g. 250 or 99.50), got ${JSON.stringify(options.minTotal)}`);
    minTotalCents = cents;
  }
  if (options.search !== undefined && options.search.trim() === '') throw new UsageError('--search needs a non-empty value');
  return {
    query: {
      inCollections: options.inCollections ?? false,
      search: options.search?.trim(),
      minTotalCents,
      sort: options.sort,
      limit,
    },
    format: options.json ? 'json' : options.csv ? 'csv' : 'table',
  };
}

async function run(ctx: Context, options: ListOptions): Promise<void> {
  const { query: parsed, format } = parseListOptions(options);
  await withStoreAsync(ctx, async (db) => {
    const query: AccountListQuery = { ...parsed, groupId: options.group === undefined ? undefined : resolveGroup(db, options.group).id };
    const rows = iterateAccountList(db, query);
    if (format === 'json') {
      await streamJsonArray(ctx.io.stdout, mapRows(rows, (row) => accountJsonObject(accountListItem(row))));
      return;
    }
    if (format === 'csv') {
      await streamCsv(ctx.io.stdout, ACCOUNT_FIELDS, mapRows(rows, (row) => accountCsvCells(accountListItem(row))));
      return;
    }
    // A table needs every row to size its columns, so it is built in memory.
    const cells = [...mapRows(rows, (row) => accountTableCells(accountListItem(row)))];
    if (cells.length === 0) ctx.io.err('pops: no accounts match\n');
    else writeTable(ctx.io, ACCOUNT_TABLE_HEAD, cells, { alignRight: ACCOUNT_TABLE_MONEY_COLUMNS });
    if (ctx.io.stderrIsTTY) {
      const totals = accountListTotals(db, query);
      ctx.io.err(
        `Showing ${cells.length} of ${totals.accounts} account${totals.accounts === 1 ? '' : 's'}` +
          ` · Non-Collection ${formatMoney(totals.nonCollectionBalance)} · Collection ${formatMoney(totals.collectionBalance)}\n`,
      );
    }
  });
}

function* mapRows<T>(rows: IterableIterator<AccountFigureRow>, map: (row: AccountFigureRow) => T): Generator<T> {
  for (const row of rows) yield map(row);
}
