// The balance rules (docs/balances.md) in SQL, for many accounts at once (accounts list, group
// counts, doctor). domain/balances.ts states the same rules for one
// account; the tests hold both to the same answers.
//
// The figures that do not depend on the group (every one but the amount due,
// which depends on Include new charges) are computed when accounts are written —
// import is the only writer of accounts, encounters, statements and payments —
// and kept in `account_figures` (migration 4). Readers use them when every
// account has its row, and compute everything from the line items otherwise
// (a store edited by hand); `doctor` recomputes them and reports any drift
// (docs/performance.md, "accounts list").
import type { DB } from './open.js';
import { toDb, type DbLike, type SqliteDb } from './db.js';
import type { AccountFigureRow } from '../domain/balances.js';

/** Restricts which accounts are computed; pushed into every inner query. `since`: ids from `fromId` on (what one import wrote). */
export type FigureScope = { kind: 'all' } | { kind: 'group'; groupId: number } | { kind: 'account'; accountId: number } | { kind: 'since'; fromId: number };

function scopeCondition(scope: FigureScope, accountColumn: string): string {
  switch (scope.kind) {
    case 'all':
      return '1';
    case 'group':
      return `${accountColumn} IN (SELECT id FROM accounts WHERE group_id = @scopeId)`;
    case 'account':
      return `${accountColumn} = @scopeId`;
    case 'since':
      return `${accountColumn} >= @scopeId`;
  }
}

/** The same scope as a condition on `accounts a`. */
function accountCondition(scope: FigureScope): string {
  switch (scope.kind) {
    case 'all':
      return '1';
    case 'group':
      return 'a.group_id = @scopeId';
    case 'account':
      return 'a.id = @scopeId';
    case 'since':
      return 'a.id >= @scopeId';
  }
}

export function scopeParams(scope: FigureScope): Record<string, number> {
  switch (scope.kind) {
    case 'all':
      return {};
    case 'group':
      return { scopeId: scope.groupId };
    case 'account':
      return { scopeId: scope.accountId };
    case 'since':
      return { scopeId: scope.fromId };
  }
}

/** Where the group-independent figures come from: `account_figures`, or the line items themselves. */
export type FigureSource = 'stored' | 'computed';

/** `stored` when every account has its row in `account_figures` (rows cannot outlive their account). */
export function figureSource(db: DB): FigureSource {
  const complete = db.prepare('SELECT (SELECT count(*) FROM accounts) = (SELECT count(*) FROM account_figures)').pluck().get() as number;
  return complete === 1 ? 'stored' : 'computed';
}

/** The figures of every account in scope, from `source` (same columns either way, see AccountFigureRow). */
export function accountFiguresSql(scope: FigureScope, source: FigureSource): string {
  return source === 'stored' ? storedFiguresSql(scope) : computedFiguresSql(scope);
}

/** The account and group columns every figures row starts with. */
const ACCOUNT_COLUMNS = `a.id AS id,
       a.account_number AS accountNumber,
       a.guarantor_first_name AS guarantorFirstName,
       a.guarantor_last_name AS guarantorLastName,
       a.group_id AS groupId,
       g.name AS groupName,
       COALESCE(g.include_new_charges, 0) AS includeNewCharges,
       a.unapplied_funds_cents AS unappliedFunds`;

function storedFiguresSql(scope: FigureScope): string {
  // The account number and the money come from account_figures, whose indexes give every money sort
  // and the account sort without sorting (migration 4).
  return `
SELECT a.id AS id,
       f.account_number AS accountNumber,
       a.guarantor_first_name AS guarantorFirstName,
       a.guarantor_last_name AS guarantorLastName,
       a.group_id AS groupId,
       g.name AS groupName,
       COALESCE(g.include_new_charges, 0) AS includeNewCharges,
       a.unapplied_funds_cents AS unappliedFunds,
       f.collection_cents AS collectionBalance,
       f.pre_collections_cents AS preCollectionsBalance,
       f.non_collection_cents AS nonCollectionBalance,
       f.total_cents AS totalBalance,
       f.new_charges_cents AS newCharges,
       f.encounters_in_collections AS encountersInCollections,
       f.latest_statement_date AS latestStatementDate,
       f.latest_amount_due_cents AS latestAmountDue,
       f.previous_amount_due_cents AS previousAmountDue,
       f.payments_since_statement_cents AS paymentsSinceStatement,
       f.collection_agencies AS collectionAgencies
FROM account_figures f
JOIN accounts a ON a.id = f.account_id
LEFT JOIN groups g ON g.id = a.group_id
WHERE ${accountCondition(scope)}`;
}

