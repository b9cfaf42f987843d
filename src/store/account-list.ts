// `accounts list` in SQL: the balance figures of store/balance-sql.ts, filtered,
// sorted and limited by SQLite, so that only the rows shown ever reach
// JavaScript (and `--all` can stream them). Every value is a bound parameter.
import type { DB } from './open.js';
import type { AccountFigureRow } from '../domain/balances.js';
import { accountFiguresSql, figureSource, scopeParams, type FigureScope } from './balance-sql.js';

export const ACCOUNT_SORTS = ['account', 'name', 'collection', 'non-collection', 'total'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

export interface AccountListQuery {
  /** Only this group's accounts. */
  groupId?: number;
  /** Only accounts whose collection balance is above zero. */
  inCollections?: boolean;
  /** Account-number prefix, or a substring of the guarantor's name (both case-insensitive). */
  search?: string;
  /** Only accounts whose total balance is at least this many cents. */
  minTotalCents?: number;
  sort: AccountSort;
  /** At most this many rows; undefined for all of them. */
  limit?: number;
}

export interface AccountListTotals {
  accounts: number;
  nonCollectionBalance: number;
  collectionBalance: number;
}

/**
 * The case folding used by `--search` and `--sort name`. SQLite's own LOWER()
 * and NOCASE fold ASCII only; guarantor names are not ASCII-only.
 */
export function foldCase(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

const FOLD_FUNCTION = 'pops_fold';

/**
 * The folding `--search` (and lookup) matches names with: case and accents
 * both ignored, so "nunez" finds "Nuñez" — a caller spells a name out loud.
 */
export function searchFold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}

const SEARCH_FUNCTION = 'pops_search_fold';

// Money sorts descending, the others ascending; ties always by account number.
const ORDER_BY: Record<AccountSort, string> = {
  account: 'f.accountNumber',
  name: `${FOLD_FUNCTION}(f.guarantorLastName), ${FOLD_FUNCTION}(f.guarantorFirstName), f.accountNumber`,
  collection: 'f.collectionBalance DESC, f.accountNumber',
  'non-collection': 'f.nonCollectionBalance DESC, f.accountNumber',
  total: 'f.totalBalance DESC, f.accountNumber',
};

/** `%`, `_` and the escape character itself match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtersOf(query: AccountListQuery): { scope: FigureScope; where: string; params: Record<string, string | number> } {
  const scope: FigureScope = query.groupId === undefined ? { kind: 'all' } : { kind: 'group', groupId: query.groupId };
  const conditions: string[] = [];
  const params: Record<string, string | number> = { ...scopeParams(scope) };
  if (query.inCollections) conditions.push('f.collectionBalance > 0');
  if (query.minTotalCents !== undefined) {
    conditions.push('f.totalBalance >= @minTotal');
    params.minTotal = query.minTotalCents;
  }
  if (query.search !== undefined) {
    // LIKE folds ASCII case, which is all an account number can hold.
    conditions.push(
      `(f.accountNumber LIKE @accountPrefix ESCAPE '\\'
        OR instr(${SEARCH_FUNCTION}(f.guarantorFirstName || ' ' || f.guarantorLastName), @nameNeedle) > 0
        OR instr(${SEARCH_FUNCTION}(f.guarantorLastName || ', ' || f.guarantorFirstName), @nameNeedle) > 0)`,
    );
    params.accountPrefix = `${escapeLike(query.search)}%`;
    params.nameNeedle = searchFold(query.search);
  }
  return { scope, where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

function registerFunctions(db: DB): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldCase(text) : text) as string);
  db.function(SEARCH_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? searchFold(text) : text) as string);
}

/** The columns of a figures row, in the order the list selects them. */
const ROW_COLUMNS = [
  'id',
  'accountNumber',
  'guarantorFirstName',
  'guarantorLastName',
  'groupId',
  'groupName',
  'includeNewCharges',
  'unappliedFunds',
  'collectionBalance',
  'preCollectionsBalance',
  'nonCollectionBalance',
  'totalBalance',
  'newCharges',
  'encountersInCollections',
  'latestStatementDate',
  'latestAmountDue',
  'previousAmountDue',
  'paymentsSinceStatement',
  'collectionAgencies',
] as const satisfies readonly (keyof AccountFigureRow)[];

type RowValues = {
  [K in keyof typeof ROW_COLUMNS]: (typeof ROW_COLUMNS)[K] extends keyof AccountFigureRow ? AccountFigureRow[(typeof ROW_COLUMNS)[K]] : never;
};

/** The matching accounts' figure rows, in order, one at a time (memory stays flat). */
export function* iterateAccountList(db: DB, query: AccountListQuery): Generator<AccountFigureRow> {
  registerFunctions(db);
  const { scope, where, params } = filtersOf(query);
  const limit = query.limit === undefined ? '' : 'LIMIT @limit';
  if (query.limit !== undefined) params.limit = query.limit;
  const statement = db.prepare(
    `SELECT ${ROW_COLUMNS.map((column) => `f.${column}`).join(', ')}
     FROM (${accountFiguresSql(scope, figureSource(db))}) AS f ${where} ORDER BY ${ORDER_BY[query.sort]} ${limit}`,
  );
  // Rows as arrays, made into objects here: much cheaper than better-sqlite3's
  // objects for a hundred thousand rows (docs/performance.md, "accounts list").
  for (const v of statement.raw().iterate(params) as IterableIterator<RowValues>) {
    yield {
      id: v[0],
      accountNumber: v[1],
      guarantorFirstName: v[2],
      guarantorLastName: v[3],
      groupId: v[4],
      groupName: v[5],
      includeNewCharges: v[6],
      unappliedFunds: v[7],
      collectionBalance: v[8],
      preCollectionsBalance: v[9],
      nonCollectionBalance: v[10],
      totalBalance: v[11],
      newCharges: v[12],
      encountersInCollections: v[13],
      latestStatementDate: v[14],
      latestAmountDue: v[15],
      previousAmountDue: v[16],
      paymentsSinceStatement: v[17],
      collectionAgencies: v[18],
    };
  }
}

/** How many accounts match, and their balances summed (ignores sort and limit). */
export function accountListTotals(db: DB, query: AccountListQuery): AccountListTotals {
  registerFunctions(db);
  const { scope, where, params } = filtersOf(query);
  return db
    .prepare(
      `SELECT COUNT(*) AS accounts,
              COALESCE(SUM(f.nonCollectionBalance), 0) AS nonCollectionBalance,
              COALESCE(SUM(f.collectionBalance), 0) AS collectionBalance
       FROM (${accountFiguresSql(scope, figureSource(db))}) AS f ${where}`,
    )
    .get(params) as AccountListTotals;
}
