// The balance rules (docs/balances.md) in SQL, for many accounts at once (accounts list, group
// counts, snapshots). domain/balances.ts states the same rules for one
// account; the tests hold both to the same answers.
import type { DB } from './open.js';

/** Restricts which accounts are computed; pushed into every inner query. */
export type FigureScope = { kind: 'all' } | { kind: 'group'; groupId: number } | { kind: 'account'; accountId: number };

function scopeCondition(scope: FigureScope, accountColumn: string): string {
  switch (scope.kind) {
    case 'all':
      return '1';
    case 'group':
      return `${accountColumn} IN (SELECT id FROM accounts WHERE group_id = @scopeId)`;
    case 'account':
      return `${accountColumn} = @scopeId`;
  }
}

export function scopeParams(scope: FigureScope): Record<string, number> {
  return scope.kind === 'all' ? {} : { scopeId: scope.kind === 'group' ? scope.groupId : scope.accountId };
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
 * The figures of every account in scope. The result is a subquery-able SELECT:
 * callers wrap it to filter and sort on its columns. An account whose group
 * row is missing (an inconsistent store, docs/store.md) is kept, with a null
 * group name and new charges left out of its amount due.
 */
export function accountFiguresSql(scope: FigureScope): string {
  const accountScope = scope.kind === 'all' ? '1' : scope.kind === 'group' ? 'a.group_id = @scopeId' : 'a.id = @scopeId';
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
SELECT a.id AS id,
       a.account_number AS accountNumber,
       a.guarantor_first_name AS guarantorFirstName,
       a.guarantor_last_name AS guarantorLastName,
       a.group_id AS groupId,
       g.name AS groupName,
       COALESCE(g.include_new_charges, 0) AS includeNewCharges,
       a.unapplied_funds_cents AS unappliedFunds,
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
export function groupAccountCounts(db: DB, groupId?: number): Map<number, { accounts: number; accountsInCollections: number }> {
  const scope: FigureScope = groupId === undefined ? { kind: 'all' } : { kind: 'group', groupId };
  const groupFilter = groupId === undefined ? '' : 'WHERE a.group_id = @scopeId';
  const rows = db
    .prepare(
      `WITH ${encounterBalanceCte(scope)},
       collection AS (
         SELECT account_id, SUM(balance) AS balance FROM encounter_balance WHERE status = 'collections' GROUP BY account_id
       )
       SELECT a.group_id AS groupId, COUNT(*) AS accounts, COALESCE(SUM(c.balance > 0), 0) AS accountsInCollections
       FROM accounts a LEFT JOIN collection c ON c.account_id = a.id
       ${groupFilter}
       GROUP BY a.group_id`,
    )
    .all(scopeParams(scope)) as { groupId: number; accounts: number; accountsInCollections: number }[];
  return new Map(rows.map((r) => [r.groupId, { accounts: r.accounts, accountsInCollections: r.accountsInCollections }]));
}