/** The columns of `account_figures` after `account_id`, and the figures row column each one keeps. */
export const STORED_COLUMNS: readonly [string, keyof AccountFigureRow][] = [
  ['account_number', 'accountNumber'],
  ['collection_cents', 'collectionBalance'],
  ['pre_collections_cents', 'preCollectionsBalance'],
  ['non_collection_cents', 'nonCollectionBalance'],
  ['total_cents', 'totalBalance'],
  ['new_charges_cents', 'newCharges'],
  ['encounters_in_collections', 'encountersInCollections'],
  ['latest_statement_date', 'latestStatementDate'],
  ['latest_amount_due_cents', 'latestAmountDue'],
  ['previous_amount_due_cents', 'previousAmountDue'],
  ['payments_since_statement_cents', 'paymentsSinceStatement'],
  ['collection_agencies', 'collectionAgencies'],
];

/** Compute and store the figures of the accounts in scope (after import wrote them, or in migration 4). */
export function refreshAccountFigures(db: DB, scope: FigureScope): void {
  const params = scopeParams(scope);
  db.prepare(`DELETE FROM account_figures WHERE ${scopeCondition(scope, 'account_id')}`).run(params);
  db.prepare(
    `INSERT INTO account_figures (account_id, ${STORED_COLUMNS.map(([column]) => column).join(', ')})
     SELECT c.id, ${STORED_COLUMNS.map(([, field]) => `c.${field}`).join(', ')} FROM (${computedFiguresSql(scope)}) AS c`,
  ).run(params);
}

/** Accounts whose stored figures are missing or differ from the figures computed now (doctor). */
export function figureDrift(db: DB): { accountNumber: string; fields: string[] }[] {
  const differs = STORED_COLUMNS.map(([column, field]) => `(f.${column} IS NOT c.${field}) AS "differs_${field}"`).join(', ');
  const rows = db
    .prepare(
      `SELECT c.accountNumber AS accountNumber, f.account_id IS NULL AS missing, ${differs}
       FROM (${computedFiguresSql({ kind: 'all' })}) AS c LEFT JOIN account_figures f ON f.account_id = c.id
       WHERE f.account_id IS NULL OR ${STORED_COLUMNS.map(([column, field]) => `f.${column} IS NOT c.${field}`).join(' OR ')}
       ORDER BY c.accountNumber`,
    )
    .all() as Record<string, number | string>[];
  return rows.map((row) => ({
    accountNumber: row.accountNumber as string,
    fields: row.missing === 1 ? [] : STORED_COLUMNS.filter(([, field]) => row[`differs_${field}`] === 1).map(([, field]) => field),
  }));
}

/** line remaining = billed − adjusted − insurancePaid − patientPaid, for a `lines l` row. */
const LINE_REMAINING = 'l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents';

/** encounter balance = sum of its lines' remaining; one row per encounter in scope. */
function encounterBalanceCte(scope: FigureScope): string {
  return `encounter_balance AS (
  SELECT e.account_id, e.status, e.service_date, COALESCE(SUM(${LINE_REMAINING}), 0) AS balance
  FROM encounters e LEFT JOIN lines l ON l.encounter_number = e.number
  WHERE ${scopeCondition(scope, 'e.account_id')}
  GROUP BY e.number
)`;
}

/**
 * The figures of every account in scope, computed from the line items. The
 * result is a subquery-able SELECT: callers wrap it to filter and sort on its
 * columns. An account whose group row is missing (an inconsistent store,
 * docs/store.md) is kept, with a null group name and new charges left out of
 * its amount due.
 */
