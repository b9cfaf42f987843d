// `accounts list` in SQL: the balance figures of store/balance-sql.ts, filtered,
// sorted and limited by SQLite, so that only the rows shown ever reach
// JavaScript (and `--all` can stream them). Every value is a bound parameter.
import type { DB } from './open.js';
import { toDb, type Db, type DbLike, type SqliteDb } from './db.js';
import { StoreError } from '../base/errors.js';
import { DOCTOR_HINT } from './consistency.js';
import { compareCodePoints } from '../base/code-points.js';
import type { PgDb } from './pg/pg-db.js';
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
export function iterateAccountList(given: DbLike, query: AccountListQuery): Generator<AccountFigureRow> {
  const db = toDb(given);
  if (db.kind === 'sqlite') return sqliteAccountList((db as SqliteDb).raw, query);
  refuseMissingFigures(db);
  return postgresAccountList(db as PgDb, query);
}

/**
 * The figures every account keeps (`account_figures`), as `iterateAccountList`
 * gives them sorted by account number, without the check that every account
 * has them (`doctor`, which reports those that do not).
 */
export function iterateStoredFigures(db: PgDb): Generator<AccountFigureRow> {
  return postgresAccountList(db, { sort: 'account' });
}

/**
 * Exit 4 when a PostgreSQL store has accounts without their figures: only a
 * change made outside pops leaves one (import writes them with the account),
 * and a list must not silently leave those accounts out (docs/store.md, "PostgreSQL").
 */
function refuseMissingFigures(db: Db): void {
  const missing = db.value<number>('SELECT (SELECT count(*) FROM accounts) - (SELECT count(*) FROM account_figures)')!;
  if (missing === 0) return;
  throw new StoreError(
    `store is inconsistent: ${missing === 1 ? '1 account has' : `${missing} accounts have`} no stored balance figures (the store was changed outside pops); no accounts listed`,
    DOCTOR_HINT,
  );
}

function* sqliteAccountList(db: DB, query: AccountListQuery): Generator<AccountFigureRow> {
  const { sql, params } = sqliteAccountListSql(db, query);
  // Rows as arrays, made into objects here: much cheaper than better-sqlite3's
  // objects for a hundred thousand rows (docs/performance.md, "accounts list").
  for (const v of db.prepare(sql).raw().iterate(params) as IterableIterator<RowValues>) yield rowOf(v);
}

/**
 * The query behind a list of a store file, and its parameters. With stored
 * figures, a sort by a money column reads one index of account_figures from
 * end to end and no row of the table (migration 5; the tests hold the plan to it).
 */
export function sqliteAccountListSql(db: DB, query: AccountListQuery): { sql: string; params: Record<string, string | number> } {
  registerFunctions(db);
  const { scope, where, params } = filtersOf(query);
  const limit = query.limit === undefined ? '' : 'LIMIT @limit';
  if (query.limit !== undefined) params.limit = query.limit;
  const sql = `SELECT ${ROW_COLUMNS.map((column) => `f.${column}`).join(', ')}
     FROM (${accountFiguresSql(scope, figureSource(db))}) AS f ${where} ORDER BY ${ORDER_BY[query.sort]} ${limit}`;
  return { sql, params };
}

