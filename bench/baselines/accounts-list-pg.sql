-- The accounts-list baseline on PostgreSQL (docs/performance.md, "Baselines"):
-- every field of `pops accounts list --all --json --sort total`, in the same
-- order, by the best query psql can run for it — from the figures the store
-- keeps beside each account (account_figures, which pops reads too, through
-- the index on total and account number), joined with the accounts and their
-- groups. The server writes the whole JSON document (json_agg); psql prints
-- it as it comes (-A -t: no alignment, no header). Money is integer cents
-- until the text is made from the integer (no floating point); the amount due
-- follows docs/balances.md.
WITH rows AS (
  SELECT f.account_number,
         a.guarantor_last_name || ', ' || a.guarantor_first_name AS guarantor,
         g.name AS group_name,
         f.non_collection_cents AS non_collection,
         f.collection_cents AS collection,
         f.total_cents AS total,
         f.pre_collections_cents AS pre_collections,
         CASE WHEN f.latest_amount_due_cents IS NULL THEN 0
              ELSE GREATEST(0, f.latest_amount_due_cents - f.payments_since_statement_cents) END
           + CASE WHEN g.include_new_charges = 1 THEN GREATEST(0, f.new_charges_cents) ELSE 0 END AS amount_due,
         a.unapplied_funds_cents AS unapplied,
         f.collection_agencies,
         f.encounters_in_collections
  FROM account_figures f
  JOIN accounts a ON a.id = f.account_id
  JOIN groups g ON g.id = a.group_id
  ORDER BY f.total_cents DESC, f.account_number
)
SELECT COALESCE(json_agg(json_build_object(
         'accountNumber', account_number,
         'guarantor', guarantor,
         'group', group_name,
         'nonCollectionBalance', CASE WHEN non_collection < 0 THEN '-' ELSE '' END || abs(non_collection) / 100 || '.' || lpad((abs(non_collection) % 100)::text, 2, '0'),
         'collectionBalance', CASE WHEN collection < 0 THEN '-' ELSE '' END || abs(collection) / 100 || '.' || lpad((abs(collection) % 100)::text, 2, '0'),
         'totalBalance', CASE WHEN total < 0 THEN '-' ELSE '' END || abs(total) / 100 || '.' || lpad((abs(total) % 100)::text, 2, '0'),
         'preCollectionsBalance', CASE WHEN pre_collections < 0 THEN '-' ELSE '' END || abs(pre_collections) / 100 || '.' || lpad((abs(pre_collections) % 100)::text, 2, '0'),
         'amountDue', amount_due / 100 || '.' || lpad((amount_due % 100)::text, 2, '0'),
         'unappliedFunds', unapplied / 100 || '.' || lpad((unapplied % 100)::text, 2, '0'),
         'collectionAgencies', collection_agencies::json,
         'encountersInCollections', encounters_in_collections)), '[]')
FROM rows;
