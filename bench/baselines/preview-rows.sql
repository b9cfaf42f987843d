-- The read half of the snapshot floor (docs/performance.md, "Baselines"):
-- `sqlite3 -json` selects every row the Account pages of all accounts are
-- made from, in one read transaction: each group with every setting (header,
-- panels, footer, payment methods), each account, each encounter with the
-- names its page shows (patient, facility, provider, agency), each line's
-- amounts, each statement and each payment. bench/baselines/snapshot-files.cjs
-- is the write half.
BEGIN;
SELECT * FROM groups ORDER BY id;
SELECT id, account_number, guarantor_first_name, guarantor_last_name, group_id, unapplied_funds_cents
FROM accounts ORDER BY id;
SELECT e.account_id, e.number, e.service_date, e.status, p.first_name, p.last_name, f.name AS facility, pr.name AS provider, ag.name AS agency
FROM encounters e
JOIN patients p ON p.id = e.patient_id
JOIN facilities f ON f.id = e.facility_id
JOIN providers pr ON pr.id = e.provider_id
LEFT JOIN collection_agencies ag ON ag.id = e.agency_id
ORDER BY e.number;
SELECT encounter_number, line, billed_cents, adjusted_cents, insurance_paid_cents, patient_paid_cents
FROM lines ORDER BY encounter_number, line;
SELECT account_id, date, due_date, amount_due_cents FROM statements ORDER BY account_id, date;
SELECT account_id, date, amount_cents, status FROM payments ORDER BY account_id, date, id;
COMMIT;