function rowOf(v: RowValues): AccountFigureRow {
  return {
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

/** How many accounts match, and their balances summed (ignores sort and limit). */
export function accountListTotals(given: DbLike, query: AccountListQuery): AccountListTotals {
  const db = toDb(given);
  if (db.kind === 'postgres') return postgresTotals(db as PgDb, query);
  return sqliteTotals((db as SqliteDb).raw, query);
}

function sqliteTotals(db: DB, query: AccountListQuery): AccountListTotals {
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

// On PostgreSQL (docs/store.md, "PostgreSQL"): the figures every account keeps
// (import writes them with it), filtered and sorted by the server and read
// through a cursor, so that `--all` streams in flat memory. The two folds of
// names (`--search`, `--sort name`) are pops's own (foldCase, searchFold),
// which the server's lower() does not match outside ASCII: those run here,
// on the rows the server's own filters let through.

/** The server's columns for ROW_COLUMNS, in the same order. */
const PG_COLUMNS = `a.id, f.account_number, a.guarantor_first_name, a.guarantor_last_name, a.group_id, g.name,
  COALESCE(g.include_new_charges, 0), a.unapplied_funds_cents, f.collection_cents, f.pre_collections_cents,
  f.non_collection_cents, f.total_cents, f.new_charges_cents, f.encounters_in_collections, f.latest_statement_date,
  f.latest_amount_due_cents, f.previous_amount_due_cents, f.payments_since_statement_cents, f.collection_agencies`;

const PG_ORDER_BY: Record<Exclude<AccountSort, 'name'>, string> = {
  account: 'f.account_number',
  collection: 'f.collection_cents DESC, f.account_number',
  'non-collection': 'f.non_collection_cents DESC, f.account_number',
  total: 'f.total_cents DESC, f.account_number',
};

/**
 * The conditions the server applies, and their parameters. Of `--search` it
 * applies a wider condition, when the text is ASCII: every row whose name
 * pops's fold matches passes it (marks stripped as searchFold strips them,
 * letters compared in either case), so only those rows come here to be judged.
 */
function postgresFilters(query: AccountListQuery): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.groupId !== undefined) {
    conditions.push('a.group_id = ?');
    params.push(query.groupId);
  }
  if (query.inCollections) conditions.push('f.collection_cents > 0');
  if (query.minTotalCents !== undefined) {
    conditions.push('f.total_cents >= ?');
    params.push(query.minTotalCents);
  }
  const needle = query.search === undefined ? undefined : searchFold(query.search);
  if (query.search !== undefined && /^[\x20-\x7e]*$/.test(query.search) && /^[\x20-\x7e]*$/.test(needle!)) {
    const bare = (name: string) => `regexp_replace(normalize(${name}, NFD), ?, '', 'g') ILIKE ? ESCAPE '\\'`;
    conditions.push(
      `(f.account_number ILIKE ? ESCAPE '\\' OR ${bare("a.guarantor_first_name || ' ' || a.guarantor_last_name")} OR ${bare("a.guarantor_last_name || ', ' || a.guarantor_first_name")})`,
    );
    const contains = `%${escapeLike(needle!)}%`;
    params.push(`${escapeLike(query.search)}%`, markClass(), contains, markClass(), contains);
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

let marks: string | undefined;
/** Every combining mark (Unicode's \p{M}, all in planes 0, 1 and 14) as one bracket expression of the server's regular expressions. */
function markClass(): string {
  if (marks !== undefined) return marks;
  const mark = /\p{M}/u;
  const ranges: string[] = [];
  const code = (c: number) => (c <= 0xffff ? `\\u${c.toString(16).padStart(4, '0')}` : `\\U${c.toString(16).padStart(8, '0')}`);
  for (const [from, to] of [
    [0, 0x1ffff],
    [0xe0000, 0xeffff],
  ]) {
    let start = -1;
    for (let c = from; c <= to + 1; c++) {
      const isMark = c <= to && (c < 0xd800 || c > 0xdfff) && mark.test(String.fromCodePoint(c));
      if (isMark && start < 0) start = c;
      if (!isMark && start >= 0) {
        ranges.push(start === c - 1 ? code(start) : `${code(start)}-${code(c - 1)}`);
        start = -1;
      }
    }
  }
  return (marks = `[${ranges.join('')}]`);
}

const PG_FROM = 'FROM account_figures f JOIN accounts a ON a.id = f.account_id LEFT JOIN groups g ON g.id = a.group_id';

/** Whether a row matches `--search` as SQLite's query matches it (an account-number prefix in any ASCII case, or part of the name). */
function searchMatcher(search: string): (row: AccountFigureRow) => boolean {
  const asciiLower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const prefix = asciiLower(search);
  const needle = searchFold(search);
  return (row) =>
    asciiLower(row.accountNumber).startsWith(prefix) ||
    searchFold(`${row.guarantorFirstName} ${row.guarantorLastName}`).includes(needle) ||
    searchFold(`${row.guarantorLastName}, ${row.guarantorFirstName}`).includes(needle);
}

function* postgresAccountList(db: PgDb, query: AccountListQuery): Generator<AccountFigureRow> {
  const { where, params } = postgresFilters(query);
  const matches = query.search === undefined ? undefined : searchMatcher(query.search);
  if (query.sort === 'name') {
    // Sorted here, by pops's fold: every matching row is held until the first is written.
    const rows = [...postgresRows(db, `SELECT ${PG_COLUMNS} ${PG_FROM} ${where}`, params)].filter((row) => matches === undefined || matches(row));
    const keyed = rows.map((row) => ({ row, last: foldCase(row.guarantorLastName), first: foldCase(row.guarantorFirstName) }));
    keyed.sort(
      (x, y) => compareCodePoints(x.last, y.last) || compareCodePoints(x.first, y.first) || compareCodePoints(x.row.accountNumber, y.row.accountNumber),
    );
    yield* keyed.slice(0, query.limit ?? keyed.length).map((entry) => entry.row);
    return;
  }
  // The server applies the limit unless rows are still to be filtered here.
  const limited = query.limit !== undefined && matches === undefined;
  const sql = `SELECT ${PG_COLUMNS} ${PG_FROM} ${where} ORDER BY ${PG_ORDER_BY[query.sort]}${limited ? ' LIMIT ?' : ''}`;
  let left = query.limit ?? Infinity;
  for (const row of postgresRows(db, sql, limited ? [...params, query.limit] : params)) {
    if (matches !== undefined && !matches(row)) continue;
    yield row;
    if ((left -= 1) <= 0) return;
  }
}

function* postgresRows(db: PgDb, sql: string, params: unknown[]): Generator<AccountFigureRow> {
  // 500 rows a batch: with 1,000 a batch lives long enough to be copied into V8's old generation,
  // and the peak grew from 80 to 98 MiB between 10,000 and 100,000 accounts (80 to 86 MiB now).
  for (const values of db.cursor<unknown[]>(sql, params, 500)) yield rowOf(values as unknown as RowValues);
}

function postgresTotals(db: PgDb, query: AccountListQuery): AccountListTotals {
  refuseMissingFigures(db);
  const { where, params } = postgresFilters(query);
  if (query.search === undefined) {
    const [[accounts, nonCollectionBalance, collectionBalance]] = db.rows<[number, number, number]>(
      `SELECT count(*)::int, COALESCE(sum(f.non_collection_cents), 0)::bigint, COALESCE(sum(f.collection_cents), 0)::bigint ${PG_FROM} ${where}`,
      params,
    );
    return { accounts, nonCollectionBalance, collectionBalance };
  }
  const totals: AccountListTotals = { accounts: 0, nonCollectionBalance: 0, collectionBalance: 0 };
  for (const row of postgresAccountList(db, { ...query, limit: undefined, sort: 'account' })) {
    totals.accounts += 1;
    totals.nonCollectionBalance += row.nonCollectionBalance;
    totals.collectionBalance += row.collectionBalance;
  }
  return totals;
}
