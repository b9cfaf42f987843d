-- The accounts-list baseline (docs/performance.md, "Baselines"): every field of
-- `pops accounts list --all --json --sort total`, computed from the raw tables
-- by one aggregate query for `sqlite3 -json`, in the same order. Joins and
-- GROUP BY only: no per-row (correlated) subquery. Money is integer cents
-- until the last step, which writes the two-decimal text from the integer
-- (printf of cents / 100 and cents % 100, so no floating point touches it).
-- The rules are those of docs/balances.md.
WITH
-- S, each account's latest statement: SQLite takes amount_due_cents from the
-- row that holds MAX(date) (its documented "bare column" rule).
latest AS (
  SELECT account_id, MAX(date) AS date, amount_due_cents AS amount_due
  FROM statements GROUP BY account_id
),
-- Balances straight from the line items, per account: line remaining =
-- billed - adjusted - insurance paid - patient paid; an encounter's status
-- decides where its lines count. S is joined before the lines (CROSS JOIN
-- keeps that order), so it is looked up once per encounter, not per line.
money AS (
  SELECT e.account_id,
         SUM(CASE WHEN e.status = 'collections'
             THEN l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents ELSE 0 END) AS collection,
         SUM(CASE WHEN e.status = 'pre-collections'
             THEN l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents ELSE 0 END) AS pre_collections,
         SUM(CASE WHEN e.status <> 'collections'
             THEN l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents ELSE 0 END) AS non_collection,
         SUM(CASE WHEN e.status <> 'collections' AND (s.date IS NULL OR e.service_date > s.date)
             THEN l.billed_cents - l.adjusted_cents - l.insurance_paid_cents - l.patient_paid_cents ELSE 0 END) AS new_charges
  FROM encounters e
  LEFT JOIN latest s ON s.account_id = e.account_id
  CROSS JOIN lines l ON l.encounter_number = e.number
  GROUP BY e.account_id
),
-- Encounters in collections, and the distinct names of their agencies in
-- code-point order (SQLite compares text bytewise: UTF-8 byte order is
-- code-point order). The ordered subquery feeds the aggregate in that order.
coll AS (
  SELECT account_id, COUNT(*) AS n, json_group_array(DISTINCT name) FILTER (WHERE name IS NOT NULL) AS agencies
  FROM (SELECT e.account_id, ag.name
        FROM encounters e LEFT JOIN collection_agencies ag ON ag.id = e.agency_id
        WHERE e.status = 'collections'
        ORDER BY e.account_id, ag.name)
  GROUP BY account_id
),
-- Payments since S: paid ones only, dated after S (all paid ones without S).
paid AS (
  SELECT p.account_id, SUM(p.amount_cents) AS since
  FROM payments p LEFT JOIN latest s ON s.account_id = p.account_id
  WHERE p.status = 'paid' AND (s.date IS NULL OR p.date > s.date)
  GROUP BY p.account_id
),
figures AS (
  SELECT a.account_number,
         a.guarantor_last_name || ', ' || a.guarantor_first_name AS guarantor,
         COALESCE(g.name, '(missing group ' || a.group_id || ')') AS group_name,
         COALESCE(m.non_collection, 0) AS non_collection,
         COALESCE(m.collection, 0) AS collection,
         COALESCE(m.collection, 0) + COALESCE(m.non_collection, 0) AS total,
         COALESCE(m.pre_collections, 0) AS pre_collections,
         -- amount due = max(0, S.amountDue - payments since S), plus max(0, new
         -- charges) when the group includes new charges; without S only the latter.
         CASE WHEN s.account_id IS NULL THEN 0 ELSE max(0, s.amount_due - COALESCE(p.since, 0)) END
           + CASE WHEN g.include_new_charges = 1 THEN max(0, COALESCE(m.new_charges, 0)) ELSE 0 END AS amount_due,
         a.unapplied_funds_cents AS unapplied,
         COALESCE(c.agencies, '[]') AS agencies,
         COALESCE(c.n, 0) AS in_collections
  FROM accounts a
  LEFT JOIN groups g ON g.id = a.group_id
  LEFT JOIN money m ON m.account_id = a.id
  LEFT JOIN latest s ON s.account_id = a.id
  LEFT JOIN paid p ON p.account_id = a.id
  LEFT JOIN coll c ON c.account_id = a.id
)
SELECT account_number AS accountNumber,
       guarantor,
       group_name AS "group",
       printf('%s%d.%02d', iif(non_collection < 0, '-', ''), abs(non_collection) / 100, abs(non_collection) % 100) AS nonCollectionBalance,
       printf('%s%d.%02d', iif(collection < 0, '-', ''), abs(collection) / 100, abs(collection) % 100) AS collectionBalance,
       printf('%s%d.%02d', iif(total < 0, '-', ''), abs(total) / 100, abs(total) % 100) AS totalBalance,
       printf('%s%d.%02d', iif(pre_collections < 0, '-', ''), abs(pre_collections) / 100, abs(pre_collections) % 100) AS preCollectionsBalance,
       printf('%s%d.%02d', iif(amount_due < 0, '-', ''), abs(amount_due) / 100, abs(amount_due) % 100) AS amountDue,
       printf('%s%d.%02d', iif(unapplied < 0, '-', ''), abs(unapplied) / 100, abs(unapplied) % 100) AS unappliedFunds,
       agencies AS collectionAgencies,
       in_collections AS encountersInCollections
FROM figures
ORDER BY total DESC, account_number;