function computedFiguresSql(scope: FigureScope): string {
  const accountScope = accountCondition(scope);
  return `
WITH latest AS (
  SELECT account_id, MAX(date) AS date FROM statements
  WHERE ${scopeCondition(scope, 'account_id')}
  GROUP BY account_id
),
${encounterBalanceCte(scope)},
per_account AS (
  SELECT b.account_id,
         SUM(CASE WHEN b.status = 'collections' THEN b.balance ELSE 0 END) AS collection,
         SUM(CASE WHEN b.status = 'pre-collections' THEN b.balance ELSE 0 END) AS pre_collections,
         SUM(CASE WHEN b.status <> 'collections' THEN b.balance ELSE 0 END) AS non_collection,
         SUM(CASE WHEN b.status <> 'collections' AND (latest.date IS NULL OR b.service_date > latest.date) THEN b.balance ELSE 0 END) AS new_charges,
         SUM(b.status = 'collections') AS in_collections
  FROM encounter_balance b LEFT JOIN latest ON latest.account_id = b.account_id
  GROUP BY b.account_id
)
SELECT ${ACCOUNT_COLUMNS},
       COALESCE(p.collection, 0) AS collectionBalance,
       COALESCE(p.pre_collections, 0) AS preCollectionsBalance,
       COALESCE(p.non_collection, 0) AS nonCollectionBalance,
       COALESCE(p.collection, 0) + COALESCE(p.non_collection, 0) AS totalBalance,
       COALESCE(p.new_charges, 0) AS newCharges,
       COALESCE(p.in_collections, 0) AS encountersInCollections,
       latest.date AS latestStatementDate,
       (SELECT s.amount_due_cents FROM statements s WHERE s.account_id = a.id AND s.date = latest.date) AS latestAmountDue,
       (SELECT s.amount_due_cents FROM statements s WHERE s.account_id = a.id ORDER BY s.date DESC LIMIT 1 OFFSET 1) AS previousAmountDue,
       (SELECT COALESCE(SUM(pm.amount_cents), 0) FROM payments pm
         WHERE pm.account_id = a.id AND pm.status = 'paid' AND (latest.date IS NULL OR pm.date > latest.date)) AS paymentsSinceStatement,
       (SELECT json_group_array(name) FROM (
          SELECT DISTINCT ag.name AS name FROM encounters e JOIN collection_agencies ag ON ag.id = e.agency_id
          WHERE e.account_id = a.id AND e.status = 'collections' ORDER BY ag.name)) AS collectionAgencies
FROM accounts a
LEFT JOIN groups g ON g.id = a.group_id
LEFT JOIN per_account p ON p.account_id = a.id
LEFT JOIN latest ON latest.account_id = a.id
WHERE ${accountScope}`;
}

/**
 * Per group: how many accounts it has, and how many of them have a collection
 * balance above zero (the accounts that show a Collection Balance panel when
 * Show Collections is on).
 */
export function groupAccountCounts(given: DbLike, groupId?: number): Map<number, { accounts: number; accountsInCollections: number }> {
  const db = toDb(given);
  type Row = { groupId: number; accounts: number; accountsInCollections: number };
  // A PostgreSQL store has every account's figures (import writes them with the account) unless changed
  // outside pops: an account without them still counts (doctor reports it).
  const rows =
    db.kind === 'postgres'
      ? db.all<Row>(
          `SELECT a.group_id AS "groupId", COUNT(*) AS accounts, COUNT(*) FILTER (WHERE f.collection_cents > 0) AS "accountsInCollections"
           FROM accounts a LEFT JOIN account_figures f ON f.account_id = a.id
           ${groupId === undefined ? '' : 'WHERE a.group_id = ?'}
           GROUP BY a.group_id`,
          groupId === undefined ? [] : [groupId],
        )
      : sqliteGroupAccountCounts((db as SqliteDb).raw, groupId);
  return new Map(rows.map((r) => [r.groupId, { accounts: r.accounts, accountsInCollections: r.accountsInCollections }]));
}

function sqliteGroupAccountCounts(db: DB, groupId?: number): { groupId: number; accounts: number; accountsInCollections: number }[] {
  const scope: FigureScope = groupId === undefined ? { kind: 'all' } : { kind: 'group', groupId };
  const groupFilter = groupId === undefined ? '' : 'WHERE a.group_id = @scopeId';
  const sql =
    figureSource(db) === 'stored'
      ? `SELECT a.group_id AS groupId, COUNT(*) AS accounts, COALESCE(SUM(f.collection_cents > 0), 0) AS accountsInCollections
         FROM accounts a JOIN account_figures f ON f.account_id = a.id
         ${groupFilter}
         GROUP BY a.group_id`
      : `WITH ${encounterBalanceCte(scope)},
       collection AS (
         SELECT account_id, SUM(balance) AS balance FROM encounter_balance WHERE status = 'collections' GROUP BY account_id
       )
       SELECT a.group_id AS groupId, COUNT(*) AS accounts, COALESCE(SUM(c.balance > 0), 0) AS accountsInCollections
       FROM accounts a LEFT JOIN collection c ON c.account_id = a.id
       ${groupFilter}
       GROUP BY a.group_id`;
  return db.prepare(sql).all(scopeParams(scope)) as { groupId: number; accounts: number; accountsInCollections: number }[];
}
